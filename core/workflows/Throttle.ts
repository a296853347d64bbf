/**
 * Back-off for failed attempts at the terminal (wrong codes, unknown pickup
 * numbers): after a few failures every further one doubles the wait before
 * the next try. A success resets it.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { TerminalConfig } from "../domain/config.ts"
import { PickupFailed } from "../domain/errors.ts"
import { nowMillis } from "./support.ts"

export class Throttle extends Effect.Service<Throttle>()("amtomat/Throttle", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalConfig
    const scope = `terminal:${config.terminalId}`

    /** Fails with Throttled while the terminal is in a back-off period. */
    const check = Effect.gen(function*() {
      const now = yield* nowMillis
      const rows = yield* sql<{ blocked_until: number }>`SELECT blocked_until FROM throttle WHERE scope = ${scope}`
      const until = rows[0]?.blocked_until ?? 0
      if (until > now) {
        return yield* new PickupFailed({
          reason: "Throttled",
          message: "too many failed attempts at this terminal; please wait",
          retryAfterSeconds: Math.ceil((until - now) / 1000)
        })
      }
    })

    const failure = Effect.gen(function*() {
      const now = yield* nowMillis
      const rows = yield* sql<{ failures: number }>`INSERT INTO throttle (scope, failures, blocked_until) VALUES (${scope}, 1, 0)
        ON CONFLICT (scope) DO UPDATE SET failures = failures + 1 RETURNING failures`
      const failures = rows[0]?.failures ?? 1
      const over = failures - config.terminalFailuresBeforeDelay
      if (over >= 0) {
        const delay = Math.min(config.terminalMaxDelaySeconds, 2 ** over * 5)
        yield* sql`UPDATE throttle SET blocked_until = ${now + delay * 1000} WHERE scope = ${scope}`
      }
    })

    const success = sql`UPDATE throttle SET failures = 0, blocked_until = 0 WHERE scope = ${scope}`.pipe(Effect.asVoid)

    return { check, failure, success } as const
  })
}) {}
