/**
 * The throttle repository on SQLite and on PostgreSQL: the same statements,
 * the same answers. A scope's state round-trips; a failure is counted from
 * the state it read, and parallel failures — each on its own or inside a
 * transaction, as the workflow runs them — never overwrite each other; a row
 * that breaks the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ThrottleScope } from "../../../../core/domain/throttle.ts"
import { ThrottleRepo } from "../../../../core/persistence/ThrottleRepo.ts"
import { withTransaction } from "../../../../core/persistence/transactions.ts"
import { decayed } from "../../../../core/workflows/Throttle.ts"
import { databases } from "../../../support/databases.ts"

const T0 = 1_780_000_000_000
const HALF_LIFE_SECONDS = 60
/** The workflow's rule, reduced: the decayed score plus one; blocked from the third failure on for a minute. */
const addFailure = (now: number) => (current: Option.Option<ThrottleScope>) => {
  const score = Option.match(current, { onNone: () => 0, onSome: (s) => decayed(s.score, now - s.updatedAt, HALF_LIFE_SECONDS) }) + 1
  const before = Option.match(current, { onNone: () => 0, onSome: (s) => s.blockedUntil })
  return { score, blockedUntil: Math.max(before, score > 2 ? now + 60_000 : 0) }
}

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`ThrottleRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, ThrottleRepo | SqlClient.SqlClient>) =>
      effect.pipe(Effect.provide(ThrottleRepo.Default), Effect.provide(db.layer()))

    it.effect("round trip: a failure's state comes back equal; the next failure sees it and decays it", () =>
      run(Effect.gen(function*() {
        const repo = yield* ThrottleRepo
        expect(yield* repo.find(["card:a", "terminal:t"])).toEqual([])
        const seen: Array<Option.Option<ThrottleScope>> = []
        const first = yield* repo.recordFailure("card:a", T0, (current) => {
          seen.push(current)
          return addFailure(T0)(current)
        })
        expect(first).toEqual(new ThrottleScope({ scope: "card:a", failures: 1, score: 1, updatedAt: T0, blockedUntil: 0 }))
        expect(yield* repo.find(["card:a", "terminal:t"])).toEqual([first])
        // one half-life later: the score has halved before the failure adds one
        const second = yield* repo.recordFailure("card:a", T0 + 60_000, (current) => {
          seen.push(current)
          return addFailure(T0 + 60_000)(current)
        })
        expect(seen).toEqual([Option.none(), Option.some(first)])
        expect(second).toEqual(new ThrottleScope({ scope: "card:a", failures: 2, score: 1.5, updatedAt: T0 + 60_000, blockedUntil: 0 }))
        // a fractional score and a block survive the round trip exactly
        const third = yield* repo.recordFailure("card:a", T0 + 61_234, addFailure(T0 + 61_234))
        expect(third.score).toBe(decayed(1.5, 1234, HALF_LIFE_SECONDS) + 1)
        expect(third.blockedUntil).toBe(T0 + 61_234 + 60_000)
        yield* repo.recordFailure("terminal:t", T0, addFailure(T0))
        expect(yield* repo.find(["card:a", "terminal:t", "card:other"])).toEqual([
          third,
          new ThrottleScope({ scope: "terminal:t", failures: 1, score: 1, updatedAt: T0, blockedUntil: 0 })
        ])
      })))

    it.effect("48 parallel failures on one scope count 48: none is lost, alone or inside transactions", () =>
      run(Effect.gen(function*() {
        const repo = yield* ThrottleRepo
        const transaction = yield* withTransaction
        const n = 48
        yield* Effect.all(Array.from({ length: n }, () => repo.recordFailure("terminal:t", T0, addFailure(T0))), { concurrency: "unbounded" })
        const [alone] = yield* repo.find(["terminal:t"])
        expect(alone).toMatchObject({ failures: n, score: n, blockedUntil: T0 + 60_000 })
        // as the workflow counts them: both scopes in one transaction per failure
        yield* Effect.all(
          Array.from({ length: n }, (_, i) =>
            transaction(Effect.zipRight(
              repo.recordFailure("terminal:u", T0, addFailure(T0)),
              repo.recordFailure(`card:${i % 3}`, T0, addFailure(T0))
            ))),
          { concurrency: "unbounded" }
        )
        const rows = yield* repo.find(["terminal:u", "card:0", "card:1", "card:2"])
        expect(rows.map((r) => [r.scope, r.failures, r.score])).toEqual([["card:0", 16, 16], ["card:1", 16, 16], ["card:2", 16, 16], [
          "terminal:u",
          n,
          n
        ]])
      })), 60_000)

    it.effect("parallel failures a half-life after the first each add one to the decayed score they found: the sequential result", () =>
      run(Effect.gen(function*() {
        const repo = yield* ThrottleRepo
        // the same instant for all, one half-life after a first failure: each adds one to the decayed score
        yield* repo.recordFailure("card:x", T0, addFailure(T0))
        const later = T0 + 60_000
        yield* Effect.all(Array.from({ length: 20 }, () => repo.recordFailure("card:x", later, addFailure(later))), { concurrency: "unbounded" })
        const [row] = yield* repo.find(["card:x"])
        expect(row).toMatchObject({ failures: 21, score: 0.5 + 20, updatedAt: later })
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* ThrottleRepo
        yield* sql`INSERT INTO throttle (scope, failures, blocked_until, score, updated_at) VALUES ('card:bad', -7, 0, 1, 0)`
        const exit = yield* Effect.exit(repo.find(["card:bad"]))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("-7")
        // and so is counting a failure on it: it never writes over a row it cannot read
        const counting = yield* Effect.exit(repo.recordFailure("card:bad", T0, addFailure(T0)))
        expect(String(counting)).toContain("-7")
      })))
  })
}
