/**
 * Behavioural twin of the SMS modem and of the citizens' phones: every text
 * sent lands in the twin inbox of its number. Faults: network trouble
 * (retry later) and a missing SIM (needs staff).
 */
import { Clock, Context, DateTime, Effect, Layer, Ref } from "effect"
import { SmsError } from "../../core/domain/errors.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"

export type SmsFault = "none" | "network" | "sim-missing"

export interface ReceivedSms {
  readonly to: string
  readonly text: string
  readonly at: string
  readonly reference: string
}

export interface SmsTwinControl {
  /** The inbox of one phone, or of all phones; newest last. */
  readonly inbox: (to?: string) => Effect.Effect<ReadonlyArray<ReceivedSms>>
  readonly setFault: (fault: SmsFault) => Effect.Effect<void>
  readonly fault: Effect.Effect<SmsFault>
  readonly clear: Effect.Effect<void>
}

export class SmsTwin extends Context.Tag("amtomat/twin/SmsTwin")<SmsTwin, SmsTwinControl>() {}

const GSM_LIMIT = 160

export const make = Effect.gen(function*() {
  const inbox = yield* Ref.make<ReadonlyArray<ReceivedSms>>([])
  const fault = yield* Ref.make<SmsFault>("none")
  const counter = yield* Ref.make(0)

  const port = SmsGateway.of({
    send: (to, text) =>
      Effect.gen(function*() {
        const f = yield* Ref.get(fault)
        if (f === "network") return yield* new SmsError({ reason: "RetryLater", message: "+CMS ERROR: 331 (no network service)" })
        if (f === "sim-missing") return yield* new SmsError({ reason: "NeedsStaff", message: "+CMS ERROR: 310 (SIM not inserted)" })
        if (text.length > GSM_LIMIT) return yield* new SmsError({ reason: "Rejected", message: `text longer than ${GSM_LIMIT} characters` })
        const n = yield* Ref.updateAndGet(counter, (x) => (x + 1) % 256)
        const at = DateTime.formatIso(DateTime.unsafeMake(yield* Clock.currentTimeMillis))
        yield* Ref.update(inbox, (xs) => [...xs, { to, text, at, reference: String(n) }])
        return { reference: String(n) }
      })
  })

  const control: SmsTwinControl = {
    inbox: (to) => Effect.map(Ref.get(inbox), (xs) => (to === undefined ? xs : xs.filter((m) => m.to === to))),
    setFault: (f) => Ref.set(fault, f),
    fault: Ref.get(fault),
    clear: Ref.set(inbox, [])
  }
  return { port, control }
})

export const layer = Layer.effectContext(Effect.map(make, ({ control, port }) => Context.make(SmsGateway, port).pipe(Context.add(SmsTwin, control))))
