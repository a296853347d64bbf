/**
 * What a repository does with a row that does not decode: the table holds
 * something its schema forbids (a hand edit, a bug in a migration) — a defect
 * of the database, not an outcome for the caller to handle. It dies with the
 * table's own words (which column, which value), so the failure names what
 * is wrong, and the caller's error channel keeps only SqlError. The same for
 * an aggregate (`SqlSchema.single`) that returned no row.
 */
import { Cause, Effect, ParseResult } from "effect"

export const rowsOrDie = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, ParseResult.ParseError | Cause.NoSuchElementException>, R> =>
  Effect.catchAll(effect, (e) =>
    ParseResult.isParseError(e)
      ? Effect.dieMessage(`a database row does not match its schema: ${ParseResult.TreeFormatter.formatErrorSync(e)}`)
      : Cause.isNoSuchElementException(e)
      ? Effect.dieMessage("a database query that returns one row returned none")
      : Effect.fail(e as Exclude<E, ParseResult.ParseError | Cause.NoSuchElementException>))
