/**
 * Staff accounts: individual logins, scrypt password hashes (memory-hard),
 * roles, sessions that expire, and a lock after repeated wrong passwords.
 */
import { type Duration, Effect, Option, PubSub, Queue } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { Conflict, Forbidden, InvalidInput, RateLimited, Unauthorized } from "../domain/errors.ts"
import { StaffId } from "../domain/ids.ts"
import { type Role, StaffAccount, type StaffMember, StaffSession } from "../domain/staff.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { StaffLoginSourcesRepo } from "../persistence/StaffLoginSourcesRepo.ts"
import { StaffRepo } from "../persistence/StaffRepo.ts"
import { StaffSessionsRepo } from "../persistence/StaffSessionsRepo.ts"
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

const lockout = { maxFailures: MAX_FAILURES, lockMillis: LOCK_MILLIS }
const sourceLimit = { maxAttempts: SOURCE_MAX_ATTEMPTS, windowMillis: SOURCE_WINDOW_MILLIS }

export class StaffAuth extends Effect.Service<StaffAuth>()("amtomat/StaffAuth", {
  effect: Effect.gen(function*() {
    const staff = yield* StaffRepo
    const sessions = yield* StaffSessionsRepo
    const sources = yield* StaffLoginSourcesRepo
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
      const exists = new Conflict({ reason: "WrongState", message: `user ${username} exists` })
      if (Option.isSome(yield* staff.findByUsername(username))) return yield* exists
      const id = StaffId.make(yield* makeId("stf"))
      const account = new StaffAccount({
        id,
        username,
        displayName,
        role,
        passwordHash: yield* hashPassword(password),
        failedLogins: 0,
        lockedUntil: 0,
        disabled: false
      })
      if (!(yield* staff.insert(account))) return yield* exists
      return account.member
    })

    /** Records a failed attempt: at most one event per source per minute, carrying how many it stands for. */
    const failed = Effect.fn("StaffAuth.failed")(function*(source: string, staffId: StaffId | null, now: number) {
      const counted = yield* sources.countFailure(source)
      if (Option.isNone(counted)) return
      const row = counted.value
      if (row.loggedAt !== null && row.loggedAt > now - FAILURE_EVENT_MILLIS) return
      // Claim the minute's event; of parallel claimants one wins, the others' counts stay pending.
      if (!(yield* sources.claimFailureEvent(source, row.pending, now, FAILURE_EVENT_MILLIS))) return
      yield* log.append({ _tag: "StaffSignInFailed", staffId, count: row.pending })
      yield* sources.forgetBefore(now - SOURCE_FORGET_MILLIS)
    })

    /**
     * Per-source limit, kept in the database (table staff_login_sources) rather than in a Ref: the
     * kiosk restarts after a crash or a watchdog reset, and a limit that an attacker could
     * reset by crashing the process would be none. One atomic upsert admits the attempt and
     * counts it before any password is checked, so parallel requests cannot slip through.
     */
    const admitSource = Effect.fn("StaffAuth.admitSource")(function*(source: string, now: number) {
      if (Option.isSome(yield* sources.admit(source, now, sourceLimit))) return
      const row = yield* sources.find(source)
      const until = Option.match(row, { onNone: () => now, onSome: (r) => r.windowStart }) + SOURCE_WINDOW_MILLIS
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
      const counted = yield* staff.countAttempt(username, now, lockout)
      if (Option.isNone(counted)) {
        // Unknown user name or locked account: the same work and the same answer as a wrong password.
        yield* checkPassword(password, dummyHash).pipe(Effect.withSpan("StaffAuth.checkDummy"))
        const known = yield* staff.findByUsername(username)
        yield* failed(source, Option.match(known, { onNone: () => null, onSome: (a) => a.id }), now)
        return yield* denied
      }
      const account = counted.value
      if (!(yield* checkPassword(password, account.passwordHash).pipe(Effect.withSpan("StaffAuth.checkPassword")))) {
        yield* failed(source, account.id, now)
        return yield* denied
      }
      yield* staff.resetFailures(account.id)
      // A sign-in that worked does not count against its source.
      yield* sources.refund(source)
      const token = yield* random.token
      const expiresAt = now + SESSION_MILLIS
      yield* sessions.insert(new StaffSession({ tokenHash: keyedHash(tokenKey, token), staffId: account.id, expiresAt }))
      yield* log.append({ _tag: "StaffSignedIn", staffId: account.id })
      return { token, expiresAt, staff: account.member }
    })

    /** The member behind a bearer token, if the session is still valid. */
    const authenticate = Effect.fn("StaffAuth.authenticate")(function*(token: string) {
      const now = yield* nowMillis
      const valid = yield* sessions.findValid(keyedHash(tokenKey, token), now)
      if (Option.isNone(valid)) return yield* new Unauthorized({ message: "not signed in or the session has expired" })
      return valid.value.account.member
    })

    /** The token hashes of sessions just logged out, for live streams to end themselves. */
    const loggedOut = yield* PubSub.unbounded<string>()

    const logout = (token: string) => {
      const hash = keyedHash(tokenKey, token)
      return sessions.delete(hash).pipe(Effect.zipRight(PubSub.publish(loggedOut, hash)), Effect.asVoid)
    }

    /** Ends every session of one account at once (disabled, password reset); its live streams end with them. */
    const endSessionsOf = (staffId: StaffId) =>
      Effect.flatMap(sessions.deleteFor(staffId), (hashes) => Effect.forEach(hashes, (h) => PubSub.publish(loggedOut, h), { discard: true }))

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
      const valid = yield* sessions.findValid(hash, now).pipe(Effect.orElseSucceed(() => Option.none()))
      if (Option.isNone(valid)) return
      const expiresAt = valid.value.session.expiresAt
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

    return { create, login, authenticate, logout, endSessionsOf, sessionEnd, requireRole, count: staff.count } as const
  }),
  dependencies: [EventLog.Default, StaffRepo.Default, StaffSessionsRepo.Default, StaffLoginSourcesRepo.Default]
}) {}
