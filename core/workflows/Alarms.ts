/**
 * Alarms for staff: door left open, jam, device offline, … Raising the same
 * open alarm twice (same kind, compartment and subject) returns the first one
 * instead of a duplicate. An alarm is open until staff acknowledge it or its
 * condition resolves by itself (a device that came back).
 */
import { Effect, Option } from "effect"
import { Alarm } from "../domain/alarm.ts"
import { Conflict, NotFound } from "../domain/errors.ts"
import type { AlarmKind } from "../domain/events.ts"
import { AlarmId, type CompartmentId, type StaffId } from "../domain/ids.ts"
import { AlarmsRepo } from "../persistence/AlarmsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { makeId, nowIso } from "./support.ts"

export class Alarms extends Effect.Service<Alarms>()("amtomat/Alarms", {
  effect: Effect.gen(function*() {
    const repo = yield* AlarmsRepo
    const log = yield* EventLog
    const transaction = yield* withTransaction

    const raise = Effect.fn("Alarms.raise")(function*(kind: AlarmKind, compartmentId: CompartmentId | null, detail: string, subject = "") {
      const open = yield* repo.findOpen({ kind, subject, compartmentId })
      if (Option.isSome(open)) return open.value
      const alarm = new Alarm({
        id: AlarmId.make(yield* makeId("alm")),
        kind,
        compartmentId,
        subject,
        detail,
        raisedAt: yield* nowIso,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgedNote: null,
        resolvedAt: null
      })
      yield* transaction(Effect.zipRight(
        repo.insert(alarm),
        log.append({ _tag: "AlarmRaised", alarmId: alarm.id, kind, compartmentId, detail })
      ))
      return alarm
    })

    /** The condition went away by itself: every open alarm of this kind and subject is resolved (logged). */
    const resolve = Effect.fn("Alarms.resolve")(function*(kind: AlarmKind, subject: string, detail: string) {
      const at = yield* nowIso
      return yield* transaction(Effect.gen(function*() {
        const resolved = yield* repo.resolveOpen(kind, subject, at)
        for (const a of resolved) yield* log.append({ _tag: "AlarmResolved", alarmId: a.id, detail })
        return resolved.length
      }))
    })

    /** `note`: what the member writes about it (blank is none); kept with the alarm and in the event. */
    const acknowledge = Effect.fn("Alarms.acknowledge")(function*(id: AlarmId, by: StaffId, note?: string) {
      const at = yield* nowIso
      const written = note?.trim() ?? ""
      const changed = yield* repo.acknowledgeOpen(id, by, at, written === "" ? null : written)
      if (Option.isNone(changed)) {
        if (Option.isNone(yield* repo.find(id))) return yield* new NotFound({ resource: "alarm", id, message: `no alarm ${id}` })
        return yield* new Conflict({ reason: "AlreadyAcknowledged", message: `alarm ${id} was already acknowledged` })
      }
      yield* log.append({ _tag: "AlarmAcknowledged", alarmId: id, by, ...(written === "" ? {} : { note: written }) })
      return changed.value
    })

    return { raise, resolve, acknowledge, list: repo.list } as const
  }),
  dependencies: [EventLog.Default, AlarmsRepo.Default]
}) {}
