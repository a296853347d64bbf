/**
 * Transactions that fail as errors, not as defects. @effect/sql turns a
 * failed COMMIT or ROLLBACK into a defect (`orDie`); on a full disk SQLite
 * rolls the transaction back by itself (SQLITE_FULL), the library's ROLLBACK
 * then fails with "no transaction is active", and the caller would see an
 * empty 500 instead of the storage failure. This layer wraps the client so a
 * transaction fails with the SqlError that broke it — the original one (for
 * example SQLITE_FULL), not the failed ROLLBACK — and a connection left
 * inside a transaction by a failed COMMIT is rolled back before it is used
 * again.
 *
 * `afterCommit` defers an effect until the outermost transaction around it
 * has committed (at once outside any): the event log tells live subscribers
 * about an event only once it is durable, never about one rolled back. A
 * nested transaction (a savepoint) that fails drops what it deferred.
 */
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, FiberRef, Layer, Option } from "effect"

const isSqlError = (u: unknown): u is SqlError => u instanceof SqlError

/**
 * What the transaction around the current fiber runs once it commits. A fiber
 * forked inside a transaction (a door watch) outlives it, so it starts with none.
 */
const deferred = FiberRef.unsafeMake<Option.Option<Array<Effect.Effect<void>>>>(Option.none(), { fork: () => Option.none() })

/** Runs `effect` once the enclosing transaction commits, or now when there is none; dropped on rollback. */
export const afterCommit = (effect: Effect.Effect<void>): Effect.Effect<void> =>
  Effect.flatMap(
    FiberRef.get(deferred),
    Option.match({
      onNone: () => effect,
      onSome: (pending) => Effect.sync(() => void pending.push(effect))
    })
  )

export const robust = (client: SqlClient.SqlClient): SqlClient.SqlClient => {
  const withTransaction = <R, E, A>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    Effect.flatMap(FiberRef.get(deferred), (outer) => {
      let broke: unknown = undefined
      const mine: Array<Effect.Effect<void>> = []
      const body = Effect.locally(Effect.tapError(self, (e) => Effect.sync(() => void (broke = e))), deferred, Option.some(mine))
      // committed (or released, for a savepoint): hand the deferred effects to the transaction around, or run them
      const settled = Option.match(outer, {
        onNone: () => Effect.forEach(mine, (e) => e, { discard: true }),
        onSome: (pending) => Effect.sync(() => void pending.push(...mine))
      })
      return client.withTransaction(body).pipe(
        Effect.catchAllDefect((defect) =>
          isSqlError(defect)
            ? Effect.zipRight(
              // a COMMIT that failed may leave the transaction open; it must not swallow the next statements
              Effect.ignore(client.unsafe("ROLLBACK")),
              Effect.fail(isSqlError(broke) ? broke : defect)
            )
            : Effect.die(defect)
        ),
        Effect.tap(() => settled)
      )
    })
  return Object.assign((...args: Parameters<SqlClient.SqlClient>) => client(...args), client, { withTransaction }) as SqlClient.SqlClient
}

/** Replaces the SqlClient below it with the robust one. */
export const layer = Layer.effect(SqlClient.SqlClient, Effect.map(SqlClient.SqlClient, robust))

/**
 * The database's transaction, for use cases that group several repositories' writes (and the
 * events they log) into one commit without touching SQL themselves.
 */
export const withTransaction = Effect.map(
  SqlClient.SqlClient,
  (sql) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> => sql.withTransaction(self)
)
