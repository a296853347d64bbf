/**
 * The `sessions` table (card sessions): its only writer. Rows are decoded
 * with Schema into the domain's `CardSession`. A session ends once: ending is
 * a conditional update that applies only to a session still open and returns
 * the sessions it ended, so of two racing ends exactly one reports the end.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { OrderId, SessionId } from "../domain/ids.ts"
import { CardSession, SessionEndReason } from "../domain/session.ts"
import { counting, rowsOrDie } from "./rows.ts"

const Flag = Schema.Literal(0, 1)

/** A row of `sessions` as both dialects return it (millis as numbers), and the CardSession it decodes to. */
export const SessionRow = Schema.Struct({
  id: Schema.String,
  card_key: Schema.String,
  started_at: Schema.Int,
  last_seen: Schema.Int,
  ended_at: Schema.NullOr(Schema.Int),
  end_reason: Schema.NullOr(SessionEndReason),
  order_id: Schema.NullOr(Schema.String),
  verified: Flag,
  intake_done: Flag,
  opened: Flag
})

const flag = (b: boolean) => b ? 1 as const : 0 as const

export const SessionFromRow = Schema.transform(SessionRow, CardSession, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    cardKey: r.card_key,
    startedAt: r.started_at,
    lastSeen: r.last_seen,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    orderId: r.order_id,
    verified: r.verified === 1,
    intakeDone: r.intake_done === 1,
    opened: r.opened === 1
  }),
  encode: (s) => ({
    id: s.id,
    card_key: s.cardKey,
    started_at: s.startedAt,
    last_seen: s.lastSeen,
    ended_at: s.endedAt,
    end_reason: s.endReason,
    order_id: s.orderId,
    verified: flag(s.verified),
    intake_done: flag(s.intakeDone),
    opened: flag(s.opened)
  })
})

const End = Schema.Struct({ at: Schema.Int, reason: SessionEndReason })

