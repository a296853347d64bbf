/**
 * What a repository does with a row that does not decode: the table holds
 * something its schema forbids (a hand edit, a bug in a migration) — a defect
 * of the database, not an outcome for the caller to handle. It dies with the
 * table's own words (which column, which value), so the failure names what
 * is wrong, and the caller's error channel keeps only SqlError. The same for
 * an aggregate (`SqlSchema.single`) that returned no row.
 */
import { SqlSchema } from "@effect/sql"
import { Cause, Effect, ParseResult, Schema } from "effect"

export const rowsOrDie = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, ParseResult.ParseError | Cause.NoSuchElementException>, R> =>
  Effect.catchAll(effect, (e) =>
    ParseResult.isParseError(e)
      ? Effect.dieMessage(`a database row does not match its schema: ${ParseResult.TreeFormatter.formatErrorSync(e)}`)
      : Cause.isNoSuchElementException(e)
      ? Effect.dieMessage("a database query that returns one row returned none")
      : Effect.fail(e as Exclude<E, ParseResult.ParseError | Cause.NoSuchElementException>))

const Count = Schema.Struct({ n: Schema.NonNegativeInt })

/**
 * A `SELECT COUNT(*) AS n …` as a function of its request: the number, decoded
 * like any row (PostgreSQL's COUNT is int8, read as a number by the client).
 */
export const counting = <I, II, E>(
  Request: Schema.Schema<I, II>,
  execute: (request: II) => Effect.Effect<ReadonlyArray<unknown>, E>
) => {
  const run = SqlSchema.single({ Request, Result: Count, execute })
  return (request: I) => rowsOrDie(Effect.map(run(request), (r) => r.n))
}
