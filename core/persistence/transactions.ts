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
 */
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"

const isSqlError = (u: unknown): u is SqlError => u instanceof SqlError

export const robust = (client: SqlClient.SqlClient): SqlClient.SqlClient => {
  const withTransaction = <R, E, A>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError, R> =>
    Effect.suspend(() => {
      let broke: unknown = undefined
      return client.withTransaction(Effect.tapError(self, (e) => Effect.sync(() => void (broke = e)))).pipe(
        Effect.catchAllDefect((defect) =>
          isSqlError(defect)
            ? Effect.zipRight(
              // a COMMIT that failed may leave the transaction open; it must not swallow the next statements
              Effect.ignore(client.unsafe("ROLLBACK")),
              Effect.fail(isSqlError(broke) ? broke : defect)
            )
            : Effect.die(defect)
        )
      )
    })
  return Object.assign((...args: Parameters<SqlClient.SqlClient>) => client(...args), client, { withTransaction }) as SqlClient.SqlClient
}

/** Replaces the SqlClient below it with the robust one. */
export const layer = Layer.effect(SqlClient.SqlClient, Effect.map(SqlClient.SqlClient, robust))
