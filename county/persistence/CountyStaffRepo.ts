/**
 * `county_staff` and `county_staff_sessions`: the county's own staff accounts and their
 * sessions. The lock is the terminal's (core/persistence/StaffRepo.ts): `countAttempt`
 * counts an attempt and refuses a locked account in one statement, before any password is
 * checked, so parallel attempts cannot get more than `maxFailures` past it per lock period.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsOrDie } from "../../core/persistence/rows.ts"

/** `county`: every site of the county; `clerk`: the site named on the account only. */
export const CountyRole = Schema.Literal("county", "clerk")
export type CountyRole = typeof CountyRole.Type

export const CountyStaffRow = Schema.Struct({
  id: Schema.String,
  username: Schema.String,
  display_name: Schema.String,
  role: CountyRole,
  site: Schema.NullOr(Schema.String),
  password_hash: Schema.String,
  failed_logins: Schema.Int,
  locked_until: Schema.Int
})
export type CountyStaffRow = typeof CountyStaffRow.Type

export class CountyStaffRepo extends Effect.Service<CountyStaffRepo>()("amtomat/county/CountyStaffRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** Inserts the account; false if the user name is taken. */
    const insert = (row: CountyStaffRow) =>
      Effect.map(sql`INSERT INTO county_staff ${sql.insert(row)} ON CONFLICT (username) DO NOTHING RETURNING id`, (rows) => rows.length > 0)

    const byUsername = SqlSchema.findOne({
      Request: Schema.String,
      Result: CountyStaffRow,
      execute: (username) => sql`SELECT * FROM county_staff WHERE username = ${username}`
    })

    const countAttempt = SqlSchema.findOne({
      Request: Schema.Struct({ username: Schema.String, now: Schema.Int, maxFailures: Schema.Int, lockMillis: Schema.Int }),
      Result: CountyStaffRow,
      execute: ({ lockMillis, maxFailures, now, username }) =>
        sql`UPDATE county_staff SET
          failed_logins = CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END,
          locked_until = CASE WHEN (CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END) >= ${maxFailures}
            THEN CAST(${now + lockMillis} AS BIGINT) ELSE 0 END
        WHERE username = ${username} AND locked_until <= ${now}
        RETURNING *`
    })

    const resetFailures = (id: string) => sql`UPDATE county_staff SET failed_logins = 0, locked_until = 0 WHERE id = ${id}`

    const insertSession = (r: { readonly tokenHash: string; readonly staffId: string; readonly expiresAt: number }) =>
      sql`INSERT INTO county_staff_sessions ${sql.insert({ token_hash: r.tokenHash, staff_id: r.staffId, expires_at: r.expiresAt })}`

    const bySession = SqlSchema.findOne({
      Request: Schema.Struct({ tokenHash: Schema.String, now: Schema.Int }),
      Result: CountyStaffRow,
      execute: ({ now, tokenHash }) =>
        sql`SELECT s.* FROM county_staff_sessions x JOIN county_staff s ON s.id = x.staff_id
          WHERE x.token_hash = ${tokenHash} AND x.expires_at > ${now}`
    })

    const deleteSession = (tokenHash: string) => sql`DELETE FROM county_staff_sessions WHERE token_hash = ${tokenHash}`

    /**
     * Admits and counts one sign-in attempt of `source` in one statement (a window that began at or
     * before `fresh` is over and starts again at `now`): the window's start, or none when the source
     * has used up its attempts (nothing counted).
     */
    const admitSource = SqlSchema.findOne({
      Request: Schema.Struct({ source: Schema.String, now: Schema.Int, fresh: Schema.Int, maxAttempts: Schema.Int }),
      Result: Schema.Struct({ window_start: Schema.Int, attempts: Schema.Int }),
      execute: ({ fresh, maxAttempts, now, source }) =>
        sql`INSERT INTO county_login_sources (source, window_start, attempts) VALUES (${source}, ${now}, 1)
          ON CONFLICT (source) DO UPDATE SET
            attempts = CASE WHEN county_login_sources.window_start <= ${fresh} THEN 1 ELSE county_login_sources.attempts + 1 END,
            window_start = CASE WHEN county_login_sources.window_start <= ${fresh} THEN CAST(${now} AS BIGINT) ELSE county_login_sources.window_start END
          WHERE county_login_sources.window_start <= ${fresh} OR county_login_sources.attempts < ${maxAttempts}
          RETURNING window_start, attempts`
    })

    const sourceWindow = SqlSchema.findOne({
      Request: Schema.String,
      Result: Schema.Struct({ window_start: Schema.Int }),
      execute: (source) => sql`SELECT window_start FROM county_login_sources WHERE source = ${source}`
    })

    return {
      insert,
      byUsername: (username: string) => rowsOrDie(byUsername(username)),
      countAttempt: (r: { readonly username: string; readonly now: number; readonly maxFailures: number; readonly lockMillis: number }) =>
        rowsOrDie(countAttempt(r)),
      resetFailures,
      insertSession,
      bySession: (tokenHash: string, now: number) => rowsOrDie(bySession({ tokenHash, now })),
      deleteSession,
      admitSource: (r: { readonly source: string; readonly now: number; readonly windowMillis: number; readonly maxAttempts: number }) =>
        rowsOrDie(admitSource({ source: r.source, now: r.now, fresh: r.now - r.windowMillis, maxAttempts: r.maxAttempts })),
      sourceWindow: (source: string) => rowsOrDie(sourceWindow(source)),
      /** A sign-in that worked does not count against its source. */
      refundSource: (source: string) => sql`UPDATE county_login_sources SET attempts = attempts - 1 WHERE source = ${source} AND attempts > 0`,
      forgetSourcesBefore: (before: number) => sql`DELETE FROM county_login_sources WHERE window_start < ${before}`
    } as const
  })
}) {}
