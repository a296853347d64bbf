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
import { Effect, Option } from "effect"
import { TerminalPolicy } from "../domain/config.ts"
import { PickupFailed } from "../domain/errors.ts"
import { ThrottleRepo } from "../persistence/ThrottleRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { nowMillis } from "./support.ts"

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
    const repo = yield* ThrottleRepo
    const transaction = yield* withTransaction
    const config = yield* TerminalPolicy
    const terminalScope = `terminal:${config.terminalId}`
    const scopes = (cardKey: string) =>
      [
        { scope: terminalScope, threshold: config.terminalFailuresBeforeDelay },
        { scope: `card:${cardKey}`, threshold: config.cardFailuresBeforeDelay }
      ] as const

    /** Fails with Throttled while the terminal or this card is in a back-off period. */
    const check = Effect.fn("Throttle.check")(function*(cardKey: string) {
      const now = yield* nowMillis
      const rows = yield* repo.find([terminalScope, `card:${cardKey}`])
      const until = Math.max(0, ...rows.map((r) => r.blockedUntil))
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
      yield* transaction(Effect.forEach(scopes(cardKey), ({ scope, threshold }) =>
        repo.recordFailure(scope, now, (current) => {
          const score = Option.match(current, {
            onNone: () => 0,
            onSome: (row) => decayed(row.score, now - row.updatedAt, config.failureHalfLifeSeconds)
          }) + 1
          const delay = delaySeconds(score, threshold, config.failureBaseDelaySeconds, config.terminalMaxDelaySeconds)
          const blockedUntil = Math.max(
            Option.match(current, { onNone: () => 0, onSome: (row) => row.blockedUntil }),
            delay > 0 ? now + Math.round(delay * 1000) : 0
          )
          return { score, blockedUntil }
        }), { discard: true }))
    })

    return { check, failure } as const
  }),
  dependencies: [ThrottleRepo.Default]
}) {}
