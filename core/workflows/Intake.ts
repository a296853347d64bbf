/**
 * The old-document intake slot: a flap on the locker bus with an item sensor,
 * over a bin. The old document must be seen arriving (the sensor goes from
 * empty to occupied after the flap opened), and the flap must be shut again
 * before the citizen's compartment opens.
 *
 * Once the flap is open the server watches it, whatever the kiosk page does:
 * the arrival is recorded by the watch, and a flap left open raises an
 * `intake_left_open` alarm that resolves when it is finally shut. The next
 * citizen who finds the flap open is asked to push it shut (whatever lies on
 * it drops into the bin) and then goes on as usual; a slot that reads occupied
 * with its flap shut is out of order (`intake_blocked`): the pickup stops there
 * with the order still ready, and staff are called.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Deferred, Effect, Option, Stream } from "effect"
import { channelKey, Layout } from "../domain/compartment.ts"
import { TerminalPolicy } from "../domain/config.ts"
import { type LockerError, PickupFailed } from "../domain/errors.ts"
import type { OrderId, SessionId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { LockerBank } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { DoorWatch } from "./DoorWatch.ts"
import { Sensors } from "./Sensors.ts"
import { untilStored } from "./support.ts"

/** What became of a hand-in: the document is in and the flap shut; nothing came; or it came and the flap stays open. */
export type IntakeResult = "received" | "none" | "left-open"

const SUBJECT = "intake"

export class Intake extends Effect.Service<Intake>()("amtomat/Intake", {
  effect: Effect.gen(function*() {
    const layout = yield* Layout
    const config = yield* TerminalPolicy
    const sensors = yield* Sensors
    const log = yield* EventLog
    const alarms = yield* Alarms
    const locker = yield* LockerBank
    const doors = yield* DoorWatch

    const leftOpen = (message: string) => new PickupFailed({ reason: "IntakeLeftOpen", message })
    const deviceError = (detail: string) =>
      Effect.zipRight(
        alarms.raise("device_offline", null, `intake slot: ${detail}`, "locker/intake"),
        Effect.fail(new PickupFailed({ reason: "DeviceError", message: "the intake slot does not respond; please contact staff" }))
      )
    const status = Effect.catchTag(sensors.status(layout.intake), "LockerError", (e) => deviceError(e.message))

    /** Succeeds when the flap is shut; asks for it to be shut otherwise. */
    const requireShut = Effect.gen(function*() {
      if ((yield* status).door !== "closed") return yield* leftOpen("the flap of the old-document slot is open; please push it shut")
    })

    /** Watches the open flap until it is shut: arrival, then the flap shut again; alarm when it stays open. */
    const watch = (
      seen: Deferred.Deferred<void>,
      arrived: Deferred.Deferred<boolean, SqlError | LockerError>,
      shut: Deferred.Deferred<boolean>,
      onArrival: Effect.Effect<void, SqlError>
    ) =>
      Effect.gen(function*() {
        const polled = sensors.watchFor(layout.intake, config.intakeSeconds, (s) => s.item === true).pipe(Effect.map(Option.isSome))
        const came = yield* Effect.raceFirst(polled, Effect.as(Deferred.await(seen), true))
        yield* (came ? untilStored("the old document's arrival", onArrival) : Effect.void).pipe(
          Effect.as(came),
          Effect.onExit((exit) => Deferred.done(arrived, exit))
        )
        yield* doors.setPhase(null, "close")
        const closed = yield* sensors.watchFor(layout.intake, config.intakeSeconds, (s) => s.door === "closed")
        yield* Deferred.succeed(shut, Option.isSome(closed))
        if (Option.isSome(closed)) return
        yield* alarms.raise(
          "intake_left_open",
          null,
          came
            ? "the flap of the old-document slot was left open after a document went in"
            : "the flap of the old-document slot was left open; no document came",
          SUBJECT
        )
        yield* sensors.watchFor(layout.intake, Infinity, (s) => s.door === "closed")
        yield* alarms.resolve("intake_left_open", SUBJECT, "the flap of the old-document slot is shut again")
      })

    /**
     * Opens the flap and waits for the document and for the flap to be shut
     * again. `onArrival` records the arrival (it runs in the watch, so a
     * reloaded page does not lose it).
     */
    const receive = Effect.fn("Intake.receive")(function*(sessionId: SessionId, orderId: OrderId, onArrival: Effect.Effect<void, SqlError>) {
      const before = yield* status
      if (before.door !== "closed") {
        yield* alarms.raise("intake_left_open", null, "the flap of the old-document slot was found open at the start of a pickup", SUBJECT)
        return yield* leftOpen("the flap of the old-document slot is open; please push it shut, then try again")
      }
      if (before.item !== false) {
        yield* alarms.raise(
          "intake_blocked",
          null,
          "the intake slot reads occupied with its flap shut: a stuck sensor or something jammed; please check it",
          SUBJECT
        )
        return yield* new PickupFailed({ reason: "IntakeUnavailable", message: "the old-document slot is out of order; staff have been told" })
      }
      yield* log.append({ _tag: "UnlockRequested", compartmentId: null, orderId, purpose: "intake" })
      // Listen to the change feed before the flap opens: a document dropped and the flap shut
      // between two polls is still seen arriving (the polls alone could miss it).
      const seen = yield* Deferred.make<void>()
      const arrived = yield* Deferred.make<boolean, SqlError | LockerError>()
      const shut = yield* Deferred.make<boolean>()
      const listening = yield* Deferred.make<void>()
      const listener = locker.changes.pipe(
        Stream.filter((c) => c._tag === "ItemChanged" && c.item === true && channelKey(c.channel) === channelKey(layout.intake)),
        Stream.take(1),
        Stream.runDrain,
        Effect.zipRight(Deferred.succeed(seen, undefined))
      )
      yield* doors.start(
        null,
        "intake",
        Effect.gen(function*() {
          yield* Effect.forkScoped(Effect.zipRight(Deferred.succeed(listening, undefined), listener))
          yield* Deferred.await(listening)
          yield* Effect.yieldNow()
          const opened = yield* Effect.either(
            sensors.openWithRetry(
              layout.intake,
              (attempt, e) => Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId: null, attempt, reason: e.reason }))
            )
          )
          if (opened._tag === "Left") return yield* Deferred.fail(arrived, opened.left)
          yield* log.append({ _tag: "CompartmentOpened", compartmentId: null, orderId, purpose: "intake" })
          yield* watch(seen, arrived, shut, Effect.zipRight(log.append({ _tag: "OldDocumentReceived", sessionId, orderId }), onArrival))
        }).pipe(Effect.scoped)
      )
      const came = yield* Deferred.await(arrived).pipe(Effect.catchTag("LockerError", (e) => deviceError(e.message)))
      if (!came) return "none" as IntakeResult
      return (yield* Deferred.await(shut)) ? "received" as IntakeResult : "left-open" as IntakeResult
    })

    return { receive, requireShut } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, Sensors.Default, DoorWatch.Default]
}) {}
