/**
 * The one-time codes repository on SQLite and on PostgreSQL: the same
 * statements, the same answers. A code comes back as it went in; a new code
 * for the order replaces the last (the upsert both dialects know); retention
 * deletes used and expired codes only; a row that breaks the schema is
 * reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { CodesRepo } from "../../../../core/persistence/CodesRepo.ts"
import { OrdersRepo } from "../../../../core/persistence/OrdersRepo.ts"
import { databases } from "../../../support/databases.ts"
import { code, oid, order, type Repos, reposOn } from "./fixtures.ts"

const NOW = 1_780_000_200_000

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`CodesRepo on ${db.name}`, () => {
    // a code belongs to an order (foreign key): the orders come first
    const run = <A, E>(effect: Effect.Effect<A, E, Repos>) =>
      Effect.gen(function*() {
        const orders = yield* OrdersRepo
        for (const id of ["a", "b", "c"]) yield* orders.insert(order(id))
        return yield* effect
      }).pipe(Effect.provide(reposOn(db)))

    it.effect("round trip, and a new code for the order replaces the last", () =>
      run(Effect.gen(function*() {
        const repo = yield* CodesRepo
        const first = code("a", "s1")
        yield* repo.issue(first)
        expect(yield* repo.find(oid("a"))).toEqual(Option.some(first))
        expect(yield* repo.find(oid("b"))).toEqual(Option.none())
        yield* repo.markUsed(oid("a"))
        expect(Option.map(yield* repo.find(oid("a")), (c) => c.used)).toEqual(Option.some(true))
        // resent in another session: a fresh, unused code, counted anew
        const second = code("a", "s2", { codeHash: "cd".repeat(32), expiresAt: NOW + 300_000, sentCount: 2 })
        yield* repo.issue(second)
        expect(yield* repo.find(oid("a"))).toEqual(Option.some(second))
        // one per order, issued in parallel: the last one written stands
        const codes = ["b1", "b2", "b3", "b4"].map((h, i) => code("b", "s3", { codeHash: h.repeat(32), sentCount: i + 1 }))
        yield* Effect.all(codes.map(repo.issue), { concurrency: "unbounded" })
        const stored = Option.getOrThrow(yield* repo.find(oid("b")))
        expect(codes).toContainEqual(stored)
      })))

    it.effect("retention: used and expired codes are counted and deleted; a live one stays", () =>
      run(Effect.gen(function*() {
        const repo = yield* CodesRepo
        yield* repo.issue(code("a", "s1", { expiresAt: NOW + 60_000 }))
        yield* repo.issue(code("b", "s1", { expiresAt: NOW + 60_000, used: true }))
        yield* repo.issue(code("c", "s1", { expiresAt: NOW - 1 }))
        expect(yield* repo.countSpent(NOW)).toBe(2)
        yield* repo.deleteSpent(NOW)
        expect(yield* repo.countSpent(NOW)).toBe(0)
        expect(Option.isSome(yield* repo.find(oid("a")))).toBe(true)
        expect(yield* repo.find(oid("b"))).toEqual(Option.none())
        expect(yield* repo.find(oid("c"))).toEqual(Option.none())
        // later, the live one has expired too
        expect(yield* repo.countSpent(NOW + 120_000)).toBe(1)
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed code", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* CodesRepo
        // a hand edit: a session id no session can have
        yield* sql`INSERT INTO codes (order_id, session_id, code_hash, expires_at) VALUES (${oid("c")}, 'bogus', 'ff', ${NOW})`
        const exit = yield* Effect.exit(repo.find(oid("c")))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("bogus")
      })))
  })
}
