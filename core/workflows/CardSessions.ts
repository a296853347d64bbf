/**
 * Card sessions: a bank card read at the terminal opens a session. Only a
 * keyed hash of the card's identifier is kept. A session ends when the
 * citizen is done, cancels, or is idle too long.
 */
import { SqlClient } from "@effect/sql"
import { Duration, Effect } from "effect"
import { Secrets, TerminalConfig } from "../domain/config.ts"
import { CardNotRead, PickupFailed } from "../domain/errors.ts"
import { type OrderId, SessionId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { CardTerminal } from "../ports/CardTerminal.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import { keyedHash, nowMillis } from "./support.ts"

export interface SessionRow {
  id: string
  card_key: string
  started_at: number
  last_seen: number
  ended_at: number | null
  end_reason: string | null
  order_id: string | null
  verified: number
  intake_done: number
  opened: number
}

export interface ActiveSession {
  readonly id: SessionId
  readonly cardKey: string
  readonly orderId: OrderId | null
  readonly verified: boolean
  readonly intakeDone: boolean
  readonly opened: boolean
  readonly startedAt: number
}

const toActive = (r: SessionRow): ActiveSession => ({
  id: SessionId.make(r.id),
  cardKey: r.card_key,
  orderId: r.order_id as OrderId | null,
  verified: r.verified === 1,
  intakeDone: r.intake_done === 1,
  opened: r.opened === 1,
  startedAt: r.started_at
})

export class CardSessions extends Effect.Service<CardSessions>()("amtomat/CardSessions", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const card = yield* CardTerminal
    const config = yield* TerminalConfig
    const secrets = yield* Secrets
    const secure = yield* SecureRandom
    const log = yield* EventLog

    type EndReason = "finished" | "timeout" | "cancelled" | "reload"

    /**
     * Logs the end of each session, and settles a pickup that was under way:
     * before the door opened it is abandoned (nothing physical happened); once
     * the door opened, the door's watch settles it against the sensors.
     */
    const ended = (rows: ReadonlyArray<SessionRow>, reason: EndReason) =>
      Effect.forEach(rows, (r) =>
        Effect.gen(function*() {
          const sessionId = SessionId.make(r.id)
          if (r.order_id !== null && r.opened === 0) {
            yield* sql`UPDATE sessions SET order_id = NULL, verified = 0, intake_done = 0 WHERE id = ${r.id}`
            const step = r.verified === 1 ? (r.intake_done === 1 ? "open" as const : "intake" as const) : "code" as const
            yield* log.append({
              _tag: "PickupAbandoned",
              sessionId,
              orderId: r.order_id as OrderId,
              step,
              reason: reason === "reload" ? "page-reloaded" : reason
            })
          }
          yield* log.append({ _tag: "CardSessionEnded", sessionId, reason })
        }), { discard: true })

    const endActive = (reason: EndReason) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        yield* ended(
          yield* sql<SessionRow>`UPDATE sessions SET ended_at = ${now}, end_reason = ${reason}
          WHERE ended_at IS NULL RETURNING *`,
          reason
        )
      })

    /** Waits for a card at the terminal and opens a session. Any earlier session is cancelled: one citizen at a time. */
    const start = Effect.fn("CardSessions.start")(function*() {
      const read = yield* card.readCard(Duration.seconds(config.cardReadSeconds)).pipe(
        Effect.catchTag("CardError", (e) =>
          Effect.zipRight(
            log.append({ _tag: "CardReadFailed", reason: e.reason }),
            Effect.fail(new CardNotRead({ reason: e.reason, message: e.message }))
          ))
      )
      const cardKey = keyedHash(secrets.cardKey, read.cardId).slice(0, 32)
      yield* endActive("cancelled")
      const id = SessionId.make(yield* secure.id("ses"))
      const now = yield* nowMillis
      yield* sql`INSERT INTO sessions ${sql.insert({ id, card_key: cardKey, started_at: now, last_seen: now })}`
      yield* log.append({ _tag: "CardSessionStarted", sessionId: id, cardKey })
      return { sessionId: id, idleSeconds: config.sessionIdleSeconds }
    })

    /** The session if it is still alive; marks activity. Ends it with `timeout` when it was idle too long. */
    const require = Effect.fn("CardSessions.require")(function*(id: SessionId) {
      const rows = yield* sql<SessionRow>`SELECT * FROM sessions WHERE id = ${id}`
      const row = rows[0]
      const expired = () => new PickupFailed({ reason: "SessionExpired", message: "the card session has ended; insert the card again" })
      if (!row || row.ended_at !== null) return yield* expired()
      const now = yield* nowMillis
      if (now - row.last_seen > config.sessionIdleSeconds * 1000) {
        yield* ended(
          yield* sql<SessionRow>`UPDATE sessions SET ended_at = ${now}, end_reason = 'timeout'
          WHERE id = ${id} AND ended_at IS NULL RETURNING *`,
          "timeout"
        )
        return yield* expired()
      }
      yield* sql`UPDATE sessions SET last_seen = ${now} WHERE id = ${id}`
      return toActive(row)
    })

    const update = (id: SessionId, fields: Partial<Pick<SessionRow, "order_id" | "verified" | "intake_done" | "opened">>) =>
      sql`UPDATE sessions SET ${sql.update(fields)} WHERE id = ${id}`

    /** Ends a session (the citizen is done or pressed cancel). Idempotent. */
    const end = Effect.fn("CardSessions.end")(function*(id: SessionId, reason: "finished" | "cancelled") {
      const now = yield* nowMillis
      const rows = yield* sql<SessionRow>`UPDATE sessions SET ended_at = ${now}, end_reason = ${reason}
        WHERE id = ${id} AND ended_at IS NULL RETURNING *`
      yield* ended(rows, reason)
      return rows.length > 0
    })

    /** The kiosk page was loaded afresh: whoever was in front of it before is gone. */
    const endAll = Effect.fn("CardSessions.endAll")(function*(reason: "reload") {
      yield* endActive(reason)
    })

    /** Sessions idle past the limit are closed (run periodically). */
    const sweep = Effect.gen(function*() {
      const now = yield* nowMillis
      const stale = yield* sql<SessionRow>`UPDATE sessions SET ended_at = ${now}, end_reason = 'timeout'
        WHERE ended_at IS NULL AND last_seen < ${now - config.sessionIdleSeconds * 1000} RETURNING *`
      yield* ended(stale, "timeout")
      return stale.length
    })

    const exists = (id: SessionId) => Effect.map(sql`SELECT id FROM sessions WHERE id = ${id}`, (r) => r.length > 0)

    /** The session in front of the terminal now, if any. */
    const active = Effect.map(
      sql<SessionRow>`SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1`,
      (rows) => rows[0] === undefined ? null : toActive(rows[0])
    )

    return { start, require, update, end, endAll, sweep, exists, active } as const
  }),
  dependencies: [EventLog.Default]
}) {}
