/**
 * The `throttle` table: its only reader and writer. A failure is counted
 * with a compare-and-set on the row's `failures` (its version): the new
 * score is computed from the state read, and written only if no other
 * failure was counted in between — else it is read and computed again. So
 * parallel failures, on SQLite or on PostgreSQL, inside a transaction or
 * not, never overwrite each other: none is lost. The decay rule itself stays
 * with the workflow (`next`), in one place.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { ThrottleScope } from "../domain/throttle.ts"
import { rowsOrDie } from "./rows.ts"

/** A row of `throttle` as both dialects return it, and the ThrottleScope it decodes to. */
export const ThrottleRow = Schema.Struct({
  scope: Schema.String,
  failures: Schema.Int,
  blocked_until: Schema.Int,
  score: Schema.Number,
  updated_at: Schema.Int
})

export const ThrottleFromRow = Schema.transform(ThrottleRow, ThrottleScope, {
  strict: true,
  decode: (r) => ({ scope: r.scope, failures: r.failures, score: r.score, updatedAt: r.updated_at, blockedUntil: r.blocked_until }),
  encode: (s) => ({ scope: s.scope, failures: s.failures, blocked_until: s.blockedUntil, score: s.score, updated_at: s.updatedAt })
})

/** What a counted failure leaves: the new score (as of now) and the block. */
export interface ThrottleUpdate {
  readonly score: number
  readonly blockedUntil: number
}

export class ThrottleRepo extends Effect.Service<ThrottleRepo>()("amtomat/ThrottleRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findAll = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: ThrottleFromRow,
      execute: (scopes) => sql`SELECT * FROM throttle WHERE ${sql.in("scope", scopes)} ORDER BY scope`
    })

    /** The first failure of a scope; none when another one inserted the row first. */
    const insertFirst = SqlSchema.findOne({
      Request: ThrottleFromRow,
      Result: ThrottleFromRow,
      execute: (row) => sql`INSERT INTO throttle ${sql.insert(row)} ON CONFLICT (scope) DO NOTHING RETURNING *`
    })

    /** The next failure of a scope whose row is still at `expected` failures; none when another failure came first. */
    const updateIfUnchanged = SqlSchema.findOne({
      Request: Schema.Struct({ next: ThrottleFromRow, expected: Schema.Int }),
      Result: ThrottleFromRow,
      execute: ({ expected, next }) =>
        sql`UPDATE throttle SET failures = ${next.failures}, score = ${next.score}, blocked_until = ${next.blocked_until},
          updated_at = ${next.updated_at} WHERE scope = ${next.scope} AND failures = ${expected} RETURNING *`
    })

    /**
     * Counts one failure against `scope` at `now`: `next` gets the scope's state as it is (none
     * before its first failure) and says what the failure leaves. The state as written.
     */
    const recordFailure = Effect.fn("ThrottleRepo.recordFailure")(function*(
      scope: string,
      now: number,
      next: (current: Option.Option<ThrottleScope>) => ThrottleUpdate
    ) {
      for (;;) {
        const [current] = yield* findAll([scope])
        const update = next(Option.fromNullable(current))
        const failures = current === undefined ? 1 : current.failures + 1
        const row = new ThrottleScope({ scope, failures, score: update.score, updatedAt: now, blockedUntil: update.blockedUntil })
        const written = current === undefined
          ? yield* insertFirst(row)
          : yield* updateIfUnchanged({ next: row, expected: current.failures })
        if (Option.isSome(written)) return written.value
      }
    })

    return {
      /** The state of these scopes (those that have had a failure), by scope. */
      find: (scopes: ReadonlyArray<string>) => rowsOrDie(findAll(scopes)),
      recordFailure: (scope: string, now: number, next: (current: Option.Option<ThrottleScope>) => ThrottleUpdate) => rowsOrDie(recordFailure(scope, now, next))
    } as const
  })
}) {}
