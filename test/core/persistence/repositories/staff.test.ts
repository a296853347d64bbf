/**
 * The staff repositories on SQLite and on PostgreSQL — accounts, sessions,
 * sign-in sources: the same statements, the same answers. An account
 * round-trips; the lockout counts every attempt in one conditional UPDATE,
 * so 48 parallel attempts get exactly MAX_FAILURES past it; a source admits
 * exactly its limit however many attempts run in parallel, and of parallel
 * claimants of the period's failure event one wins; sessions are valid until
 * they expire; a row that breaks the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { StaffId } from "../../../../core/domain/ids.ts"
import { StaffAccount, StaffSession } from "../../../../core/domain/staff.ts"
import { StaffLoginSourcesRepo } from "../../../../core/persistence/StaffLoginSourcesRepo.ts"
import { StaffRepo } from "../../../../core/persistence/StaffRepo.ts"
import { StaffSessionsRepo } from "../../../../core/persistence/StaffSessionsRepo.ts"
import { FAILURE_EVENT_MILLIS, LOCK_MILLIS, MAX_FAILURES, SOURCE_MAX_ATTEMPTS, SOURCE_WINDOW_MILLIS } from "../../../../core/workflows/StaffAuth.ts"
import { databases } from "../../../support/databases.ts"

const sid = (s: string) => StaffId.make(`stf_${s.padEnd(12, "0")}`)
const T0 = 1_780_000_000_000
const lockout = { maxFailures: MAX_FAILURES, lockMillis: LOCK_MILLIS }
const limit = { maxAttempts: SOURCE_MAX_ATTEMPTS, windowMillis: SOURCE_WINDOW_MILLIS }

const account = (id: string, username: string, over: Partial<ConstructorParameters<typeof StaffAccount>[0]> = {}) =>
  new StaffAccount({
    id: sid(id),
    username,
    displayName: `Name of ${username}, "quoted" ä`,
    role: "clerk",
    passwordHash: "scrypt$32768$8$1$c2FsdA==$aGFzaA==",
    failedLogins: 0,
    lockedUntil: 0,
    disabled: false,
    ...over
  })

const repos = Layer.mergeAll(StaffRepo.Default, StaffSessionsRepo.Default, StaffLoginSourcesRepo.Default)

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`staff repositories on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, StaffRepo | StaffSessionsRepo | StaffLoginSourcesRepo | SqlClient.SqlClient>) =>
      effect.pipe(Effect.provide(repos), Effect.provide(db.layer()))

    it.effect("round trip: an account comes back equal; a taken user name writes nothing; listed by user name", () =>
      run(Effect.gen(function*() {
        const repo = yield* StaffRepo
        const zoe = account("z", "zoe", { role: "technician" })
        const amy = account("a", "amy", { role: "supervisor", failedLogins: 2, lockedUntil: T0 })
        expect(yield* repo.insert(zoe)).toBe(true)
        expect(yield* repo.insert(amy)).toBe(true)
        expect(yield* repo.insert(account("other", "zoe"))).toBe(false)
        expect(yield* repo.findByUsername("zoe")).toEqual(Option.some(zoe))
        expect(yield* repo.find(amy.id)).toEqual(Option.some(amy))
        expect(yield* repo.findByUsername("nobody")).toEqual(Option.none())
        expect(yield* repo.find(sid("other"))).toEqual(Option.none())
        expect(yield* repo.list).toEqual([amy, zoe])
        expect(yield* repo.count).toBe(2)
        expect(zoe.member).toEqual({ id: zoe.id, username: "zoe", displayName: zoe.displayName, role: "technician" })
      })))

    it.effect("the lockout: the fifth counted attempt locks; a locked account is not counted; after the lock the count starts afresh", () =>
      run(Effect.gen(function*() {
        const repo = yield* StaffRepo
        yield* repo.insert(account("b", "bob"))
        for (let i = 1; i < MAX_FAILURES; i++) {
          expect(Option.map(yield* repo.countAttempt("bob", T0, lockout), (a) => [a.failedLogins, a.lockedUntil])).toEqual(Option.some([i, 0]))
        }
        expect(Option.map(yield* repo.countAttempt("bob", T0, lockout), (a) => [a.failedLogins, a.lockedUntil])).toEqual(
          Option.some([MAX_FAILURES, T0 + LOCK_MILLIS])
        )
        expect(yield* repo.countAttempt("bob", T0 + LOCK_MILLIS - 1, lockout)).toEqual(Option.none())
        expect(yield* repo.countAttempt("nobody", T0, lockout)).toEqual(Option.none())
        expect(Option.map(yield* repo.countAttempt("bob", T0 + LOCK_MILLIS, lockout), (a) => [a.failedLogins, a.lockedUntil])).toEqual(
          Option.some([1, 0])
        )
        yield* repo.resetFailures(sid("b"))
        expect(Option.map(yield* repo.find(sid("b")), (a) => [a.failedLogins, a.lockedUntil])).toEqual(Option.some([0, 0]))
      })))

    it.effect("48 parallel attempts on one account: exactly MAX_FAILURES are counted, then it is locked", () =>
      run(Effect.gen(function*() {
        const repo = yield* StaffRepo
        yield* repo.insert(account("c", "carol"))
        const counted = yield* Effect.all(Array.from({ length: 48 }, () => repo.countAttempt("carol", T0, lockout)), { concurrency: "unbounded" })
        expect(counted.filter(Option.isSome)).toHaveLength(MAX_FAILURES)
        expect(Option.map(yield* repo.find(sid("c")), (a) => [a.failedLogins, a.lockedUntil])).toEqual(
          Option.some([MAX_FAILURES, T0 + LOCK_MILLIS])
        )
      })), 60_000)

    it.effect("sessions: valid until they expire, with their account; logout and retention delete them", () =>
      run(Effect.gen(function*() {
        const staff = yield* StaffRepo
        const sessions = yield* StaffSessionsRepo
        const dan = account("d", "dan")
        yield* staff.insert(dan)
        const s1 = new StaffSession({ tokenHash: "h1", staffId: dan.id, expiresAt: T0 + 1000 })
        const s2 = new StaffSession({ tokenHash: "h2", staffId: dan.id, expiresAt: T0 + 2000 })
        yield* sessions.insert(s1)
        yield* sessions.insert(s2)
        expect(yield* sessions.findValid("h1", T0)).toEqual(Option.some({ session: s1, account: dan }))
        expect(yield* sessions.findValid("h1", T0 + 1000)).toEqual(Option.none())
        expect(yield* sessions.findValid("nope", T0)).toEqual(Option.none())
        // retention: expired strictly before now
        expect(yield* sessions.countExpired(T0 + 1000)).toBe(0)
        expect(yield* sessions.countExpired(T0 + 1001)).toBe(1)
        expect(yield* sessions.deleteExpired(T0 + 1001)).toBe(1)
        expect(yield* sessions.countExpired(T0 + 1001)).toBe(0)
        yield* sessions.delete("h2")
        yield* sessions.delete("h2")
        expect(yield* sessions.findValid("h2", T0)).toEqual(Option.none())
      })))

    it.effect("a source admits SOURCE_MAX_ATTEMPTS per window; a sign-in that worked gives one back; a new window starts afresh", () =>
      run(Effect.gen(function*() {
        const sources = yield* StaffLoginSourcesRepo
        for (let i = 1; i <= SOURCE_MAX_ATTEMPTS; i++) {
          expect(Option.map(yield* sources.admit("10.0.0.1", T0 + i, limit), (s) => s.attempts)).toEqual(Option.some(i))
        }
        expect(yield* sources.admit("10.0.0.1", T0 + 100, limit)).toEqual(Option.none())
        yield* sources.refund("10.0.0.1")
        expect(Option.map(yield* sources.admit("10.0.0.1", T0 + 101, limit), (s) => s.attempts)).toEqual(Option.some(SOURCE_MAX_ATTEMPTS))
        expect(Option.map(yield* sources.find("10.0.0.1"), (s) => s.windowStart)).toEqual(Option.some(T0 + 1))
        // the window that began at T0 + 1 is over at T0 + 1 + window
        expect(yield* sources.admit("10.0.0.1", T0 + SOURCE_WINDOW_MILLIS, limit)).toEqual(Option.none())
        const fresh = yield* sources.admit("10.0.0.1", T0 + 1 + SOURCE_WINDOW_MILLIS, limit)
        expect(Option.map(fresh, (s) => [s.attempts, s.windowStart])).toEqual(Option.some([1, T0 + 1 + SOURCE_WINDOW_MILLIS]))
        // a refund never goes below zero
        yield* sources.refund("10.0.0.1")
        yield* sources.refund("10.0.0.1")
        expect(Option.map(yield* sources.find("10.0.0.1"), (s) => s.attempts)).toEqual(Option.some(0))
        yield* sources.refund("unknown")
        expect(yield* sources.find("unknown")).toEqual(Option.none())
      })))

    it.effect("60 parallel attempts from one source: exactly SOURCE_MAX_ATTEMPTS are admitted", () =>
      run(Effect.gen(function*() {
        const sources = yield* StaffLoginSourcesRepo
        const admitted = yield* Effect.all(Array.from({ length: 60 }, () => sources.admit("192.0.2.7", T0, limit)), { concurrency: "unbounded" })
        expect(admitted.filter(Option.isSome)).toHaveLength(SOURCE_MAX_ATTEMPTS)
        expect(Option.map(yield* sources.find("192.0.2.7"), (s) => s.attempts)).toEqual(Option.some(SOURCE_MAX_ATTEMPTS))
      })), 60_000)

    it.effect("failures to log: counted per source; of parallel claimants of the period's event one wins; old sources are forgotten", () =>
      run(Effect.gen(function*() {
        const sources = yield* StaffLoginSourcesRepo
        expect(yield* sources.countFailure("s")).toEqual(Option.none())
        yield* sources.admit("s", T0, limit)
        for (let i = 1; i <= 3; i++) expect(Option.map(yield* sources.countFailure("s"), (s) => s.pending)).toEqual(Option.some(i))
        const claims = yield* Effect.all(Array.from({ length: 16 }, () => sources.claimFailureEvent("s", 3, T0, FAILURE_EVENT_MILLIS)), {
          concurrency: "unbounded"
        })
        expect(claims.filter((won) => won)).toHaveLength(1)
        expect(Option.map(yield* sources.find("s"), (s) => [s.pending, s.loggedAt])).toEqual(Option.some([0, T0]))
        // within the period: no claim; after it: one
        yield* sources.countFailure("s")
        expect(yield* sources.claimFailureEvent("s", 1, T0 + FAILURE_EVENT_MILLIS - 1, FAILURE_EVENT_MILLIS)).toBe(false)
        expect(yield* sources.claimFailureEvent("s", 1, T0 + FAILURE_EVENT_MILLIS, FAILURE_EVENT_MILLIS)).toBe(true)
        expect(Option.map(yield* sources.find("s"), (s) => [s.pending, s.loggedAt])).toEqual(Option.some([0, T0 + FAILURE_EVENT_MILLIS]))
        yield* sources.admit("t", T0 + 5, limit)
        yield* sources.forgetBefore(T0 + 5)
        expect(yield* sources.find("s")).toEqual(Option.none())
        expect(Option.isSome(yield* sources.find("t"))).toBe(true)
      })))

    it.effect("a disabled account is not counted for a sign-in, its sessions are no sessions, and deleteFor ends them", () =>
      run(Effect.gen(function*() {
        const staff = yield* StaffRepo
        const sessions = yield* StaffSessionsRepo
        const eve = account("e", "eve", { role: "supervisor" })
        yield* staff.insert(eve)
        yield* staff.insert(account("f", "fay", { role: "supervisor" }))
        yield* sessions.insert(new StaffSession({ tokenHash: "e1", staffId: eve.id, expiresAt: T0 + 1000 }))
        yield* sessions.insert(new StaffSession({ tokenHash: "e2", staffId: eve.id, expiresAt: T0 + 1000 }))
        const off = yield* staff.change(eve.id, { role: "clerk", displayName: "Eve E.", disabled: true })
        expect(Option.map(off, (a) => [a.role, a.displayName, a.disabled])).toEqual(Option.some(["clerk", "Eve E.", true]))
        expect(yield* staff.countAttempt("eve", T0, lockout)).toEqual(Option.none())
        expect(yield* sessions.findValid("e1", T0)).toEqual(Option.none())
        // eve, no longer an active supervisor, changes nothing, whatever her session said
        yield* staff.insert(account("g", "gus"))
        expect(yield* staff.change(sid("g"), { role: "technician", displayName: "Gus", disabled: false }, eve.id)).toEqual(Option.none())
        expect(Option.map(yield* staff.change(sid("g"), { role: "technician", displayName: "Gus", disabled: false }, sid("f")), (a) => a.role)).toEqual(
          Option.some("technician")
        )
        expect((yield* sessions.deleteFor(eve.id)).sort()).toEqual(["e1", "e2"])
        expect(yield* sessions.deleteFor(eve.id)).toEqual([])
        // enabled again: signs in as before
        yield* staff.change(eve.id, { role: "clerk", displayName: "Eve E.", disabled: false })
        expect(Option.map(yield* staff.countAttempt("eve", T0, lockout), (a) => a.failedLogins)).toEqual(Option.some(1))
        yield* staff.setPassword(eve.id, "scrypt$new")
        expect(Option.map(yield* staff.find(eve.id), (a) => [a.passwordHash, a.failedLogins, a.lockedUntil])).toEqual(Option.some(["scrypt$new", 0, 0]))
      })))

    /** Active supervisors left after every supervisor tries, all at once, to demote or disable another. */
    const mutualDemotion = (change: (repo: StaffRepo, id: StaffId, disabled: boolean) => Effect.Effect<unknown, unknown, SqlClient.SqlClient>) =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* StaffRepo
        const ids = ["s1", "s2", "s3", "s4"].map((x) => sid(x))
        for (const [i, id] of ids.entries()) yield* repo.insert(account(id.slice(4), `sup${i}`, { role: "supervisor" }))
        yield* Effect.all(
          ids.map((id, i) => sql.withTransaction(change(repo, id, i % 2 === 0)).pipe(Effect.either)),
          { concurrency: "unbounded" }
        )
        return (yield* repo.list).filter((a) => a.role === "supervisor" && !a.disabled).length
      })

    it.effect("four supervisors demoting or disabling each other at once: one active supervisor always stays", () =>
      run(Effect.gen(function*() {
        const left = yield* mutualDemotion((repo, id, disabled) =>
          Effect.flatMap(repo.change(id, { role: disabled ? "supervisor" : "clerk", displayName: "x", disabled }), (changed) =>
            Option.isSome(changed) ? Effect.void : Effect.fail("kept"))
        )
        expect(left).toBe(1)
      })), 60_000)

    it.effect("the same with the guard taken out of the statement leaves no active supervisor: the check above can fail", () =>
      run(Effect.gen(function*() {
        const left = yield* mutualDemotion((_, id, disabled) =>
          Effect.flatMap(SqlClient.SqlClient, (sql) =>
            sql`UPDATE staff SET role = ${disabled ? "supervisor" : "clerk"}, disabled = ${disabled ? 1 : 0} WHERE id = ${id}`)
        )
        expect(left).toBe(0)
      })), 60_000)

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed account", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const staff = yield* StaffRepo
        const sources = yield* StaffLoginSourcesRepo
        yield* staff.insert(account("good", "good"))
        yield* sql`INSERT INTO staff (id, username, display_name, role, password_hash) VALUES ('bogus', 'eve', 'Eve', 'clerk', 'x')`
        const exit = yield* Effect.exit(staff.list)
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("bogus")
        // the lockout's UPDATE decodes what it returns too
        expect(String(yield* Effect.exit(staff.countAttempt("eve", T0, lockout)))).toContain("bogus")
        yield* sql`INSERT INTO staff_login_sources (source, window_start, attempts, pending) VALUES ('x', 0, -4, 0)`
        expect(String(yield* Effect.exit(sources.find("x")))).toContain("-4")
      })))
  })
}
