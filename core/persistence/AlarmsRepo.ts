/**
 * The `alarms` table: its only reader and writer. Rows are decoded with
 * Schema into the domain's `Alarm` (a row that does not decode is a defect of
 * the database, reported with the column at fault, never a half-typed
 * object), and every change is a typed method: raise, resolve, acknowledge.
 * "Open" — neither acknowledged nor resolved — is one predicate, here.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Alarm } from "../domain/alarm.ts"
import { AlarmKind } from "../domain/events.ts"
import { AlarmId, CompartmentId, StaffId } from "../domain/ids.ts"
import { counting, rowsOrDie } from "./rows.ts"

/** A row of `alarms` as both dialects return it, and the domain's Alarm it decodes to. */
export const AlarmRow = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  compartment_id: Schema.NullOr(Schema.Int),
  subject: Schema.String,
  detail: Schema.String,
  raised_at: Schema.String,
  acknowledged_at: Schema.NullOr(Schema.String),
  acknowledged_by: Schema.NullOr(Schema.String),
  acknowledged_note: Schema.NullOr(Schema.String),
  resolved_at: Schema.NullOr(Schema.String)
})

export const AlarmFromRow = Schema.transform(AlarmRow, Alarm, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    kind: r.kind,
    compartmentId: r.compartment_id,
    subject: r.subject,
    detail: r.detail,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedNote: r.acknowledged_note,
    resolvedAt: r.resolved_at
  }),
  encode: (a) => ({
    id: a.id,
    kind: a.kind,
    compartment_id: a.compartmentId,
    subject: a.subject,
    detail: a.detail,
    raised_at: a.raisedAt,
    acknowledged_at: a.acknowledgedAt,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_note: a.acknowledgedNote,
    resolved_at: a.resolvedAt
  })
})

const OpenKey = Schema.Struct({ kind: AlarmKind, subject: Schema.String, compartmentId: Schema.NullOr(CompartmentId) })

export class AlarmsRepo extends Effect.Service<AlarmsRepo>()("amtomat/AlarmsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const isOpen = sql`acknowledged_at IS NULL AND resolved_at IS NULL`

    /** The open alarm of this kind, subject and compartment, if there is one. */
    const findOpen = SqlSchema.findOne({
      Request: OpenKey,
      Result: AlarmFromRow,
      execute: ({ compartmentId, kind, subject }) =>
        sql`SELECT * FROM alarms WHERE kind = ${kind} AND subject = ${subject} AND ${isOpen} AND ${
          compartmentId === null ? sql`compartment_id IS NULL` : sql`compartment_id = ${compartmentId}`
        } LIMIT 1`
    })

    const insert = SqlSchema.void({
      Request: AlarmFromRow,
      execute: (row) => sql`INSERT INTO alarms ${sql.insert(row)}`
    })

    /** Resolves every open alarm of this kind and subject; the ones it resolved. */
    const resolveOpen = SqlSchema.findAll({
      Request: Schema.Struct({ kind: AlarmKind, subject: Schema.String, at: Schema.String }),
      Result: AlarmFromRow,
      execute: ({ at, kind, subject }) => sql`UPDATE alarms SET resolved_at = ${at} WHERE kind = ${kind} AND subject = ${subject} AND ${isOpen} RETURNING *`
    })

    /** Acknowledges the alarm if it is still open; the alarm as it is now, or none (unknown or not open). */
    const acknowledgeOpen = SqlSchema.findOne({
      Request: Schema.Struct({ id: AlarmId, by: StaffId, at: Schema.String, note: Schema.NullOr(Schema.String) }),
      Result: AlarmFromRow,
      execute: ({ at, by, id, note }) =>
        sql`UPDATE alarms SET acknowledged_at = ${at}, acknowledged_by = ${by}, acknowledged_note = ${note} WHERE id = ${id} AND ${isOpen} RETURNING *`
    })

    const find = SqlSchema.findOne({ Request: AlarmId, Result: AlarmFromRow, execute: (id) => sql`SELECT * FROM alarms WHERE id = ${id}` })

    const listOpen = SqlSchema.findAll({
      Request: Schema.Void,
      Result: AlarmFromRow,
      execute: () => sql`SELECT * FROM alarms WHERE ${isOpen} ORDER BY raised_at DESC, id`
    })
    const listRecent = SqlSchema.findAll({
      Request: Schema.Number,
      Result: AlarmFromRow,
      execute: (limit) => sql`SELECT * FROM alarms ORDER BY raised_at DESC, id LIMIT ${limit}`
    })
    const countOpen = counting(Schema.Void, () => sql`SELECT COUNT(*) AS n FROM alarms WHERE ${isOpen}`)

    return {
      findOpen: (key: typeof OpenKey.Type) => rowsOrDie(findOpen(key)),
      insert: (alarm: Alarm) => rowsOrDie(insert(alarm)),
      resolveOpen: (kind: AlarmKind, subject: string, at: string) => rowsOrDie(resolveOpen({ kind, subject, at })),
      acknowledgeOpen: (id: AlarmId, by: StaffId, at: string, note: string | null = null) => rowsOrDie(acknowledgeOpen({ id, by, at, note })),
      find: (id: AlarmId) => rowsOrDie(find(id)),
      list: (onlyOpen: boolean) => rowsOrDie(onlyOpen ? listOpen(undefined) : listRecent(500)),
      countOpen: countOpen(undefined)
    } as const
  })
}) {}
