/**
 * Keeps the database's view of doors and sensors current from the locker's
 * change feed, frees a compartment whose door is finally shut after a
 * pickup, and raises an alarm when a board drops off the bus.
 */
import { Effect, Stream } from "effect"
import { channelKey, Layout } from "../domain/compartment.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { LockerBank, type LockerChange } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { Compartments } from "./Compartments.ts"

export class LockerWatch extends Effect.Service<LockerWatch>()("amtomat/LockerWatch", {
  scoped: Effect.gen(function*() {
    const locker = yield* LockerBank
    const layout = yield* Layout
    const compartments = yield* Compartments
    const alarms = yield* Alarms
    const log = yield* EventLog
    const byKey = new Map(layout.compartments.map((c) => [channelKey(c.channel), c.id]))

    const handle = (change: LockerChange) =>
      Effect.gen(function*() {
        if (change._tag === "BoardOnline") {
          yield* log.append({ _tag: "DeviceStatusChanged", device: "locker", online: change.online, detail: `board ${change.board}` })
          if (!change.online) yield* alarms.raise("device_offline", null, `locker board ${change.board} does not answer`)
          return
        }
        const id = byKey.get(channelKey(change.channel))
        if (id === undefined) return
        if (change._tag === "DoorChanged") {
          yield* compartments.recordSensors(change.channel.board, change.channel.lock, change.door, undefined)
          if (change.door === "closed" && (yield* compartments.settleClosed(id)) !== "none") {
            yield* log.append({ _tag: "DoorClosed", compartmentId: id })
          }
        } else {
          yield* compartments.recordSensors(change.channel.board, change.channel.lock, undefined, change.item)
        }
      })

    /** Reads every board once and writes what it sees. */
    const refresh = Effect.gen(function*() {
      const snapshot = yield* locker.snapshot
      for (const s of snapshot) yield* compartments.recordSensors(s.channel.board, s.channel.lock, s.door, s.item)
      return snapshot
    })

    yield* locker.changes.pipe(
      Stream.runForEach((c) => handle(c).pipe(Effect.catchAllCause((cause) => Effect.logWarning("locker change not recorded", cause)))),
      Effect.forkScoped
    )
    return { refresh } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, Compartments.Default]
}) {}
