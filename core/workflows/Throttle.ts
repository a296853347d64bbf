/**
 * Back-off for failed attempts at the terminal (wrong codes, unknown pickup
 * numbers), kept per scope: the whole terminal (`terminal:<id>`) and the card
 * in front of it (`card:<cardKey>`, across all of that card's sessions).
 *
 * Each scope has a failure score that fades with time: a failure adds 1, and
 * the score halves every `failureHalfLifeSeconds`. A correct code changes
 * nothing; only quiet time forgives. Once a failure brings the score above
 * `threshold - 1` (the threshold-th failure in a quick row), the scope is
 * blocked for `min(max, base * 2^(score - threshold))` seconds, so every
 * further fresh failure doubles the wait.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { TerminalConfig } from "../domain/config.ts"
import { PickupFailed } from "../domain/errors.ts"
import { nowMillis } from "./support.ts"

interface ThrottleRow {
  readonly scope: string
  readonly score: number
  readonly updated_at: number
  readonly blocked_until: number
}

/** The score `elapsedMillis` after it was `score`, fading with the half-life. */
export const decayed = (score: number, elapsedMillis: number, halfLifeSeconds: number): number =>
  elapsedMillis <= 0 ? score : score * 2 ** (-elapsedMillis / (halfLifeSeconds * 1000))

/**
 * Seconds a scope is blocked after a failure that left its score at `score`: none while the score is
 * at most `threshold - 1` (so the threshold-th failure in a quick row blocks, though the earlier ones
 * faded a little), then `base * 2^(score - threshold)`, at most `maxSeconds`.
 */
export const delaySeconds = (score: number, threshold: number, baseSeconds: number, maxSeconds: number): number =>
  score <= threshold - 1 ? 0 : Math.min(maxSeconds, baseSeconds * 2 ** (score - threshold))

export class Throttle extends Effect.Service<Throttle>()("amtomat/Throttle", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalConfig
    const terminalScope = `terminal:${config.terminalId}`
    const scopes = (cardKey: string) =>
      [
        { scope: terminalScope, threshold: config.terminalFailuresBeforeDelay },
        { scope: `card:${cardKey}`, threshold: config.cardFailuresBeforeDelay }
      ] as const

    const rowsOf = (cardKey: string) =>
      sql<ThrottleRow>`SELECT scope, score, updated_at, blocked_until FROM throttle
        WHERE scope IN (${terminalScope}, ${`card:${cardKey}`})`

    /** Fails with Throttled while the terminal or this card is in a back-off period. */
    const check = Effect.fn("Throttle.check")(function*(cardKey: string) {
      const now = yield* nowMillis
      const rows = yield* rowsOf(cardKey)
      const until = Math.max(0, ...rows.map((r) => Number(r.blocked_until)))
      if (until > now) {
        return yield* new PickupFailed({
          reason: "Throttled",
          message: "too many failed attempts at this terminal; please wait",
          retryAfterSeconds: Math.ceil((until - now) / 1000)
        })
      }
    })

    /** Counts a failed attempt against the terminal and the card, and blocks a scope that reached its threshold. */
    const failure = Effect.fn("Throttle.failure")(function*(cardKey: string) {
      const now = yield* nowMillis
      yield* sql.withTransaction(Effect.gen(function*() {
        const rows = yield* rowsOf(cardKey)
        for (const { scope, threshold } of scopes(cardKey)) {
          const row = rows.find((r) => r.scope === scope)
          const score = (row === undefined ? 0 : decayed(Number(row.score), now - Number(row.updated_at), config.failureHalfLifeSeconds)) + 1
          const delay = delaySeconds(score, threshold, config.failureBaseDelaySeconds, config.terminalMaxDelaySeconds)
          const blockedUntil = Math.max(row === undefined ? 0 : Number(row.blocked_until), delay > 0 ? now + Math.round(delay * 1000) : 0)
          yield* sql`INSERT INTO throttle (scope, failures, blocked_until, score, updated_at)
            VALUES (${scope}, 1, ${blockedUntil}, ${score}, ${now})
            ON CONFLICT (scope) DO UPDATE SET failures = failures + 1, blocked_until = excluded.blocked_until,
              score = excluded.score, updated_at = excluded.updated_at`
        }
      }))
    })

    return { check, failure } as const
  })
}) {}
