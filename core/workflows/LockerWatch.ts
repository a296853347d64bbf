/**
 * Keeps the database's view of doors and sensors current from the locker's
 * change feed, frees a compartment whose door is finally shut after a
 * pickup, reports boards that drop off the bus or come back (DeviceStatus),
 * and raises an alarm when a document disappears from a compartment outside
 * any workflow.
 */
import { Duration, Effect, FiberMap, Stream } from "effect"
import { channelKey, Layout } from "../domain/compartment.ts"
import { TerminalPolicy } from "../domain/config.ts"
import type { CompartmentId } from "../domain/ids.ts"
import { CompartmentsRepo } from "../persistence/CompartmentsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { DeviceStatus } from "../ports/DeviceStatus.ts"
import { LockerBank, type LockerChange } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { untilStored } from "./support.ts"

export class LockerWatch extends Effect.Service<LockerWatch>()("amtomat/LockerWatch", {
  scoped: Effect.gen(function*() {
    const locker = yield* LockerBank
    const layout = yield* Layout
    const compartments = yield* CompartmentsRepo
    const sessions = yield* SessionsRepo
    const alarms = yield* Alarms
    const log = yield* EventLog
    const config = yield* TerminalPolicy
    const devices = yield* DeviceStatus
    const byKey = new Map(layout.compartments.map((c) => [channelKey(c.channel), c.id]))
    const watchdogs = yield* FiberMap.make<CompartmentId>()

    /**
     * A door still open after `doorOpenAlarmSeconds` calls staff, unless staff
     * themselves are loading or returning, or a pickup is still under way
     * (the pickup raises its own alarm).
     */
    const doorWatchdog = (id: CompartmentId) =>
      Effect.gen(function*() {
        yield* Effect.sleep(Duration.seconds(config.doorOpenAlarmSeconds))
        const c = yield* compartments.get(id)
        if (c.door !== "open") return
        if (c.state === "open" && (c.purpose === "load" || c.purpose === "return")) return
        if (c.orderId !== null && (yield* sessions.pickupUnderWay(c.orderId))) return
        yield* alarms.raise("door_left_open", id, `compartment ${id} has been open for more than ${config.doorOpenAlarmSeconds} s`)
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("door watchdog failed", cause)))

    const handle = (change: LockerChange) =>
      Effect.gen(function*() {
        if (change._tag === "BoardOnline") {
          // One path for every device that comes and goes: the device watch logs it and raises (and resolves) the alarm.
          return yield* devices.report("locker", change.online, change.online ? "answers again" : "does not answer", `board ${change.board}`)
        }
        const id = byKey.get(channelKey(change.channel))
        if (id === undefined) return
        if (change._tag === "DoorChanged") {
          yield* compartments.recordSensors(change.channel.board, change.channel.lock, change.door, undefined)
          if (change.door === "open") yield* FiberMap.run(watchdogs, id, doorWatchdog(id))
          else yield* FiberMap.remove(watchdogs, id)
          if (change.door === "closed") {
            if ((yield* compartments.settleClosed(id)) !== "none") yield* log.append({ _tag: "DoorClosed", compartmentId: id })
            const c = yield* compartments.get(id)
            if (c.state === "open" && c.orderId === null && c.item) {
              // shut on something nobody owns: not freed for the next load, staff must empty it
              const finding = `compartment ${id} was shut with an item in it that belongs to no order`
              yield* log.append({ _tag: "ReconciliationFinding", compartmentId: id, finding })
              yield* alarms.raise("reconciliation", id, finding)
            }
          }
        } else {
          yield* compartments.recordSensors(change.channel.board, change.channel.lock, undefined, change.item)
          if (change.item === false) {
            // A document vanished from a compartment that holds an order, outside any pickup or return.
            const c = yield* compartments.get(id)
            const unattended = c.state === "loaded" || c.state === "out_of_service" ||
              (c.state === "open" && c.orderId !== null && !(yield* sessions.pickupUnderWay(c.orderId)) && c.purpose === "pickup")
            if (c.orderId !== null && unattended) {
              const finding = `document of order ${c.orderId} removed from compartment ${id} without a pickup`
              yield* log.append({ _tag: "ReconciliationFinding", compartmentId: id, finding })
              yield* alarms.raise("reconciliation", id, finding)
            }
          }
        }
      })

    /** Reads every board once and writes what it sees. */
    const refresh = Effect.gen(function*() {
      const snapshot = yield* locker.snapshot
      for (const s of snapshot) yield* compartments.recordSensors(s.channel.board, s.channel.lock, s.door, s.item)
      return snapshot
    })

    yield* locker.changes.pipe(
      // in order, each one stored before the next (the hub queues them): a sensor reading the database
      // refused for a while is recorded once it takes it, not dropped (a door shut then is freed then)
      Stream.runForEach((c) =>
        untilStored("a locker sensor change", handle(c)).pipe(Effect.catchAllCause((cause) => Effect.logWarning("locker change not recorded", cause)))
      ),
      Effect.forkScoped
    )
    return { refresh } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, CompartmentsRepo.Default, SessionsRepo.Default]
}) {}
