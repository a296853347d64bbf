/**
 * Alarms for staff: door left open, jam, device offline, … Raising the same
 * open alarm twice (same kind, compartment and subject) returns the first one
 * instead of a duplicate. An alarm is open until staff acknowledge it or its
 * condition resolves by itself (a device that came back).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { Alarm } from "../domain/alarm.ts"
import { Conflict, NotFound } from "../domain/errors.ts"
import type { AlarmKind } from "../domain/events.ts"
import { AlarmId, type CompartmentId, type StaffId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { makeId, nowIso } from "./support.ts"

interface AlarmRow {
  id: string
  kind: string
  compartment_id: number | null
  subject: string
  detail: string
  raised_at: string
  acknowledged_at: string | null
  acknowledged_by: string | null
  resolved_at: string | null
}
const toAlarm = (r: AlarmRow) =>
  new Alarm({
    id: AlarmId.make(r.id),
    kind: r.kind,
    compartmentId: r.compartment_id,
    subject: r.subject,
    detail: r.detail,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    resolvedAt: r.resolved_at
  })

export class Alarms extends Effect.Service<Alarms>()("amtomat/Alarms", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const log = yield* EventLog

    const isOpen = sql`acknowledged_at IS NULL AND resolved_at IS NULL`

    const raise = Effect.fn("Alarms.raise")(function*(kind: AlarmKind, compartmentId: CompartmentId | null, detail: string, subject = "") {
      const open = yield* sql<AlarmRow>`SELECT * FROM alarms WHERE kind = ${kind} AND subject = ${subject} AND ${isOpen} AND ${
        compartmentId === null ? sql`compartment_id IS NULL` : sql`compartment_id = ${compartmentId}`
      } LIMIT 1`
      if (open[0]) return toAlarm(open[0])
      const id = AlarmId.make(yield* makeId("alm"))
      const raisedAt = yield* nowIso
      yield* sql.withTransaction(Effect.zipRight(
        sql`INSERT INTO alarms ${sql.insert({ id, kind, compartment_id: compartmentId, subject, detail, raised_at: raisedAt })}`,
        log.append({ _tag: "AlarmRaised", alarmId: id, kind, compartmentId, detail })
      ))
      return toAlarm({
        id,
        kind,
        compartment_id: compartmentId,
        subject,
        detail,
        raised_at: raisedAt,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null
      })
    })

    /** The condition went away by itself: every open alarm of this kind and subject is resolved (logged). */
    const resolve = Effect.fn("Alarms.resolve")(function*(kind: AlarmKind, subject: string, detail: string) {
      const at = yield* nowIso
      return yield* sql.withTransaction(Effect.gen(function*() {
        const resolved = yield* sql<AlarmRow>`UPDATE alarms SET resolved_at = ${at}
          WHERE kind = ${kind} AND subject = ${subject} AND ${isOpen} RETURNING *`
        for (const r of resolved) yield* log.append({ _tag: "AlarmResolved", alarmId: AlarmId.make(r.id), detail })
        return resolved.length
      }))
    })

    const acknowledge = Effect.fn("Alarms.acknowledge")(function*(id: AlarmId, by: StaffId) {
      const at = yield* nowIso
      const changed = yield* sql<AlarmRow>`UPDATE alarms SET acknowledged_at = ${at}, acknowledged_by = ${by}
        WHERE id = ${id} AND ${isOpen} RETURNING *`
      if (!changed[0]) {
        const exists = yield* sql`SELECT id FROM alarms WHERE id = ${id}`
        if (exists.length === 0) return yield* new NotFound({ resource: "alarm", id, message: `no alarm ${id}` })
        return yield* new Conflict({ reason: "AlreadyAcknowledged", message: `alarm ${id} was already acknowledged` })
      }
      yield* log.append({ _tag: "AlarmAcknowledged", alarmId: id, by })
      return toAlarm(changed[0])
    })

    const list = (onlyOpen: boolean) =>
      Effect.map(
        onlyOpen
          ? sql<AlarmRow>`SELECT * FROM alarms WHERE ${isOpen} ORDER BY raised_at DESC`
          : sql<AlarmRow>`SELECT * FROM alarms ORDER BY raised_at DESC LIMIT 500`,
        (rows) => rows.map(toAlarm)
      )

    return { raise, resolve, acknowledge, list } as const
  }),
  dependencies: [EventLog.Default]
}) {}
