/**
 * The `codes` table (one-time pickup codes): its only writer. Rows are
 * decoded with Schema into the domain's `OneTimeCode`. One code per order: a
 * new one replaces the last (an upsert both dialects know).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { OrderId } from "../domain/ids.ts"
import { OneTimeCode } from "../domain/oneTimeCode.ts"
import { counting, rowsOrDie } from "./rows.ts"

/** A row of `codes` as both dialects return it (millis as numbers), and the OneTimeCode it decodes to. */
export const CodeRow = Schema.Struct({
  order_id: Schema.String,
  session_id: Schema.String,
  code_hash: Schema.String,
  expires_at: Schema.Int,
  used: Schema.Literal(0, 1),
  sent_count: Schema.Int
})

export const CodeFromRow = Schema.transform(CodeRow, OneTimeCode, {
  strict: true,
  decode: (r) => ({
    orderId: r.order_id,
    sessionId: r.session_id,
    codeHash: r.code_hash,
    expiresAt: r.expires_at,
    used: r.used === 1,
    sentCount: r.sent_count
  }),
  encode: (c) => ({
    order_id: c.orderId,
    session_id: c.sessionId,
    code_hash: c.codeHash,
    expires_at: c.expiresAt,
    used: c.used ? 1 as const : 0 as const,
    sent_count: c.sentCount
  })
})

export class CodesRepo extends Effect.Service<CodesRepo>()("amtomat/CodesRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    /** Retention deletes a code once it is used or expired. */
    const spent = (now: number) => sql`used = 1 OR expires_at < ${now}`

    const find_ = SqlSchema.findOne({ Request: OrderId, Result: CodeFromRow, execute: (orderId) => sql`SELECT * FROM codes WHERE order_id = ${orderId}` })
    const issue_ = SqlSchema.void({
      Request: CodeFromRow,
      execute: (row) =>
        sql`INSERT INTO codes ${sql.insert(row)}
          ON CONFLICT (order_id) DO UPDATE SET session_id = excluded.session_id, code_hash = excluded.code_hash,
            expires_at = excluded.expires_at, used = excluded.used, sent_count = excluded.sent_count`
    })
    const markUsed_ = SqlSchema.void({ Request: OrderId, execute: (orderId) => sql`UPDATE codes SET used = 1 WHERE order_id = ${orderId}` })
    const countSpent_ = counting(Schema.Int, (now) => sql`SELECT COUNT(*) AS n FROM codes WHERE ${spent(now)}`)
    const deleteSpent_ = SqlSchema.void({ Request: Schema.Int, execute: (now) => sql`DELETE FROM codes WHERE ${spent(now)}` })

    return {
      /** The order's code, if one was sent. */
      find: (orderId: OrderId) => rowsOrDie(find_(orderId)),
      /** Stores a code sent for the order, replacing the one before. */
      issue: (code: OneTimeCode) => rowsOrDie(issue_(code)),
      /** The code can no longer be used (it was, or the order was locked). */
      markUsed: (orderId: OrderId) => rowsOrDie(markUsed_(orderId)),
      /** Retention: codes used or expired at `now`. */
      countSpent: countSpent_,
      /** Retention: deletes them. */
      deleteSpent: (now: number) => rowsOrDie(deleteSpent_(now))
    } as const
  })
}) {}
