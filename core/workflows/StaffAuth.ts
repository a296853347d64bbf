/**
 * Staff accounts: individual logins, scrypt password hashes (memory-hard),
 * roles, sessions that expire, and a lock after repeated wrong passwords.
 */
import { SqlClient } from "@effect/sql"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { Effect, Schema } from "effect"
import { Conflict, Forbidden, InvalidInput, Unauthorized } from "../domain/errors.ts"
import { StaffId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { keyedHash, makeId, nowMillis, SecureRandom } from "./support.ts"

export const Role = Schema.Literal("clerk", "supervisor", "technician")
export type Role = typeof Role.Type

export interface StaffMember {
  readonly id: StaffId
  readonly username: string
  readonly displayName: string
  readonly role: Role
}

const N = 2 ** 15
const R = 8
const P = 1
const scryptAsync = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  Effect.async<Buffer>((resume) => {
    scrypt(password, salt, 32, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => {
      // scrypt only fails for invalid parameters, which are constants here.
      resume(err ? Effect.die(err) : Effect.succeed(key))
    })
  })

export const hashPassword = (password: string) =>
  Effect.gen(function*() {
    const salt = randomBytes(16)
    const key = yield* scryptAsync(password, salt, N, R, P)
    return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`
  })

export const checkPassword = (password: string, stored: string) =>
  Effect.gen(function*() {
    const [scheme, n, r, p, salt, hash] = stored.split("$")
    if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false
    const key = yield* scryptAsync(password, Buffer.from(salt, "base64"), Number(n), Number(r), Number(p))
    const expected = Buffer.from(hash, "base64")
    return expected.length === key.length && timingSafeEqual(expected, key)
  })

const MAX_FAILURES = 5
const LOCK_MILLIS = 15 * 60_000
const SESSION_MILLIS = 8 * 3600_000

interface StaffRow {
  id: string
  username: string
  display_name: string
  role: Role
  password_hash: string
  failed_logins: number
  locked_until: number
}
const toMember = (r: StaffRow): StaffMember => ({ id: StaffId.make(r.id), username: r.username, displayName: r.display_name, role: r.role })

export class StaffAuth extends Effect.Service<StaffAuth>()("amtomat/StaffAuth", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const log = yield* EventLog
    const random = yield* SecureRandom
    const tokenKey = Buffer.from("amtomat staff session")

    const create = Effect.fn("StaffAuth.create")(function*(username: string, displayName: string, role: Role, password: string) {
      if (password.length < 10) return yield* new InvalidInput({ field: "password", problem: "must have at least 10 characters", message: "password: must have at least 10 characters" })
      const exists = yield* sql`SELECT id FROM staff WHERE username = ${username}`
      if (exists.length > 0) return yield* new Conflict({ reason: "WrongState", message: `user ${username} exists` })
      const id = StaffId.make(yield* makeId("stf"))
      yield* sql`INSERT INTO staff ${sql.insert({ id, username, display_name: displayName, role, password_hash: yield* hashPassword(password) })}`
      return { id, username, displayName, role } satisfies StaffMember
    })

    /** Signs in; after five wrong passwords the account is locked for 15 minutes. */
    const login = Effect.fn("StaffAuth.login")(function*(username: string, password: string) {
      const denied = new Unauthorized({ message: "wrong user name or password, or the account is locked for a while" })
      const rows = yield* sql<StaffRow>`SELECT * FROM staff WHERE username = ${username}`
      const row = rows[0]
      const now = yield* nowMillis
      if (!row) {
        yield* log.append({ _tag: "StaffSignInFailed", staffId: null })
        return yield* denied
      }
      if (row.locked_until > now) {
        yield* log.append({ _tag: "StaffSignInFailed", staffId: StaffId.make(row.id) })
        return yield* denied
      }
      if (!(yield* checkPassword(password, row.password_hash))) {
        const failures = row.failed_logins + 1
        yield* sql`UPDATE staff SET failed_logins = ${failures >= MAX_FAILURES ? 0 : failures},
          locked_until = ${failures >= MAX_FAILURES ? now + LOCK_MILLIS : 0} WHERE id = ${row.id}`
        yield* log.append({ _tag: "StaffSignInFailed", staffId: StaffId.make(row.id) })
        return yield* denied
      }
      yield* sql`UPDATE staff SET failed_logins = 0, locked_until = 0 WHERE id = ${row.id}`
      const token = yield* random.token
      const expiresAt = now + SESSION_MILLIS
      yield* sql`INSERT INTO staff_sessions ${sql.insert({ token_hash: keyedHash(tokenKey, token), staff_id: row.id, expires_at: expiresAt })}`
      yield* log.append({ _tag: "StaffSignedIn", staffId: StaffId.make(row.id) })
      return { token, expiresAt, staff: toMember(row) }
    })

    /** The member behind a bearer token, if the session is still valid. */
    const authenticate = Effect.fn("StaffAuth.authenticate")(function*(token: string) {
      const now = yield* nowMillis
      const rows = yield* sql<StaffRow>`SELECT staff.* FROM staff_sessions JOIN staff ON staff.id = staff_sessions.staff_id
        WHERE token_hash = ${keyedHash(tokenKey, token)} AND expires_at > ${now}`
      if (!rows[0]) return yield* new Unauthorized({ message: "not signed in or the session has expired" })
      return toMember(rows[0])
    })

    const logout = (token: string) => sql`DELETE FROM staff_sessions WHERE token_hash = ${keyedHash(tokenKey, token)}`.pipe(Effect.asVoid)

    const requireRole = (member: StaffMember, roles: ReadonlyArray<Role>) =>
      roles.includes(member.role)
        ? Effect.void
        : Effect.fail(new Forbidden({ message: `this needs the role ${roles.join(" or ")}` }))

    const count = Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM staff`, (r) => r[0]?.n ?? 0)

    return { create, login, authenticate, logout, requireRole, count } as const
  }),
  dependencies: [EventLog.Default]
}) {}
