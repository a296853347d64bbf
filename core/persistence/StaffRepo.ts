/**
 * The `staff` table: its only reader and writer. Rows are decoded into the
 * domain's `StaffAccount`. The lockout is one conditional UPDATE
 * (`countAttempt`): it counts the attempt before any password is checked
 * and refuses a locked account in the same statement, so however many
 * attempts run in parallel — on SQLite or on PostgreSQL — at most
 * `maxFailures` get past it per lock period.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { StaffId } from "../domain/ids.ts"
import { Role, StaffAccount } from "../domain/staff.ts"
import { rowsOrDie } from "./rows.ts"

/** A row of `staff` as both dialects return it, and the domain's StaffAccount it decodes to. */
export const StaffRow = Schema.Struct({
  id: Schema.String,
  username: Schema.String,
  display_name: Schema.String,
  role: Role,
  password_hash: Schema.String,
  failed_logins: Schema.Int,
  locked_until: Schema.Int,
  disabled: Schema.Int
})

export const StaffFromRow = Schema.transform(StaffRow, StaffAccount, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    passwordHash: r.password_hash,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    disabled: r.disabled !== 0
  }),
  encode: (a) => ({
    id: a.id,
    username: a.username,
    display_name: a.displayName,
    role: a.role,
    password_hash: a.passwordHash,
    failed_logins: a.failedLogins,
    locked_until: a.lockedUntil,
    disabled: a.disabled ? 1 : 0
  })
})

/** The lockout's policy: this many counted failures lock the account for `lockMillis`. */
export interface Lockout {
  readonly maxFailures: number
  readonly lockMillis: number
}

export class StaffRepo extends Effect.Service<StaffRepo>()("amtomat/StaffRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = SqlSchema.findOne({
      Request: StaffFromRow,
      Result: Schema.Struct({ id: StaffId }),
      execute: (row) => sql`INSERT INTO staff ${sql.insert(row)} ON CONFLICT (username) DO NOTHING RETURNING id`
    })

    const findByUsername = SqlSchema.findOne({
      Request: Schema.String,
      Result: StaffFromRow,
      execute: (username) => sql`SELECT * FROM staff WHERE username = ${username}`
    })

    const find = SqlSchema.findOne({
      Request: StaffId,
      Result: StaffFromRow,
      execute: (id) => sql`SELECT * FROM staff WHERE id = ${id}`
    })

    /**
     * After a lock that expired the count starts afresh at 1; the attempt that reaches
     * `maxFailures` locks the account until `now + lockMillis`. A locked account is not touched.
     */
    const countAttempt = SqlSchema.findOne({
      Request: Schema.Struct({ username: Schema.String, now: Schema.Int, maxFailures: Schema.Int, lockMillis: Schema.Int }),
      Result: StaffFromRow,
      execute: ({ lockMillis, maxFailures, now, username }) =>
        sql`UPDATE staff SET
          failed_logins = CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END,
          locked_until = CASE WHEN (CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END) >= ${maxFailures}
            THEN CAST(${now + lockMillis} AS BIGINT) ELSE 0 END
        WHERE username = ${username} AND locked_until <= ${now} AND disabled = 0
        RETURNING *`
    })

    /**
     * Role, name and disabled flag in one conditional UPDATE that never leaves the terminal
     * without an active supervisor: the change goes through only when the account stays an
     * active supervisor or another active supervisor exists. SQLite runs writers one at a
     * time; on PostgreSQL the table is locked against concurrent changes first, so two
     * supervisors demoting each other at once cannot both succeed.
     */
    const change = SqlSchema.findOne({
      Request: Schema.Struct({ id: StaffId, role: Role, displayName: Schema.String, disabled: Schema.Int, by: Schema.NullOr(StaffId) }),
      Result: StaffFromRow,
      execute: ({ by, disabled, displayName, id, role }) =>
        sql`UPDATE staff SET role = ${role}, display_name = ${displayName}, disabled = ${disabled}
          WHERE id = ${id} AND (
            (${role} = 'supervisor' AND ${disabled} = 0)
            OR EXISTS (SELECT 1 FROM staff AS other WHERE other.id <> ${id} AND other.role = 'supervisor' AND other.disabled = 0)
          ) AND (CAST(${by} AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM staff AS actor WHERE actor.id = ${by} AND actor.role = 'supervisor' AND actor.disabled = 0))
          RETURNING *`
    })
    const lockForChange = sql.onDialectOrElse({
      pg: () => Effect.asVoid(sql`LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE`),
      orElse: () => Effect.void
    })

    const setPassword = SqlSchema.void({
      Request: Schema.Struct({ id: StaffId, hash: Schema.String }),
      execute: ({ hash, id }) => sql`UPDATE staff SET password_hash = ${hash}, failed_logins = 0, locked_until = 0 WHERE id = ${id}`
    })

    const resetFailures = SqlSchema.void({
      Request: StaffId,
      execute: (id) => sql`UPDATE staff SET failed_logins = 0, locked_until = 0 WHERE id = ${id}`
    })

    const list = SqlSchema.findAll({
      Request: Schema.Void,
      Result: StaffFromRow,
      execute: () => sql`SELECT * FROM staff ORDER BY username`
    })

    const count = SqlSchema.single({
      Request: Schema.Void,
      Result: Schema.Struct({ n: Schema.NonNegativeInt }),
      execute: () => sql`SELECT COUNT(*) AS n FROM staff`
    })

    return {
      /** Creates the account; false when the user name is taken (nothing written). */
      insert: (account: StaffAccount) => rowsOrDie(Effect.map(insert(account), Option.isSome)),
      findByUsername: (username: string) => rowsOrDie(findByUsername(username)),
      find: (id: StaffId) => rowsOrDie(find(id)),
      /**
       * Counts a sign-in attempt on the account before its password is checked, unless it is
       * locked at `now`: the account as it is now, or none (unknown user name or locked).
       */
      countAttempt: (username: string, now: number, lockout: Lockout) =>
        rowsOrDie(countAttempt({ username, now, maxFailures: lockout.maxFailures, lockMillis: lockout.lockMillis })),
      /** A correct password: the count starts again and no lock is left. */
      resetFailures: (id: StaffId) => rowsOrDie(resetFailures(id)),
      /**
       * Sets role, name and disabled flag unless that would leave no active supervisor, or `by`
       * (who asks) is no longer an active supervisor when it runs: the account as it is now, or
       * none. Its own transaction (a savepoint inside another).
       */
      change: (id: StaffId, to: { readonly role: Role; readonly displayName: string; readonly disabled: boolean }, by: StaffId | null = null) =>
        rowsOrDie(sql.withTransaction(
          Effect.zipRight(lockForChange, change({ id, role: to.role, displayName: to.displayName, disabled: to.disabled ? 1 : 0, by }))
        )),
      /** A new password hash; the failure count and any lock are cleared. */
      setPassword: (id: StaffId, hash: string) => rowsOrDie(setPassword({ id, hash })),
      /** Every account, by user name. */
      list: rowsOrDie(list(undefined)),
      count: rowsOrDie(Effect.map(count(undefined), (r) => r.n))
    } as const
  })
}) {}