export class SessionsRepo extends Effect.Service<SessionsRepo>()("amtomat/SessionsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    /** Retention deletes ended sessions started before this time. */
    const retentionDue = (startedBefore: number) => sql`started_at < ${startedBefore} AND ended_at IS NOT NULL`

    const insert_ = SqlSchema.void({ Request: SessionFromRow, execute: (row) => sql`INSERT INTO sessions ${sql.insert(row)}` })
    const find_ = SqlSchema.findOne({ Request: SessionId, Result: SessionFromRow, execute: (id) => sql`SELECT * FROM sessions WHERE id = ${id}` })
    const latestOpen_ = SqlSchema.findOne({
      Request: Schema.Void,
      Result: SessionFromRow,
      execute: () => sql`SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`
    })
    const touch_ = SqlSchema.void({
      Request: Schema.Struct({ id: SessionId, at: Schema.Int }),
      execute: ({ at, id }) => sql`UPDATE sessions SET last_seen = ${at} WHERE id = ${id}`
    })
    const end_ = SqlSchema.findOne({
      Request: Schema.Struct({ id: SessionId, ...End.fields }),
      Result: SessionFromRow,
      execute: ({ at, id, reason }) => sql`UPDATE sessions SET ended_at = ${at}, end_reason = ${reason} WHERE id = ${id} AND ended_at IS NULL RETURNING *`
    })
    const endAllOpen_ = SqlSchema.findAll({
      Request: End,
      Result: SessionFromRow,
      execute: ({ at, reason }) => sql`UPDATE sessions SET ended_at = ${at}, end_reason = ${reason} WHERE ended_at IS NULL RETURNING *`
    })
    const endIdle_ = SqlSchema.findAll({
      Request: Schema.Struct({ at: Schema.Int, seenBefore: Schema.Int }),
      Result: SessionFromRow,
      execute: ({ at, seenBefore }) =>
        sql`UPDATE sessions SET ended_at = ${at}, end_reason = 'timeout' WHERE ended_at IS NULL AND last_seen < ${seenBefore} RETURNING *`
    })
    const startPickup_ = SqlSchema.void({
      Request: Schema.Struct({ id: SessionId, orderId: OrderId }),
      execute: ({ id, orderId }) => sql`UPDATE sessions SET order_id = ${orderId}, verified = 0, intake_done = 0, opened = 0 WHERE id = ${id}`
    })
    const clearPickup_ = SqlSchema.void({
      Request: SessionId,
      execute: (id) => sql`UPDATE sessions SET order_id = NULL, verified = 0, intake_done = 0, opened = 0 WHERE id = ${id}`
    })
    const markVerified_ = SqlSchema.void({ Request: SessionId, execute: (id) => sql`UPDATE sessions SET verified = 1 WHERE id = ${id}` })
    const markIntakeDone_ = SqlSchema.void({ Request: SessionId, execute: (id) => sql`UPDATE sessions SET intake_done = 1 WHERE id = ${id}` })
    const setOpened_ = SqlSchema.void({
      Request: Schema.Struct({ id: SessionId, opened: Schema.Boolean }),
      execute: ({ id, opened }) => sql`UPDATE sessions SET opened = ${flag(opened)} WHERE id = ${id}`
    })
    const pickupUnderWay_ = SqlSchema.findAll({
      Request: OrderId,
      Result: Schema.Struct({ id: SessionId }),
      execute: (orderId) => sql`SELECT id FROM sessions WHERE order_id = ${orderId} AND opened = 1 AND ended_at IS NULL`
    })
    const countRetentionDue_ = counting(Schema.Int, (startedBefore) => sql`SELECT COUNT(*) AS n FROM sessions WHERE ${retentionDue(startedBefore)}`)
    const deleteRetentionDue_ = SqlSchema.void({
      Request: Schema.Int,
      execute: (startedBefore) => sql`DELETE FROM sessions WHERE ${retentionDue(startedBefore)}`
    })

    return {
      /** A new session (open, no pickup yet, as a rule). */
      insert: (session: CardSession) => rowsOrDie(insert_(session)),
      find: (id: SessionId) => rowsOrDie(find_(id)),
      exists: (id: SessionId) => rowsOrDie(Effect.map(find_(id), Option.isSome)),
      /** The open session started last: the one in front of the terminal. */
      latestOpen: rowsOrDie(latestOpen_(undefined)),
      /** Marks activity. */
      touch: (id: SessionId, at: number) => rowsOrDie(touch_({ id, at })),
      /** Ends the session if it is still open; the session as ended, or none (unknown or already ended). */
      end: (id: SessionId, reason: SessionEndReason, at: number) => rowsOrDie(end_({ id, at, reason })),
      /** Ends every open session; the sessions it ended. */
      endAllOpen: (reason: SessionEndReason, at: number) => rowsOrDie(endAllOpen_({ at, reason })),
      /** Ends (timeout) every open session last seen before `seenBefore`; the sessions it ended. */
      endIdle: (seenBefore: number, at: number) => rowsOrDie(endIdle_({ at, seenBefore })),
      /** The citizen names an order: a pickup starts afresh (code not yet confirmed, nothing handed in or opened). */
      startPickup: (id: SessionId, orderId: OrderId) => rowsOrDie(startPickup_({ id, orderId })),
      /** The pickup is over (done or abandoned): the session holds no order. */
      clearPickup: (id: SessionId) => rowsOrDie(clearPickup_(id)),
      markVerified: (id: SessionId) => rowsOrDie(markVerified_(id)),
      markIntakeDone: (id: SessionId) => rowsOrDie(markIntakeDone_(id)),
      /** Whether the session's pickup has its door opened (claimed) or not (again). */
      setOpened: (id: SessionId, opened: boolean) => rowsOrDie(setOpened_({ id, opened })),
      /** Whether an open session holds this order's compartment open (a pickup under way). */
      pickupUnderWay: (orderId: OrderId) => rowsOrDie(Effect.map(pickupUnderWay_(orderId), (rows) => rows.length > 0)),
      /** Retention: ended sessions started before this time. */
      countRetentionDue: countRetentionDue_,
      /** Retention: deletes them. */
      deleteRetentionDue: (startedBefore: number) => rowsOrDie(deleteRetentionDue_(startedBefore))
    } as const
  })
}) {}
