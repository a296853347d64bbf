/**
 * The old-document intake slot: a flap on the locker bus with an item sensor.
 * The old document must be seen arriving: the sensor goes from empty to
 * occupied after the flap opened. A slot that is already occupied was not
 * emptied by staff, so the arrival cannot be confirmed: that raises an alarm.
 */
import { Deferred, Effect, Fiber, Option, Stream } from "effect"
import { channelKey, Layout } from "../domain/compartment.ts"
import { TerminalConfig } from "../domain/config.ts"
import { LockerError } from "../domain/errors.ts"
import type { OrderId, SessionId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { LockerBank } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { Sensors } from "./Sensors.ts"

export class Intake extends Effect.Service<Intake>()("amtomat/Intake", {
  effect: Effect.gen(function*() {
    const layout = yield* Layout
    const config = yield* TerminalConfig
    const sensors = yield* Sensors
    const log = yield* EventLog
    const alarms = yield* Alarms
    const locker = yield* LockerBank

    /** Opens the flap and waits for the document; false when none arrived in time. */
    const receive = Effect.fn("Intake.receive")(function*(sessionId: SessionId, orderId: OrderId) {
      const before = yield* sensors.status(layout.intake)
      if (before.item !== false) {
        yield* alarms.raise("reconciliation", null, "intake slot is full or its sensor is stuck; please empty it")
        return yield* new LockerError({ reason: "Protocol", message: "intake slot occupied before the flap opened" })
      }
      // Listen to the change feed before the flap opens: a document dropped and the flap shut
      // between two polls is still seen arriving (the polls alone could miss it).
      const seen = yield* Deferred.make<void>()
      const listener = yield* locker.changes.pipe(
        Stream.filter((c) => c._tag === "ItemChanged" && c.item === true && channelKey(c.channel) === channelKey(layout.intake)),
        Stream.take(1),
        Stream.runDrain,
        Effect.zipRight(Deferred.succeed(seen, undefined)),
        Effect.fork
      )
      yield* Effect.yieldNow()
      const arrived = yield* Effect.gen(function*() {
        yield* sensors.openWithRetry(layout.intake, (attempt, e) =>
          Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId: null, attempt, reason: e.reason })))
        yield* log.append({ _tag: "CompartmentOpened", compartmentId: null, orderId, purpose: "intake" })
        const polled = sensors.waitFor(layout.intake, config.intakeSeconds, (s) => s.item === true).pipe(Effect.map(Option.isSome))
        return yield* Effect.raceFirst(polled, Effect.as(Deferred.await(seen), true))
      }).pipe(Effect.ensuring(Fiber.interrupt(listener)))
      if (!arrived) return false
      yield* log.append({ _tag: "OldDocumentReceived", sessionId, orderId })
      return true
    })

    return { receive } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, Sensors.Default]
}) {}
