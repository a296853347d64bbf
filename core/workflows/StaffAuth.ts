/**
 * Staff accounts: individual logins, scrypt password hashes (memory-hard),
 * roles, sessions that expire, and a lock after repeated wrong passwords.
 */
import { SqlClient } from "@effect/sql"
import { type Duration, Effect, PubSub, Queue } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { Conflict, Forbidden, InvalidInput, RateLimited, Unauthorized } from "../domain/errors.ts"
import { StaffId } from "../domain/ids.ts"
import { type Role, type StaffMember } from "../domain/staff.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import { keyedHash, makeId, nowMillis } from "./support.ts"

const N = 2 ** 15
const R = 8
const P = 1
/** Every scrypt run is the span "StaffAuth.scrypt" (tests count them to show both sign-in paths cost the same). */
const scryptAsync = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  Effect.async<Buffer>((resume) => {
    scrypt(password, salt, 32, { N: n, r, p, maxmem: 256 * n * r }, (err, key) => {
      // scrypt only fails for invalid parameters, which are constants here.
      resume(err ? Effect.die(err) : Effect.succeed(key))
    })
  }).pipe(Effect.withSpan("StaffAuth.scrypt"))

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

export const MAX_FAILURES = 5
export const LOCK_MILLIS = 15 * 60_000
const SESSION_MILLIS = 8 * 3600_000
/** Sign-in attempts one source (client address) may make per window, whatever the user names. */
export const SOURCE_MAX_ATTEMPTS = 20
export const SOURCE_WINDOW_MILLIS = 15 * 60_000
/** At most one StaffSignInFailed event per source per this period; it carries the count. */
export const FAILURE_EVENT_MILLIS = 60_000
/** Rows of sources not seen for this long are dropped, so unknown sources cannot grow the table. */
const SOURCE_FORGET_MILLIS = 24 * 3600_000

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
    // Checked instead of a real hash when the user name is unknown or the account is locked,
    // so every answer costs one scrypt: the time tells nothing about which user names exist.
    // Made once here, with a salt from the CSPRNG and a random password nobody knows.
    const dummyHash = yield* hashPassword(randomBytes(32).toString("base64"))

    const create = Effect.fn("StaffAuth.create")(function*(username: string, displayName: string, role: Role, password: string) {
      if (password.length < 10) {
        return yield* new InvalidInput({
          field: "password",
          problem: "must have at least 10 characters",
          message: "password: must have at least 10 characters"
        })
      }
      const exists = yield* sql`SELECT id FROM staff WHERE username = ${username}`
      if (exists.length > 0) return yield* new Conflict({ reason: "WrongState", message: `user ${username} exists` })
      const id = StaffId.make(yield* makeId("stf"))
      yield* sql`INSERT INTO staff ${sql.insert({ id, username, display_name: displayName, role, password_hash: yield* hashPassword(password) })}`
      return { id, username, displayName, role } satisfies StaffMember
    })

    /** Records a failed attempt: at most one event per source per minute, carrying how many it stands for. */
    const failed = Effect.fn("StaffAuth.failed")(function*(source: string, staffId: string | null, now: number) {
      const counted = yield* sql<{ pending: number; logged_at: number | null }>`UPDATE staff_login_sources
        SET pending = pending + 1 WHERE source = ${source} RETURNING pending, logged_at`
      const row = counted[0]
      if (!row || (row.logged_at !== null && row.logged_at > now - FAILURE_EVENT_MILLIS)) return
      // Claim the minute's event; of parallel claimants one wins, the others' counts stay pending.
      const claimed = yield* sql`UPDATE staff_login_sources SET pending = pending - ${row.pending}, logged_at = ${now}
        WHERE source = ${source} AND (logged_at IS NULL OR logged_at <= ${now - FAILURE_EVENT_MILLIS}) RETURNING source`
      if (claimed.length === 0) return
      yield* log.append({ _tag: "StaffSignInFailed", staffId: staffId === null ? null : StaffId.make(staffId), count: row.pending })
      yield* sql`DELETE FROM staff_login_sources WHERE window_start < ${now - SOURCE_FORGET_MILLIS}`
    })

    /**
     * Per-source limit, kept in SQLite (table staff_login_sources) rather than in a Ref: the
     * kiosk restarts after a crash or a watchdog reset, and a limit that an attacker could
     * reset by crashing the process would be none. One atomic upsert admits the attempt and
     * counts it before any password is checked, so parallel requests cannot slip through.
     */
    const admitSource = Effect.fn("StaffAuth.admitSource")(function*(source: string, now: number) {
      const fresh = now - SOURCE_WINDOW_MILLIS
      const admitted = yield* sql<{ attempts: number }>`INSERT INTO staff_login_sources (source, window_start, attempts, pending, logged_at)
        VALUES (${source}, ${now}, 1, 0, NULL)
        ON CONFLICT (source) DO UPDATE SET
          attempts = CASE WHEN staff_login_sources.window_start <= ${fresh} THEN 1 ELSE staff_login_sources.attempts + 1 END,
          window_start = CASE WHEN staff_login_sources.window_start <= ${fresh} THEN ${now} ELSE staff_login_sources.window_start END
        WHERE staff_login_sources.window_start <= ${fresh} OR staff_login_sources.attempts < ${SOURCE_MAX_ATTEMPTS}
        RETURNING attempts`
      if (admitted.length > 0) return
      const rows = yield* sql<{ window_start: number }>`SELECT window_start FROM staff_login_sources WHERE source = ${source}`
      const until = (rows[0]?.window_start ?? now) + SOURCE_WINDOW_MILLIS
      yield* failed(source, null, now)
      return yield* new RateLimited({
        reason: "TooManySignInAttempts",
        message: "too many sign-in attempts from this device; please wait",
        retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000))
      })
    })

    /**
     * Signs in. Every attempt is counted before its password is checked, in one conditional
     * UPDATE that also refuses a locked account; the fifth counted failure locks the account for
     * 15 minutes, and only a correct password resets the count. So, however many requests run
     * in parallel, at most five wrong passwords are checked per lock period. `source` is the
     * client's address; one source gets SOURCE_MAX_ATTEMPTS attempts per window.
     */
    const login = Effect.fn("StaffAuth.login")(function*(username: string, password: string, source = "local") {
      const denied = new Unauthorized({ message: "user name or password wrong, or the account is locked for a while" })
      const now = yield* nowMillis
      yield* admitSource(source, now)
      const rows = yield* sql<StaffRow>`UPDATE staff SET
          failed_logins = CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END,
          locked_until = CASE WHEN (CASE WHEN locked_until > 0 THEN 1 ELSE failed_logins + 1 END) >= ${MAX_FAILURES}
            THEN ${now + LOCK_MILLIS} ELSE 0 END
        WHERE username = ${username} AND locked_until <= ${now}
        RETURNING *`
      const row = rows[0]
      if (!row) {
        // Unknown user name or locked account: the same work and the same answer as a wrong password.
        yield* checkPassword(password, dummyHash).pipe(Effect.withSpan("StaffAuth.checkDummy"))
        const known = yield* sql<{ id: string }>`SELECT id FROM staff WHERE username = ${username}`
        yield* failed(source, known[0]?.id ?? null, now)
        return yield* denied
      }
      if (!(yield* checkPassword(password, row.password_hash).pipe(Effect.withSpan("StaffAuth.checkPassword")))) {
        yield* failed(source, row.id, now)
        return yield* denied
      }
      yield* sql`UPDATE staff SET failed_logins = 0, locked_until = 0 WHERE id = ${row.id}`
      // A sign-in that worked does not count against its source.
      yield* sql`UPDATE staff_login_sources SET attempts = attempts - 1 WHERE source = ${source} AND attempts > 0`
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

    /** The token hashes of sessions just logged out, for live streams to end themselves. */
    const loggedOut = yield* PubSub.unbounded<string>()

    const logout = (token: string) => {
      const hash = keyedHash(tokenKey, token)
      return sql`DELETE FROM staff_sessions WHERE token_hash = ${hash}`.pipe(Effect.zipRight(PubSub.publish(loggedOut, hash)), Effect.asVoid)
    }

    /**
     * Succeeds when the session behind `token` ends: at once when it is not valid (now), on its
     * logout, when it expires (by the Clock), and at most `recheck` after it went otherwise
     * (retention, an administrator). A live stream is cut with it.
     */
    const sessionEnd = Effect.fn("StaffAuth.sessionEnd")(function*(token: string, recheck: Duration.DurationInput = "30 seconds") {
      const hash = keyedHash(tokenKey, token)
      // subscribe first, so a logout while the session is looked up is not missed
      const ended = yield* PubSub.subscribe(loggedOut)
      const now = yield* nowMillis
      const rows = yield* sql<{ expires_at: number }>`SELECT staff_sessions.expires_at FROM staff_sessions
        JOIN staff ON staff.id = staff_sessions.staff_id WHERE token_hash = ${hash} AND expires_at > ${now}`.pipe(
        Effect.orElseSucceed(() => [])
      )
      const expiresAt = rows[0]?.expires_at
      if (expiresAt === undefined) return
      const stillValid = authenticate(token).pipe(
        Effect.as(true),
        Effect.catchTag("Unauthorized", () => Effect.succeed(false)),
        Effect.orElseSucceed(() => true)
      )
      yield* Effect.raceAll([
        Effect.repeat(Queue.take(ended), { until: (h) => h === hash }),
        Effect.sleep(expiresAt - now),
        Effect.repeat(Effect.delay(stillValid, recheck), { while: (valid) => valid })
      ])
    }, Effect.scoped)

    const requireRole = (member: StaffMember, roles: ReadonlyArray<Role>) =>
      roles.includes(member.role)
        ? Effect.void
        : Effect.fail(new Forbidden({ message: `this needs the role ${roles.join(" or ")}` }))

    const count = Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM staff`, (r) => r[0]?.n ?? 0)

    return { create, login, authenticate, logout, sessionEnd, requireRole, count } as const
  }),
  dependencies: [EventLog.Default]
}) {}
