/**
 * The orders repository on SQLite and on PostgreSQL: the same statements,
 * the same answers. An order comes back as it went in; every status change
 * applies only from its expected statuses and says whether it did, so of
 * parallel attempts at the same change exactly one wins; a row that breaks
 * the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Option } from "effect"
import { demoLayout } from "../../../../core/domain/compartment.ts"
import type { OrderStatus } from "../../../../core/domain/order.ts"
import { CompartmentsRepo } from "../../../../core/persistence/CompartmentsRepo.ts"
import { OrdersRepo } from "../../../../core/persistence/OrdersRepo.ts"
import { withTransaction } from "../../../../core/persistence/transactions.ts"
import { databases } from "../../../support/databases.ts"
import { cid, oid, order, type Repos, reposOn } from "./fixtures.ts"

/** `n` attempts at once (PostgreSQL: on as many connections); how many succeeded. */
const parallel = <E>(n: number, attempt: Effect.Effect<boolean, E, Repos>) =>
  Effect.map(Effect.all(Array.from({ length: n }, () => attempt), { concurrency: "unbounded" }), (r) => r.filter((ok) => ok).length)

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`OrdersRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, Repos>) =>
      Effect.gen(function*() {
        yield* (yield* CompartmentsRepo).install(demoLayout)
        return yield* effect
      }).pipe(Effect.provide(reposOn(db)))

    /** Puts an order into `status` by hand (the repository has no such shortcut, on purpose). */
    const force = (id: string, status: OrderStatus, loadedAt: string | null = null) =>
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE orders SET status = ${status}, loaded_at = ${loadedAt} WHERE id = ${oid(id)}`)

    it.effect("round trip: what is inserted comes back equal, nulls and flags included", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        const a = order("a")
        const b = order("b", { phone: null, requiresOldDocument: true, size: "L", preferBand: "low", failedAttempts: 2 })
        yield* repo.insert(a)
        yield* repo.insert(b)
        expect(yield* repo.find(a.id)).toEqual(Option.some(a))
        expect(yield* repo.get(b.id)).toEqual(b)
        expect(yield* repo.byPickupNumber(b.pickupNumber)).toEqual(Option.some(b))
        expect(yield* repo.byPickupNumber("00000000")).toEqual(Option.none())
        expect(yield* repo.find(oid("nope"))).toEqual(Option.none())
        expect(yield* Effect.flip(repo.get(oid("nope")))).toMatchObject({ _tag: "NotFound", resource: "order" })
      })))

    it.effect("the list filters by status and by a part of the pickup number or the whole id, newest first", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        const a = order("a", { createdAt: "2026-12-01T10:00:00.000Z" })
        const b = order("b", { createdAt: "2026-12-02T10:00:00.000Z" })
        yield* repo.insert(a)
        yield* repo.insert(b)
        yield* force("b", "loaded")
        expect((yield* repo.list({})).map((o) => o.id)).toEqual([b.id, a.id])
        expect((yield* repo.list({ status: "announced" })).map((o) => o.id)).toEqual([a.id])
        expect((yield* repo.list({ search: a.pickupNumber.slice(2, 6) })).map((o) => o.id)).toContain(a.id)
        expect((yield* repo.list({ search: b.id })).map((o) => o.id)).toEqual([b.id])
        expect(yield* repo.list({ status: "loaded", search: a.id })).toEqual([])
      })))

    it.effect("the life of an order: each change applies from its expected status only", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        const o = order("life")
        yield* repo.insert(o)
        const status = Effect.map(repo.get(o.id), (x) => x.status)
        // not yet loaded: nothing that needs a loaded order applies
        expect(yield* repo.markReminded(o.id, "2026-12-05T10:00:00.000Z")).toBe(false)
        expect(yield* repo.expire(o.id)).toBe(false)
        expect(yield* repo.lock(o.id)).toBe(false)
        expect(yield* repo.release(o.id)).toBe(false)
        expect(yield* repo.attachCompartment(o.id, cid(4))).toBe(true)
        expect(yield* repo.markLoaded(o.id, { compartmentId: cid(4), loadedAt: "2026-12-01T11:00:00.000Z" })).toBe(true)
        expect(yield* repo.markLoaded(o.id, { compartmentId: cid(4), loadedAt: "2026-12-01T12:00:00.000Z" })).toBe(false)
        // a loaded order keeps its compartment: the call-off of a load applies to announced orders only
        expect(yield* repo.detachAnnounced(o.id)).toBe(false)
        expect(yield* repo.get(o.id)).toMatchObject({ status: "loaded", compartmentId: cid(4), loadedAt: "2026-12-01T11:00:00.000Z" })
        expect(yield* repo.markReminded(o.id, "2026-12-05T10:00:00.000Z")).toBe(true)
        expect(yield* repo.markReminded(o.id, "2026-12-06T10:00:00.000Z")).toBe(false)
        expect(yield* repo.get(o.id)).toMatchObject({ status: "reminded", remindedAt: "2026-12-05T10:00:00.000Z" })
        expect(yield* repo.lock(o.id)).toBe(true)
        expect(yield* status).toBe("locked")
        expect(yield* repo.recordWrongCode(o.id)).toEqual(Option.some(1))
        expect(yield* repo.release(o.id)).toBe(true)
        expect(yield* repo.get(o.id)).toMatchObject({ status: "loaded", failedAttempts: 0 })
        expect(yield* repo.expire(o.id)).toBe(true)
        expect(yield* repo.expire(o.id)).toBe(false)
        // an expired order is not collected, only returned
        expect(yield* repo.close(o.id, ["loaded", "reminded"], "collected", "2026-12-20T10:00:00.000Z")).toBe(false)
        expect(yield* repo.close(o.id, ["loaded", "reminded", "locked", "expired"], "returned", "2026-12-20T10:00:00.000Z")).toBe(true)
        expect(yield* repo.get(o.id)).toMatchObject({ status: "returned", closedAt: "2026-12-20T10:00:00.000Z" })
        // unknown orders change nothing
        expect(yield* repo.markLoaded(oid("nope"), { compartmentId: cid(1), loadedAt: "2026-12-01T11:00:00.000Z" })).toBe(false)
        expect(yield* repo.attachCompartment(oid("nope"), cid(1))).toBe(false)
        expect(yield* repo.recordWrongCode(oid("nope"))).toEqual(Option.none())
      })))

    it.effect("a load called off: an announced order loses its compartment; the counter takes announced orders", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        yield* repo.insert(order("off"))
        yield* repo.attachCompartment(oid("off"), cid(2))
        expect((yield* repo.get(oid("off"))).compartmentId).toBe(cid(2))
        expect(yield* repo.detachAnnounced(oid("off"))).toBe(true)
        expect((yield* repo.get(oid("off"))).compartmentId).toBe(null)
        expect(yield* repo.close(oid("off"), ["announced"], "counter", "2026-12-02T09:00:00.000Z")).toBe(true)
        expect(yield* repo.close(oid("off"), ["announced"], "counter", "2026-12-02T09:30:00.000Z")).toBe(false)
        expect(yield* repo.get(oid("off"))).toMatchObject({ status: "counter", closedAt: "2026-12-02T09:00:00.000Z" })
      })))

    it.effect("races: of parallel attempts at the same change exactly one wins", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        yield* repo.insert(order("race"))
        expect(yield* parallel(8, repo.markLoaded(oid("race"), { compartmentId: cid(1), loadedAt: "2026-12-01T11:00:00.000Z" }))).toBe(1)
        expect(yield* parallel(8, repo.close(oid("race"), ["loaded", "reminded"], "collected", "2026-12-02T11:00:00.000Z"))).toBe(1)
        expect(yield* repo.get(oid("race"))).toMatchObject({ status: "collected", closedAt: "2026-12-02T11:00:00.000Z" })
        // wrong codes counted in parallel are all counted
        yield* repo.insert(order("count"))
        const counts = yield* Effect.all(Array.from({ length: 6 }, () => repo.recordWrongCode(oid("count"))), { concurrency: "unbounded" })
        expect(counts.map(Option.getOrThrow).sort()).toEqual([1, 2, 3, 4, 5, 6])
        yield* repo.resetAttempts(oid("count"))
        expect((yield* repo.get(oid("count"))).failedAttempts).toBe(0)
      })))

    // real time: the first change's transaction is held open while the second tries
    it.live("a change that has to wait for the same change, uncommitted, loses once that one commits", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        const transaction = yield* withTransaction
        yield* repo.insert(order("wait"))
        yield* repo.markLoaded(oid("wait"), { compartmentId: cid(1), loadedAt: "2026-12-01T11:00:00.000Z" })
        const release = yield* Deferred.make<void>()
        const collect = repo.close(oid("wait"), ["loaded", "reminded"], "collected", "2026-12-02T11:00:00.000Z")
        const first = yield* Effect.fork(transaction(Effect.zipLeft(collect, Deferred.await(release))))
        yield* Effect.sleep("100 millis")
        const second = yield* Effect.fork(repo.lock(oid("wait")))
        yield* Effect.sleep("200 millis")
        yield* Deferred.succeed(release, undefined)
        expect([yield* Fiber.join(first), yield* Fiber.join(second)]).toEqual([true, false])
        expect((yield* repo.get(oid("wait"))).status).toBe("collected")
      })))

    it.effect("the policies' queries: due to expire, due for a reminder, ready texts still to send", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        for (const id of ["old", "new", "rem", "lck", "ann"]) yield* repo.insert(order(id))
        yield* force("old", "loaded", "2026-11-01T10:00:00.000Z")
        yield* force("new", "loaded", "2026-12-10T10:00:00.000Z")
        yield* force("rem", "reminded", "2026-11-02T10:00:00.000Z")
        yield* force("lck", "locked", "2026-11-03T10:00:00.000Z")
        const before = "2026-12-01T00:00:00.000Z"
        expect([...(yield* repo.dueToExpire(before))].sort()).toEqual([oid("lck"), oid("old"), oid("rem")])
        expect(yield* repo.dueForReminder(before)).toEqual([oid("old")])
        expect(yield* repo.dueForReminder("2026-12-31T00:00:00.000Z")).toHaveLength(2)
        yield* repo.setReadyPending(oid("new"), true)
        yield* repo.setReadyPending(oid("rem"), true)
        yield* repo.setReadyPending(oid("ann"), true)
        // only ready orders are texted
        expect([...(yield* repo.readyPending)].sort()).toEqual([oid("new"), oid("rem")])
        yield* repo.setReadyPending(oid("rem"), false)
        expect(yield* repo.readyPending).toEqual([oid("new")])
      })))

    it.effect("retention: phone numbers of orders closed before the limit are counted and erased, nothing else", () =>
      run(Effect.gen(function*() {
        const repo = yield* OrdersRepo
        yield* repo.insert(order("c1"))
        yield* repo.insert(order("c2"))
        yield* repo.insert(order("open"))
        yield* repo.close(oid("c1"), ["announced"], "counter", "2026-01-01T00:00:00.000Z")
        yield* repo.close(oid("c2"), ["announced"], "counter", "2026-06-01T00:00:00.000Z")
        const limit = "2026-03-01T00:00:00.000Z"
        expect(yield* repo.countPhonesDue(limit)).toBe(1)
        yield* repo.erasePhones(limit)
        expect(yield* repo.countPhonesDue(limit)).toBe(0)
        expect((yield* repo.get(oid("c1"))).phone).toBe(null)
        expect((yield* repo.get(oid("c2"))).phone).not.toBe(null)
        expect((yield* repo.get(oid("open"))).phone).not.toBe(null)
        expect(yield* repo.countPhonesDue("2027-01-01T00:00:00.000Z")).toBe(1)
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed order", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* OrdersRepo
        yield* repo.insert(order("good"))
        // a hand edit: a status the terminal never writes
        yield* sql`INSERT INTO orders (id, pickup_number, document_kind, requires_old_document, size, status, created_at)
          VALUES (${oid("bad")}, '12345678', 'passport', 0, 'S', 'colected', '2026-12-01T10:00:00.000Z')`
        const exit = yield* Effect.exit(repo.list({}))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("colected")
        // and an id no order can have
        yield* sql`INSERT INTO orders (id, pickup_number, document_kind, requires_old_document, size, status, created_at)
          VALUES ('bogus', '23456789', 'passport', 0, 'S', 'announced', '2026-12-01T10:00:00.000Z')`
        const byNumber = yield* Effect.exit(repo.byPickupNumber("23456789"))
        expect(String(byNumber)).toContain("bogus")
        // the good one still reads
        expect(Option.isSome(yield* repo.find(oid("good")))).toBe(true)
      })))

    it.effect("the audit's view: ids and statuses as stored, hand edits included, oldest first; compartments likewise", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* OrdersRepo
        yield* repo.insert(order("first", { createdAt: "2026-12-01T09:00:00.000Z" }))
        yield* repo.insert(order("second", { createdAt: "2026-12-01T11:00:00.000Z" }))
        yield* sql`INSERT INTO orders (id, pickup_number, document_kind, requires_old_document, size, status, created_at)
          VALUES ('bogus', '12345678', 'passport', 0, 'S', 'colected', '2026-12-01T10:00:00.000Z')`
        expect(yield* repo.statusesAsStored).toEqual([
          { id: oid("first"), status: "announced" },
          { id: "bogus", status: "colected" },
          { id: oid("second"), status: "announced" }
        ])
        yield* sql`UPDATE compartments SET state = 'loaded', order_id = 'bogus' WHERE id = 2`
        const holdings = yield* (yield* CompartmentsRepo).holdingsAsStored
        expect(holdings).toHaveLength(demoLayout.compartments.length)
        expect(holdings[0]).toEqual({ id: 1, state: "free", order_id: null })
        expect(holdings[1]).toEqual({ id: 2, state: "loaded", order_id: "bogus" })
      })))
  })
}
