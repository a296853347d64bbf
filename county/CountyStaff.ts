/**
 * The county's staff accounts: `county` staff see every site, a `clerk` only their own.
 * Passwords are scrypt hashes (the terminal's, core/workflows/StaffAuth.ts), sessions keep
 * a keyed hash of their token and expire after 8 hours, and an account locks for 15 minutes
 * after MAX_FAILURES wrong passwords — counted before a password is checked, so parallel
 * attempts do not get more guesses. An unknown user name costs the same scrypt run. One client
 * address gets SOURCE_MAX_ATTEMPTS attempts per window, whatever names it tries, counted in the
 * database before any scrypt run: neither a list of names nor a flood of requests gets further.
 */
import { Effect, Option } from "effect"
import { randomBytes } from "node:crypto"
import { Conflict, InvalidInput, RateLimited, Unauthorized } from "../core/domain/errors.ts"
import { SecureRandom } from "../core/ports/SecureRandom.ts"
import { checkPassword, hashPassword, LOCK_MILLIS, MAX_FAILURES, SOURCE_MAX_ATTEMPTS, SOURCE_WINDOW_MILLIS } from "../core/workflows/StaffAuth.ts"
import { keyedHash, nowMillis } from "../core/workflows/support.ts"
import { type CountyRole, CountyStaffRepo, type CountyStaffRow } from "./persistence/CountyStaffRepo.ts"

const SESSION_MILLIS = 8 * 3600_000

/** A signed-in member of the county's staff. */
export interface CountyMember {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly role: CountyRole
  /** The clerk's site; null for county staff, who see every site. */
  readonly site: string | null
}

const memberOf = (row: CountyStaffRow): CountyMember => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  site: row.site
})

/** Whether the member may see (and act on) a terminal of `site`. */
export const sees = (member: CountyMember, site: string) => member.role === "county" || member.site === site

export class CountyStaff extends Effect.Service<CountyStaff>()("amtomat/county/CountyStaff", {
  effect: Effect.gen(function*() {
    const staff = yield* CountyStaffRepo
    const random = yield* SecureRandom
    const tokenKey = Buffer.from("amtomat county staff session")
    const dummyHash = yield* hashPassword(randomBytes(32).toString("base64"))

    const create = Effect.fn("CountyStaff.create")(
      function*(
        r: { readonly username: string; readonly displayName: string; readonly role: CountyRole; readonly site: string | null; readonly password: string }
      ) {
        const invalid = (field: string, problem: string) => new InvalidInput({ field, problem, message: `${field}: ${problem}` })
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(r.username)) return yield* invalid("username", "must be 1 to 64 letters, digits, dots, dashes or underscores")
        if (r.password.length < 10) return yield* invalid("password", "must have at least 10 characters")
        if (r.role === "clerk" && (r.site === null || r.site.trim() === "")) return yield* invalid("site", "a clerk needs the site they work at")
        if (r.role === "county" && r.site !== null) return yield* invalid("site", "county staff see every site; leave --site out")
        const row: CountyStaffRow = {
          id: yield* random.id("cstf"),
          username: r.username,
          display_name: r.displayName,
          role: r.role,
          site: r.site,
          password_hash: yield* hashPassword(r.password),
          failed_logins: 0,
          locked_until: 0
        }
        if (!(yield* staff.insert(row))) return yield* new Conflict({ reason: "WrongState", message: `user ${r.username} exists` })
        return memberOf(row)
      }
    )

    const login = Effect.fn("CountyStaff.login")(function*(username: string, password: string, source = "local") {
      const denied = new Unauthorized({ message: "user name or password wrong, or the account is locked for a while" })
      const now = yield* nowMillis
      const admitted = yield* staff.admitSource({ source, now, windowMillis: SOURCE_WINDOW_MILLIS, maxAttempts: SOURCE_MAX_ATTEMPTS })
      if (Option.isNone(admitted)) {
        const window = yield* staff.sourceWindow(source)
        const until = Option.match(window, { onNone: () => now, onSome: (w) => w.window_start }) + SOURCE_WINDOW_MILLIS
        return yield* new RateLimited({
          reason: "TooManySignInAttempts",
          message: "too many sign-in attempts from this address; please wait",
          retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000))
        })
      }
      const counted = yield* staff.countAttempt({ username, now, maxFailures: MAX_FAILURES, lockMillis: LOCK_MILLIS })
      if (Option.isNone(counted)) {
        yield* checkPassword(password, dummyHash).pipe(Effect.withSpan("CountyStaff.checkDummy"))
        return yield* denied
      }
      const row = counted.value
      if (!(yield* checkPassword(password, row.password_hash).pipe(Effect.withSpan("CountyStaff.checkPassword")))) return yield* denied
      yield* staff.resetFailures(row.id)
      yield* staff.refundSource(source)
      yield* staff.forgetSourcesBefore(now - 24 * 3600_000)
      const token = yield* random.token
      const expiresAt = now + SESSION_MILLIS
      yield* staff.insertSession({ tokenHash: keyedHash(tokenKey, token), staffId: row.id, expiresAt })
      return { token, expiresAt, staff: memberOf(row) }
    })

    const authenticate = Effect.fn("CountyStaff.authenticate")(function*(token: string) {
      const found = yield* staff.bySession(keyedHash(tokenKey, token), yield* nowMillis)
      if (Option.isNone(found)) return yield* new Unauthorized({ message: "not signed in or the session has expired" })
      return memberOf(found.value)
    })

    const logout = (token: string) => Effect.asVoid(staff.deleteSession(keyedHash(tokenKey, token)))

    return { create, login, authenticate, logout } as const
  }),
  dependencies: [CountyStaffRepo.Default]
}) {}
