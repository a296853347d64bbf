/**
 * The `staff_sessions` table: its only reader and writer. A session is the
 * keyed hash of its bearer token, whose it is, and until when it is valid;
 * looking one up joins the account (read only), so a session of a deleted
 * account, or of a disabled one, is no session. Retention deletes the expired ones.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { StaffAccount, StaffSession } from "../domain/staff.ts"
import { rowsOrDie } from "./rows.ts"
import { StaffFromRow, StaffRow } from "./StaffRepo.ts"

/** A row of `staff_sessions` as both dialects return it, and the domain's StaffSession it decodes to. */
export const StaffSessionRow = Schema.Struct({
  token_hash: Schema.String,
  staff_id: Schema.String,
  expires_at: Schema.Int
})

export const StaffSessionFromRow = Schema.transform(StaffSessionRow, StaffSession, {
  strict: true,
  decode: (r) => ({ tokenHash: r.token_hash, staffId: r.staff_id, expiresAt: r.expires_at }),
  encode: (s) => ({ token_hash: s.tokenHash, staff_id: s.staffId, expires_at: s.expiresAt })
})

/** A valid session with its account. */
export const ValidSession = Schema.Struct({ session: StaffSession, account: StaffAccount })
export type ValidSession = typeof ValidSession.Type

/** The joined row (the account's columns, the session's under their own names), and the ValidSession it decodes to. */
const ValidSessionFromRow = Schema.transform(
  Schema.Struct({ ...StaffRow.fields, session_token_hash: Schema.String, session_expires_at: Schema.Int }),
  Schema.Struct({ session: StaffSessionFromRow, account: StaffFromRow }),
  {
    strict: true,
    decode: ({ session_expires_at, session_token_hash, ...staff }) => ({
      session: { token_hash: session_token_hash, staff_id: staff.id, expires_at: session_expires_at },
      account: staff
    }),
    encode: ({ account, session }) => ({ ...account, session_token_hash: session.token_hash, session_expires_at: session.expires_at })
  }
)

export class StaffSessionsRepo extends Effect.Service<StaffSessionsRepo>()("amtomat/StaffSessionsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = SqlSchema.void({
      Request: StaffSessionFromRow,
      execute: (row) => sql`INSERT INTO staff_sessions ${sql.insert(row)}`
    })

    const findValid = SqlSchema.findOne({
      Request: Schema.Struct({ tokenHash: Schema.String, now: Schema.Int }),
      Result: ValidSessionFromRow,
      execute: ({ now, tokenHash }) =>
        sql`SELECT staff.*, staff_sessions.token_hash AS session_token_hash, staff_sessions.expires_at AS session_expires_at
          FROM staff_sessions JOIN staff ON staff.id = staff_sessions.staff_id
          WHERE staff_sessions.token_hash = ${tokenHash} AND staff_sessions.expires_at > ${now} AND staff.disabled = 0`
    })

    const remove = SqlSchema.void({
      Request: Schema.String,
      execute: (tokenHash) => sql`DELETE FROM staff_sessions WHERE token_hash = ${tokenHash}`
    })

    const removeFor = SqlSchema.findAll({
      Request: Schema.String,
      Result: Schema.Struct({ token_hash: Schema.String }),
      execute: (staffId) => sql`DELETE FROM staff_sessions WHERE staff_id = ${staffId} RETURNING token_hash`
    })

    const countExpired = SqlSchema.single({
      Request: Schema.Int,
      Result: Schema.Struct({ n: Schema.NonNegativeInt }),
      execute: (now) => sql`SELECT COUNT(*) AS n FROM staff_sessions WHERE expires_at < ${now}`
    })

    const deleteExpired = SqlSchema.findAll({
      Request: Schema.Int,
      Result: Schema.Struct({ token_hash: Schema.String }),
      execute: (now) => sql`DELETE FROM staff_sessions WHERE expires_at < ${now} RETURNING token_hash`
    })

    return {
      insert: (session: StaffSession) => rowsOrDie(insert(session)),
      /** The session behind this token hash and its account, if it is still valid at `now`. */
      findValid: (tokenHash: string, now: number) => rowsOrDie(findValid({ tokenHash, now })),
      /** Ends the session (logout); nothing when there is none. */
      delete: (tokenHash: string) => rowsOrDie(remove(tokenHash)),
      /** Ends every session of one account (disabled, password reset): the token hashes ended. */
      deleteFor: (staffId: string) => rowsOrDie(Effect.map(removeFor(staffId), (rows) => rows.map((r) => r.token_hash))),
      /** Retention: how many sessions expired before `now`. */
      countExpired: (now: number) => rowsOrDie(Effect.map(countExpired(now), (r) => r.n)),
      /** Retention: deletes those; how many. */
      deleteExpired: (now: number) => rowsOrDie(Effect.map(deleteExpired(now), (rows) => rows.length))
    } as const
  })
}) {}
