/**
 * The card sessions repository on SQLite and on PostgreSQL: the same
 * statements, the same answers. A session comes back as it went in; it ends
 * once (of parallel ends exactly one reports it); the pickup steps it
 * remembers change one at a time; retention deletes only ended sessions past
 * the limit; a row that breaks the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { SessionsRepo } from "../../../../core/persistence/SessionsRepo.ts"
import { databases } from "../../../support/databases.ts"
import { oid, type Repos, reposOn, session, sid } from "./fixtures.ts"

const T0 = 1_780_000_000_000

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`SessionsRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, Repos>) => effect.pipe(Effect.provide(reposOn(db)))

    it.effect("round trip: what is inserted comes back equal; the latest open session is the one in front of the terminal", () =>
      run(Effect.gen(function*() {
        const repo = yield* SessionsRepo
        const a = session("a")
        const b = session("b", { startedAt: T0 + 1000, lastSeen: T0 + 2000, orderId: oid("o1"), verified: true, intakeDone: true })
        const c = session("c", { startedAt: T0 + 5000, lastSeen: T0 + 5000, endedAt: T0 + 6000, endReason: "finished" })
        for (const s of [a, b, c]) yield* repo.insert(s)
        expect(yield* repo.find(a.id)).toEqual(Option.some(a))
        expect(yield* repo.find(b.id)).toEqual(Option.some(b))
        expect(yield* repo.find(c.id)).toEqual(Option.some(c))
        expect(yield* repo.find(sid("nope"))).toEqual(Option.none())
        expect(yield* repo.exists(a.id)).toBe(true)
        expect(yield* repo.exists(sid("nope"))).toBe(false)
        // c started last but has ended
        expect(yield* repo.latestOpen).toEqual(Option.some(b))
        yield* repo.touch(a.id, T0 + 9000)
        expect((yield* repo.find(a.id)).pipe(Option.map((s) => s.lastSeen))).toEqual(Option.some(T0 + 9000))
      })))

    it.effect("a session ends once: a second end, or one of parallel ends, finds it already ended", () =>
      run(Effect.gen(function*() {
        const repo = yield* SessionsRepo
        yield* repo.insert(session("once"))
        const ended = yield* repo.end(sid("once"), "finished", T0 + 1000)
        expect(Option.map(ended, (s) => [s.endedAt, s.endReason])).toEqual(Option.some([T0 + 1000, "finished"]))
        expect(yield* repo.end(sid("once"), "cancelled", T0 + 2000)).toEqual(Option.none())
        expect(yield* repo.end(sid("nope"), "cancelled", T0 + 2000)).toEqual(Option.none())
        yield* repo.insert(session("race"))
        const results = yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => repo.end(sid("race"), i % 2 === 0 ? "finished" : "timeout", T0 + i)),
          { concurrency: "unbounded" }
        )
        expect(results.filter(Option.isSome)).toHaveLength(1)
        expect(yield* repo.latestOpen).toEqual(Option.none())
      })))

    it.effect("ending all open sessions, and the idle ones: only those still open, each reported once", () =>
      run(Effect.gen(function*() {
        const repo = yield* SessionsRepo
        yield* repo.insert(session("idle", { lastSeen: T0 }))
        yield* repo.insert(session("busy", { lastSeen: T0 + 60_000 }))
        yield* repo.insert(session("done", { lastSeen: T0, endedAt: T0 + 10, endReason: "finished" }))
        const idle = yield* repo.endIdle(T0 + 30_000, T0 + 90_000)
        expect(idle.map((s) => [s.id, s.endReason, s.endedAt])).toEqual([[sid("idle"), "timeout", T0 + 90_000]])
        expect(yield* repo.endIdle(T0 + 30_000, T0 + 95_000)).toEqual([])
        const all = yield* repo.endAllOpen("restart", T0 + 100_000)
        expect(all.map((s) => [s.id, s.endReason])).toEqual([[sid("busy"), "restart"]])
        expect(yield* repo.endAllOpen("reload", T0 + 200_000)).toEqual([])
        expect((yield* repo.find(sid("done"))).pipe(Option.map((s) => s.endReason))).toEqual(Option.some("finished"))
      })))

    it.effect("the pickup steps: start afresh, confirm the code, hand in, open, and clear; a pickup under way holds its order", () =>
      run(Effect.gen(function*() {
        const repo = yield* SessionsRepo
        const id = sid("steps")
        const steps = Effect.map(repo.find(id), Option.map((s) => [s.orderId, s.verified, s.intakeDone, s.opened]))
        yield* repo.insert(session("steps"))
        yield* repo.startPickup(id, oid("o1"))
        expect(yield* steps).toEqual(Option.some([oid("o1"), false, false, false]))
        yield* repo.markVerified(id)
        yield* repo.markIntakeDone(id)
        expect(yield* steps).toEqual(Option.some([oid("o1"), true, true, false]))
        expect(yield* repo.pickupUnderWay(oid("o1"))).toBe(false)
        yield* repo.setOpened(id, true)
        expect(yield* steps).toEqual(Option.some([oid("o1"), true, true, true]))
        expect(yield* repo.pickupUnderWay(oid("o1"))).toBe(true)
        expect(yield* repo.pickupUnderWay(oid("o2"))).toBe(false)
        yield* repo.setOpened(id, false)
        expect(yield* repo.pickupUnderWay(oid("o1"))).toBe(false)
        yield* repo.setOpened(id, true)
        // another order: everything starts again
        yield* repo.startPickup(id, oid("o2"))
        expect(yield* steps).toEqual(Option.some([oid("o2"), false, false, false]))
        yield* repo.markVerified(id)
        yield* repo.setOpened(id, true)
        yield* repo.clearPickup(id)
        expect(yield* steps).toEqual(Option.some([null, false, false, false]))
        // an ended session holds nothing open
        yield* repo.startPickup(id, oid("o3"))
        yield* repo.setOpened(id, true)
        yield* repo.end(id, "finished", T0 + 1)
        expect(yield* repo.pickupUnderWay(oid("o3"))).toBe(false)
      })))

    it.effect("retention: ended sessions started before the limit are counted and deleted; open ones stay", () =>
      run(Effect.gen(function*() {
        const repo = yield* SessionsRepo
        yield* repo.insert(session("old", { startedAt: T0, endedAt: T0 + 10, endReason: "finished" }))
        yield* repo.insert(session("oldopen", { startedAt: T0 }))
        yield* repo.insert(session("new", { startedAt: T0 + 86_400_000, endedAt: T0 + 86_400_010, endReason: "timeout" }))
        expect(yield* repo.countRetentionDue(T0 + 1000)).toBe(1)
        yield* repo.deleteRetentionDue(T0 + 1000)
        expect(yield* repo.countRetentionDue(T0 + 1000)).toBe(0)
        expect(yield* repo.exists(sid("old"))).toBe(false)
        expect(yield* repo.exists(sid("oldopen"))).toBe(true)
        expect(yield* repo.exists(sid("new"))).toBe(true)
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed session", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* SessionsRepo
        yield* repo.insert(session("good"))
        // a hand edit: an end reason the terminal never writes
        yield* sql`INSERT INTO sessions (id, card_key, started_at, last_seen, ended_at, end_reason)
          VALUES (${sid("bad")}, 'k', ${T0}, ${T0}, ${T0 + 1}, 'exploded')`
        const exit = yield* Effect.exit(repo.find(sid("bad")))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("exploded")
        // a flag that is neither 0 nor 1
        yield* sql`UPDATE sessions SET opened = 5 WHERE id = ${sid("good")}`
        expect(String(yield* Effect.exit(repo.latestOpen))).toContain("actual 5")
      })))
  })
}
