/**
 * The compartments repository on SQLite and on PostgreSQL: the same
 * statements, the same answers. The layout installs without touching the
 * state; assignment picks the best free compartment and never gives two
 * orders the same one, however many ask at once; a change of state applies
 * only from the expected state, so of parallel claims exactly one wins; a
 * door shut outside a workflow frees or reloads only what it should; a row
 * that breaks the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option } from "effect"
import { Compartment, demoLayout, type TerminalLayout } from "../../../../core/domain/compartment.ts"
import { CompartmentsRepo } from "../../../../core/persistence/CompartmentsRepo.ts"
import { OrdersRepo } from "../../../../core/persistence/OrdersRepo.ts"
import { SessionsRepo } from "../../../../core/persistence/SessionsRepo.ts"
import { withTransaction } from "../../../../core/persistence/transactions.ts"
import { databases } from "../../../support/databases.ts"
import { cid, oid, order, type Repos, reposOn, session } from "./fixtures.ts"

// demoLayout: 1-6 S, 7-10 M, 11-12 L; every third (3, 6, 9, 12) high, the rest low

const parallel = <A, E>(n: number, attempt: (i: number) => Effect.Effect<A, E, Repos>) =>
  Effect.all(Array.from({ length: n }, (_, i) => attempt(i)), { concurrency: "unbounded" })

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`CompartmentsRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, Repos>) =>
      Effect.gen(function*() {
        yield* (yield* CompartmentsRepo).install(demoLayout)
        return yield* effect
      }).pipe(Effect.provide(reposOn(db)))

    it.effect("install: the layout's compartments, free, door unknown, empty; installing again keeps their state", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const all = yield* repo.all
        expect(all).toHaveLength(12)
        expect(all[0]).toEqual(
          new Compartment({
            id: cid(1),
            channel: { board: 0, lock: 1 },
            size: "S",
            band: "low",
            state: "free",
            door: "unknown",
            item: false,
            orderId: null,
            outOfServiceReason: null,
            purpose: null
          })
        )
        expect(yield* repo.transition(cid(2), ["free"], "open", oid("o2"), "load")).toBe(true)
        const resized: TerminalLayout = { ...demoLayout, compartments: demoLayout.compartments.map((c) => c.id === cid(2) ? { ...c, size: "L" } : c) }
        yield* repo.install(resized)
        expect(yield* repo.get(cid(2))).toMatchObject({ size: "L", state: "open", orderId: oid("o2"), purpose: "load" })
        expect(yield* repo.find(cid(2))).toEqual(Option.some(yield* repo.get(cid(2))))
        expect(yield* repo.byChannel(0, 2)).toEqual(Option.some(yield* repo.get(cid(2))))
        expect(yield* repo.byChannel(0, 16)).toEqual(Option.none())
        expect(yield* repo.find(cid(99))).toEqual(Option.none())
        expect(yield* Effect.flip(repo.get(cid(99)))).toMatchObject({ _tag: "NotFound", resource: "compartment" })
      })))

    it.effect("assignment: the smallest that fits, the preferred band first, high without a preference; none when nothing fits", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const got = (id: string, size: "S" | "M" | "L", band: "low" | "high" | null) =>
          Effect.map(repo.assign(oid(id), size, band), Option.map((c) => [c.id, c.state, c.orderId]))
        expect(yield* got("a", "S", null)).toEqual(Option.some([cid(3), "reserved", oid("a")]))
        expect(yield* got("b", "S", "low")).toEqual(Option.some([cid(1), "reserved", oid("b")]))
        expect(yield* got("c", "M", "high")).toEqual(Option.some([cid(9), "reserved", oid("c")]))
        expect(yield* got("d", "L", "low")).toEqual(Option.some([cid(11), "reserved", oid("d")]))
        expect(yield* got("e", "L", "low")).toEqual(Option.some([cid(12), "reserved", oid("e")]))
        expect(yield* got("f", "L", null)).toEqual(Option.none())
        // not free, or holding an item nobody owns: never assigned
        yield* repo.recordSensors(0, 6, "closed", true)
        yield* repo.setService(cid(2), "hinge broken", "out_of_service")
        const rest: Array<number> = []
        for (let i = 0; i < 10; i++) {
          const c = yield* repo.assign(oid(`s${i}`), "S", null)
          if (Option.isSome(c)) rest.push(c.value.id)
        }
        // S: 4, 5 first, then M (7, 8, 10), nothing of size L is left
        expect(rest).toEqual([4, 5, 7, 8, 10])
      })))

    it.effect("never double-booked: fourteen orders asking at once get twelve distinct compartments, two none", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const results = yield* parallel(14, (i) => repo.assign(oid(`p${String.fromCharCode(97 + i)}`), "S", i % 2 === 0 ? "low" : null))
        const got = results.flatMap((r) => Option.isSome(r) ? [r.value.id] : [])
        expect(got).toHaveLength(12)
        expect(new Set(got).size).toBe(12)
        const all = yield* repo.all
        expect(new Set(all.map((c) => c.orderId)).size).toBe(12)
        expect(all.every((c) => c.state === "reserved")).toBe(true)
      })))

    // real time: the first load's transaction is held open while the second asks
    it.live("a load that has to wait for another's assignment gets the next compartment, not none", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const transaction = yield* withTransaction
        const release = yield* Deferred.make<void>()
        const first = yield* Effect.fork(transaction(Effect.zipLeft(repo.assign(oid("first"), "S", null), Deferred.await(release))))
        yield* Effect.sleep("100 millis")
        // PostgreSQL: the second load finds the first one's compartment taken but not yet committed
        const second = yield* Effect.fork(repo.assign(oid("second"), "S", null))
        yield* Effect.sleep("200 millis")
        yield* Deferred.succeed(release, undefined)
        expect(Option.map(yield* Fiber.join(first), (c) => c.id)).toEqual(Option.some(cid(3)))
        expect(Option.map(yield* Fiber.join(second), (c) => c.id)).toEqual(Option.some(cid(6)))
      })))

    it.effect("two orders after the one free compartment: exactly one gets it", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        for (const c of demoLayout.compartments) if (c.id !== cid(5)) yield* repo.setService(c.id, "closed for the test", "out_of_service")
        const results = yield* parallel(2, (i) => repo.assign(oid(`two${i}`), "S", null))
        const winners = results.filter(Option.isSome)
        expect(winners).toHaveLength(1)
        expect(winners.map((c) => c.value.id)).toEqual([cid(5)])
      })))

    it.effect("a change of state applies only from the expected state; of parallel claims exactly one wins", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const id = cid(4)
        expect(yield* repo.transition(id, ["loaded"], "open", oid("x"), "pickup")).toBe(false)
        expect(yield* repo.transition(id, ["free"], "loaded", oid("x"))).toBe(true)
        const claims = yield* parallel(8, () => repo.transition(id, ["loaded"], "open", oid("x"), "pickup"))
        expect(claims.filter((ok) => ok)).toHaveLength(1)
        expect(yield* repo.get(id)).toMatchObject({ state: "open", orderId: oid("x"), purpose: "pickup" })
        // the purpose is only kept while open
        expect(yield* repo.transition(id, ["open"], "loaded", oid("x"), "pickup")).toBe(true)
        expect(yield* repo.get(id)).toMatchObject({ state: "loaded", purpose: null })
        expect(yield* repo.transition(cid(99), ["loaded"], "free", null)).toBe(false)
      })))

    it.live("a claim that has to wait for another's, uncommitted, loses once that one commits", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const transaction = yield* withTransaction
        yield* repo.transition(cid(4), ["free"], "loaded", oid("x"))
        const release = yield* Deferred.make<void>()
        const first = yield* Effect.fork(transaction(Effect.zipLeft(repo.transition(cid(4), ["loaded"], "open", oid("x"), "pickup"), Deferred.await(release))))
        yield* Effect.sleep("100 millis")
        const second = yield* Effect.fork(repo.transition(cid(4), ["loaded"], "open", oid("x"), "pickup"))
        yield* Effect.sleep("200 millis")
        yield* Deferred.succeed(release, undefined)
        expect([yield* Fiber.join(first), yield* Fiber.join(second)]).toEqual([true, false])
      })))

    it.effect("service, a return's vacating, a pickup's clearing, sensors and the channels holding items", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        yield* repo.transition(cid(1), ["free"], "loaded", oid("r1"))
        yield* repo.setService(cid(1), "lock sticks", "out_of_service")
        expect(yield* repo.get(cid(1))).toMatchObject({ state: "out_of_service", outOfServiceReason: "lock sticks", orderId: oid("r1") })
        // a return from an out-of-service compartment leaves it out of service, without its order
        yield* repo.vacate(cid(1))
        expect(yield* repo.get(cid(1))).toMatchObject({ state: "out_of_service", orderId: null, purpose: null })
        yield* repo.setService(cid(1), null, "free")
        expect(yield* repo.get(cid(1))).toMatchObject({ state: "free", outOfServiceReason: null })
        yield* repo.transition(cid(2), ["free"], "open", oid("r2"), "return")
        yield* repo.vacate(cid(2))
        expect(yield* repo.get(cid(2))).toMatchObject({ state: "free", orderId: null, purpose: null })
        yield* repo.transition(cid(3), ["free"], "open", oid("r3"), "pickup")
        yield* repo.clearOrder(cid(3))
        expect(yield* repo.get(cid(3))).toMatchObject({ state: "open", orderId: null, purpose: "pickup" })
        yield* repo.recordSensors(0, 7, "open", true)
        yield* repo.recordSensors(0, 8, undefined, true)
        yield* repo.recordSensors(0, 8, "closed", null)
        yield* repo.recordSensors(0, 16, "open", true)
        expect(yield* repo.get(cid(7))).toMatchObject({ door: "open", item: true })
        expect(yield* repo.get(cid(8))).toMatchObject({ door: "closed", item: true })
        expect(yield* repo.channelsHoldingItems).toEqual([{ board: 0, lock: 7 }, { board: 0, lock: 8 }])
        yield* repo.recordSensors(0, 7, undefined, false)
        expect(yield* repo.channelsHoldingItems).toEqual([{ board: 0, lock: 8 }])
      })))

    it.effect("a door shut outside a workflow: empty and without an order is freed; a document left after a pickup is ready again", () =>
      run(Effect.gen(function*() {
        const repo = yield* CompartmentsRepo
        const orders = yield* OrdersRepo
        const sessions = yield* SessionsRepo
        // 1: open, no order, empty -> freed; 2: the same with an item inside -> stays open
        yield* repo.transition(cid(1), ["free"], "open", null, "pickup")
        yield* repo.transition(cid(2), ["free"], "open", null, "pickup")
        yield* repo.recordSensors(0, 2, "closed", true)
        expect(yield* repo.settleClosed(cid(1))).toBe("freed")
        expect(yield* repo.settleClosed(cid(2))).toBe("none")
        expect((yield* repo.get(cid(1))).state).toBe("free")
        expect((yield* repo.get(cid(2))).state).toBe("open")
        // 4: a pickup's door shut with the document inside -> loaded again, unless the pickup is under way
        const o = order("left")
        yield* orders.insert(o)
        yield* orders.markLoaded(o.id, { compartmentId: cid(4), loadedAt: "2026-12-01T11:00:00.000Z" })
        yield* repo.transition(cid(4), ["free"], "open", o.id, "pickup")
        yield* repo.recordSensors(0, 4, "closed", true)
        yield* sessions.insert(session("holder", { orderId: o.id, verified: true, opened: true }))
        expect(yield* repo.settleClosed(cid(4))).toBe("none")
        yield* sessions.end(session("holder").id, "finished", 1_780_000_100_000)
        expect(yield* repo.settleClosed(cid(4))).toBe("reloaded")
        expect(yield* repo.get(cid(4))).toMatchObject({ state: "loaded", orderId: o.id, purpose: null })
        // not open any more: nothing to settle
        expect(yield* repo.settleClosed(cid(4))).toBe("none")
        // a collected order's compartment is not reloaded
        yield* orders.close(o.id, ["loaded"], "collected", "2026-12-02T11:00:00.000Z")
        yield* repo.transition(cid(4), ["loaded"], "open", o.id, "pickup")
        expect(yield* repo.settleClosed(cid(4))).toBe("none")
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed compartment", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* CompartmentsRepo
        expect(yield* repo.all).toHaveLength(12)
        // a hand edit: a board the bus does not have, an item sensor that reads neither 0 nor 1
        yield* sql`INSERT INTO compartments (id, board, lock, size, band) VALUES (13, 42, 1, 'S', 'low')`
        yield* sql`UPDATE compartments SET item = 7 WHERE id = 1`
        const exit = yield* Effect.exit(repo.get(cid(13)))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("42")
        const item = yield* Effect.exit(repo.get(cid(1)))
        expect(String(item)).toContain("a database row does not match its schema")
        expect(String(item)).toContain("7")
      })))
  })
}
