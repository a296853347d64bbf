/**
 * Alarms for staff: door left open, jam, device offline, … Raising the same
 * unacknowledged alarm twice returns the first one instead of a duplicate.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Conflict, NotFound } from "../domain/errors.ts"
import type { AlarmKind } from "../domain/events.ts"
import { AlarmId, type CompartmentId, type StaffId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { makeId, nowIso } from "./support.ts"

export class Alarm extends Schema.Class<Alarm>("Alarm")({
  id: AlarmId,
  kind: Schema.String,
  compartmentId: Schema.NullOr(Schema.Int),
  detail: Schema.String,
  raisedAt: Schema.String,
  acknowledgedAt: Schema.NullOr(Schema.String),
  acknowledgedBy: Schema.NullOr(Schema.String)
}) {}

interface AlarmRow {
  id: string
  kind: string
  compartment_id: number | null
  detail: string
  raised_at: string
  acknowledged_at: string | null
  acknowledged_by: string | null
}
const toAlarm = (r: AlarmRow) =>
  new Alarm({
    id: AlarmId.make(r.id),
    kind: r.kind,
    compartmentId: r.compartment_id,
    detail: r.detail,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by
  })

export class Alarms extends Effect.Service<Alarms>()("amtomat/Alarms", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const log = yield* EventLog

    const raise = Effect.fn("Alarms.raise")(function*(kind: AlarmKind, compartmentId: CompartmentId | null, detail: string) {
      const open = yield* sql<AlarmRow>`SELECT * FROM alarms WHERE kind = ${kind} AND acknowledged_at IS NULL AND ${
        compartmentId === null ? sql`compartment_id IS NULL` : sql`compartment_id = ${compartmentId}`
      } LIMIT 1`
      if (open[0]) return toAlarm(open[0])
      const id = AlarmId.make(yield* makeId("alm"))
      const raisedAt = yield* nowIso
      yield* sql.withTransaction(Effect.zipRight(
        sql`INSERT INTO alarms ${sql.insert({ id, kind, compartment_id: compartmentId, detail, raised_at: raisedAt })}`,
        log.append({ _tag: "AlarmRaised", alarmId: id, kind, compartmentId, detail })
      ))
      return toAlarm({ id, kind, compartment_id: compartmentId, detail, raised_at: raisedAt, acknowledged_at: null, acknowledged_by: null })
    })

    const acknowledge = Effect.fn("Alarms.acknowledge")(function*(id: AlarmId, by: StaffId) {
      const at = yield* nowIso
      const changed = yield* sql<AlarmRow>`UPDATE alarms SET acknowledged_at = ${at}, acknowledged_by = ${by}
        WHERE id = ${id} AND acknowledged_at IS NULL RETURNING *`
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
          ? sql<AlarmRow>`SELECT * FROM alarms WHERE acknowledged_at IS NULL ORDER BY raised_at DESC`
          : sql<AlarmRow>`SELECT * FROM alarms ORDER BY raised_at DESC LIMIT 500`,
        (rows) => rows.map(toAlarm)
      )

    return { raise, acknowledge, list } as const
  }),
  dependencies: [EventLog.Default]
}) {}
