/**
 * The old-document intake slot: a flap on the locker bus with an item sensor.
 * The old document must be seen arriving: the sensor goes from empty to
 * occupied after the flap opened. A slot that is already occupied was not
 * emptied by staff, so the arrival cannot be confirmed: that raises an alarm.
 */
import { Effect, Option } from "effect"
import { Layout } from "../domain/compartment.ts"
import { TerminalConfig } from "../domain/config.ts"
import { LockerError } from "../domain/errors.ts"
import type { OrderId, SessionId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { Alarms } from "./Alarms.ts"
import { Sensors } from "./Sensors.ts"

export class Intake extends Effect.Service<Intake>()("amtomat/Intake", {
  effect: Effect.gen(function*() {
    const layout = yield* Layout
    const config = yield* TerminalConfig
    const sensors = yield* Sensors
    const log = yield* EventLog
    const alarms = yield* Alarms

    /** Opens the flap and waits for the document; false when none arrived in time. */
    const receive = Effect.fn("Intake.receive")(function*(sessionId: SessionId, orderId: OrderId) {
      const before = yield* sensors.status(layout.intake)
      if (before.item !== false) {
        yield* alarms.raise("reconciliation", null, "intake slot is full or its sensor is stuck; please empty it")
        return yield* new LockerError({ reason: "Protocol", message: "intake slot occupied before the flap opened" })
      }
      yield* sensors.openWithRetry(layout.intake, (attempt, e) =>
        Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId: null, attempt, reason: e.reason })))
      yield* log.append({ _tag: "CompartmentOpened", compartmentId: null, orderId, purpose: "intake" })
      const arrived = yield* sensors.waitFor(layout.intake, config.intakeSeconds, (s) => s.item === true)
      if (Option.isNone(arrived)) return false
      yield* log.append({ _tag: "OldDocumentReceived", sessionId, orderId })
      return true
    })

    return { receive } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, Sensors.Default]
}) {}
