/**
 * Texts to citizens. Short (one SMS), no names, the pickup number only where
 * needed. Failures are logged; a SIM or network problem that needs a person
 * raises an alarm.
 */
import { Effect } from "effect"
import type { SmsError } from "../domain/errors.ts"
import type { OrderId } from "../domain/ids.ts"
import { codeSms } from "../domain/rules.ts"
import type { PhoneNumber } from "../domain/values.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { SmsGateway } from "../ports/SmsGateway.ts"
import { Alarms } from "./Alarms.ts"

const kindName: Record<string, string> = {
  "id-card": "Personalausweis",
  passport: "Reisepass",
  "child-passport": "Kinderreisepass",
  "residence-permit": "Aufenthaltstitel"
}
const spaced = (n: string) => `${n.slice(0, 4)} ${n.slice(4)}`

export const texts = {
  ready: (kind: string, pickupNumber: string) =>
    `Ihr ${kindName[kind] ?? "Dokument"} liegt im Amt-O-Mat bereit. Abholnummer: ${
      spaced(pickupNumber)
    }. Bitte alten Ausweis mitbringen. / Your document is ready.`,
  reminder: (kind: string, pickupNumber: string) =>
    `Erinnerung: Ihr ${kindName[kind] ?? "Dokument"} liegt noch im Amt-O-Mat. Abholnummer: ${spaced(pickupNumber)}. / Reminder: your document is waiting.`,
  code: codeSms
}

export class Notifier extends Effect.Service<Notifier>()("amtomat/Notifier", {
  effect: Effect.gen(function*() {
    const sms = yield* SmsGateway
    const log = yield* EventLog
    const alarms = yield* Alarms

    /** Sends a text about an order; logs the outcome. Fails with the SmsError so callers can decide. */
    const send = Effect.fn("Notifier.send")(function*(
      orderId: OrderId,
      kind: "ready" | "reminder" | "code",
      to: PhoneNumber,
      text: string
    ) {
      const receipt = yield* sms.send(to, text).pipe(
        Effect.tapError((e: SmsError) =>
          Effect.zipRight(
            log.append({ _tag: "NotificationFailed", orderId, kind, reason: e.reason }),
            e.reason === "NeedsStaff" ? alarms.raise("sms_failed", null, `SMS modem needs staff: ${e.message}`) : Effect.void
          )
        )
      )
      yield* log.append({ _tag: "NotificationSent", orderId, kind })
      return receipt
    })
    return { send } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default]
}) {}
