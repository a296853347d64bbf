/**
 * Random sequences of staff and citizen operations against the real
 * workflows. Whatever happens, the terminal never double-books a compartment,
 * never opens one for an unverified citizen, never loses an order, a
 * document or an event.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, TestContext } from "effect"
import * as fc from "fast-check"
import { demoLayout } from "../../../core/domain/compartment.ts"
import type { OrderId, PickupNumber, SessionId, StaffId } from "../../../core/domain/ids.ts"
import { inCompartment } from "../../../core/domain/order.ts"
import { DocumentKind } from "../../../core/domain/values.ts"
import { CompartmentsRepo } from "../../../core/persistence/CompartmentsRepo.ts"
import { EventLog } from "../../../core/persistence/EventLog.ts"
import { OrdersRepo } from "../../../core/persistence/OrdersRepo.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { CardSessions } from "../../../core/workflows/CardSessions.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Pickup } from "../../../core/workflows/Pickup.ts"
import { CardTwin, lastCode, LockerTwin, nextPhone, staffMember, testTerminal, tick } from "../../support/terminal.ts"

type Op =
  | { readonly kind: "load"; readonly oldDocument: boolean; readonly take: boolean }
  | { readonly kind: "session"; readonly card: number }
  | { readonly kind: "identify"; readonly order: number; readonly bogus: boolean }
  | { readonly kind: "verify"; readonly right: boolean }
  | { readonly kind: "intake"; readonly drop: boolean }
  | { readonly kind: "open" }
  | { readonly kind: "complete"; readonly take: boolean; readonly close: boolean }
  | { readonly kind: "cancel" }
  | { readonly kind: "release" }
  | { readonly kind: "wait"; readonly minutes: number }
  | { readonly kind: "policies" }
  | { readonly kind: "staffReturn"; readonly order: number }
  | {
    readonly kind: "visit"
    readonly order: number
    readonly card: number
    readonly wrongCodes: number
    readonly steps: number
    readonly drop: boolean
    readonly take: boolean
    readonly close: boolean
  }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("load" as const), oldDocument: fc.boolean(), take: fc.boolean() }),
  fc.record({ kind: fc.constant("session" as const), card: fc.nat(2) }),
  fc.record({ kind: fc.constant("identify" as const), order: fc.nat(10), bogus: fc.boolean() }),
  fc.record({ kind: fc.constant("verify" as const), right: fc.boolean() }),
  fc.record({ kind: fc.constant("intake" as const), drop: fc.boolean() }),
  fc.constant({ kind: "open" as const }),
  fc.record({ kind: fc.constant("complete" as const), take: fc.boolean(), close: fc.boolean() }),
  fc.constant({ kind: "cancel" as const }),
  fc.constant({ kind: "release" as const }),
  fc.record({ kind: fc.constant("wait" as const), minutes: fc.integer({ min: 1, max: 60 * 24 * 10 }) }),
  fc.constant({ kind: "policies" as const }),
  fc.record({ kind: fc.constant("staffReturn" as const), order: fc.nat(10) })
)

/** A citizen walking the flow as far as `steps`, with the usual human deviations. */
const visit: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("visit" as const),
  order: fc.nat(10),
  card: fc.nat(2),
  wrongCodes: fc.oneof(fc.constant(0), fc.constant(0), fc.nat(4)),
  steps: fc.oneof(fc.constant(6), fc.nat(6)),
  drop: fc.oneof(fc.constant(true), fc.boolean()),
  take: fc.oneof(fc.constant(true), fc.boolean()),
  close: fc.oneof(fc.constant(true), fc.boolean())
})
const load: fc.Arbitrary<Op> = fc.record({ kind: fc.constant("load" as const), oldDocument: fc.boolean(), take: fc.boolean() })

const fast = { takeSeconds: 10, intakeSeconds: 10, doorOpenAlarmSeconds: 10, pollMillis: 1000, sessionIdleSeconds: 3600 }

const run = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function*() {
    const loading = yield* Loading
    const pickup = yield* Pickup
    const sessions = yield* CardSessions
    const hands = yield* LockerTwin
    const card = yield* CardTwin
    const staff: StaffId = (yield* staffMember).id
    const orders: Array<{ id: OrderId; pickupNumber: PickupNumber; phone: string }> = []
    let session: SessionId | undefined
    let current: (typeof orders)[number] | undefined
    let announced = 0

    const completeWith = (sessionId: SessionId, take: boolean, close: boolean) =>
      Effect.gen(function*() {
        const f = yield* Effect.fork(pickup.complete(sessionId))
        yield* tick("2 seconds")
        for (const l of yield* hands.locks) {
          if (l.doorOpen && l.item && take && l.channel.lock !== demoLayout.intake.lock) yield* hands.takeItem(l.channel)
          if (l.doorOpen && close) yield* hands.close(l.channel)
        }
        yield* tick("11 seconds")
        yield* tick("11 seconds")
        yield* Effect.ignore(Fiber.join(f))
      })
    const intakeWith = (sessionId: SessionId, drop: boolean) =>
      Effect.gen(function*() {
        const f = yield* Effect.fork(pickup.handInOld(sessionId))
        yield* tick("2 seconds")
        if (drop) {
          yield* hands.putItem(demoLayout.intake).pipe(Effect.ignore)
          yield* tick("2 seconds")
          yield* hands.close(demoLayout.intake)
        }
        yield* tick("11 seconds")
        yield* Effect.ignore(Fiber.join(f))
      })

    for (const o of ops) {
      switch (o.kind) {
        case "visit": {
          const x = orders[o.order % Math.max(1, orders.length)]
          if (!x) break
          yield* card.insert(`card-${o.card}`)
          const started = yield* Effect.either(sessions.start())
          if (started._tag === "Left") break
          const s = started.right.sessionId
          session = s
          current = x
          yield* Effect.ignore(pickup.identify(s, x.pickupNumber))
          const code = yield* Effect.either(lastCode(x.phone).pipe(Effect.sandbox))
          const right = code._tag === "Right" ? code.right : "000000"
          for (let i = 0; i < o.wrongCodes; i++) yield* Effect.ignore(pickup.verify(s, right === "000000" ? "111111" : "000000"))
          if (o.steps >= 2) yield* Effect.ignore(pickup.verify(s, right))
          if (o.steps >= 3) yield* intakeWith(s, o.drop)
          if (o.steps >= 4) yield* Effect.ignore(pickup.open(s))
          if (o.steps >= 5) yield* completeWith(s, o.take, o.close)
          if (o.steps < 5 || o.steps === 6) yield* Effect.ignore(pickup.cancel(s))
          break
        }
        case "load": {
          const order = yield* loading.announce({
            documentKind: DocumentKind.make("id-card"),
            phone: nextPhone(),
            requiresOldDocument: o.oldDocument,
            size: "S",
            preferBand: null
          })
          announced++
          orders.push({ id: order.id, pickupNumber: order.pickupNumber, phone: order.phone! })
          const c = yield* Effect.either(loading.startLoad(order.id))
          if (c._tag === "Left") break
          yield* hands.putItem(c.right.channel).pipe(Effect.ignore)
          yield* hands.close(c.right.channel)
          yield* Effect.ignore(loading.confirmLoad(order.id, staff))
          break
        }
        case "session":
          yield* card.insert(`card-${o.card}`)
          session = (yield* Effect.either(sessions.start())).pipe((r) => (r._tag === "Right" ? r.right.sessionId : session))
          break
        case "identify": {
          if (!session) break
          current = orders.length > 0 && !o.bogus ? orders[o.order % orders.length] : undefined
          yield* Effect.ignore(pickup.identify(session, current?.pickupNumber ?? "12345674"))
          break
        }
        case "verify": {
          if (!session || !current) break
          const code = yield* Effect.either(lastCode(current.phone).pipe(Effect.sandbox))
          const right = code._tag === "Right" ? code.right : "000000"
          yield* Effect.ignore(pickup.verify(session, o.right ? right : right === "000000" ? "111111" : "000000"))
          break
        }
        case "intake":
          if (session) yield* intakeWith(session, o.drop)
          break
        case "open":
          if (session) yield* Effect.ignore(pickup.open(session))
          break
        case "complete":
          if (session) yield* completeWith(session, o.take, o.close)
          break
        case "cancel":
          if (session) yield* Effect.ignore(pickup.cancel(session))
          session = undefined
          break
        case "release":
          for (const x of orders) yield* Effect.ignore(loading.release(x.id, staff))
          break
        case "wait":
          yield* tick(`${o.minutes} minutes`)
          break
        case "policies":
          yield* Effect.ignore(loading.runPolicies())
          break
        case "staffReturn": {
          const x = orders[o.order % Math.max(1, orders.length)]
          if (!x) break
          const c = yield* Effect.either(loading.startReturn(x.id, { id: staff, role: "supervisor" }, "taken back in a property run"))
          if (c._tag === "Left") break
          yield* hands.takeItem(c.right.channel).pipe(Effect.ignore)
          yield* hands.close(c.right.channel)
          yield* Effect.ignore(loading.confirmReturn(x.id, staff))
          break
        }
      }
    }
    return { announced, orders }
  })

const invariants = (announced: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const log = yield* EventLog
    const hands = yield* LockerTwin
    const all = yield* (yield* OrdersRepo).list({})
    const compartments = yield* (yield* CompartmentsRepo).all
    // nothing lost: every announced order is there, and so is its announcement
    expect(all).toHaveLength(announced)
    const events = yield* log.read()
    expect(events.filter((e) => e.event._tag === "OrderAnnounced")).toHaveLength(announced)
    expect((yield* log.verify).ok).toBe(true)
    // never double-booked: an order in a compartment owns it alone, and its document is physically there
    const held = all.filter((o) => inCompartment.includes(o.status))
    const ids = held.map((o) => o.compartmentId)
    expect(new Set(ids).size).toBe(ids.length)
    // ... and its document is physically there, or staff have an alarm saying it is not
    const locks = yield* hands.locks
    const alarmed = new Set((yield* (yield* Alarms).list(false)).filter((a) => a.kind === "reconciliation").map((a) => a.compartmentId))
    for (const o of held) {
      const c = compartments.find((x) => x.id === o.compartmentId)
      expect(c?.orderId).toBe(o.id)
      const lock = locks.find((l) => l.channel.board === c!.channel.board && l.channel.lock === c!.channel.lock)
      if (lock?.item !== true) {
        expect(alarmed.has(o.compartmentId), `document of ${o.id} (${o.status}) missing from compartment ${o.compartmentId} without an alarm`).toBe(true)
      }
    }
    const dupes = yield* sql`SELECT order_id FROM compartments WHERE order_id IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1`
    expect(dupes).toHaveLength(0)
    // never opened for an unverified citizen, never twice per verification
    const verified = new Map<string, number>()
    for (const e of events) {
      if (e.event._tag === "CodeVerified") {
        verified.set(e.event.orderId, (verified.get(e.event.orderId) ?? 0) + 1)
      }
      if (e.event._tag === "CompartmentOpened" && e.event.purpose === "pickup") {
        const n = verified.get(e.event.orderId!) ?? 0
        expect(n, `pickup open of ${e.event.orderId} after a verified code`).toBeGreaterThan(0)
        verified.set(e.event.orderId!, n - 1)
      }
    }
    // a collected document was taken exactly once
    const collected = all.filter((o) => o.status === "collected")
    expect(events.filter((e) => e.event._tag === "PickupCompleted")).toHaveLength(collected.length)
  })

describe("Terminal properties", () => {
  it("random staff and citizen operations keep every invariant", { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: load, weight: 2 }, { arbitrary: visit, weight: 3 }, { arbitrary: op, weight: 3 }), { minLength: 5, maxLength: 30 }),
        async (ops) => {
          await Effect.runPromise(
            Effect.gen(function*() {
              const { announced } = yield* run(ops)
              yield* invariants(announced)
            }).pipe(Effect.provide(testTerminal({ config: fast })), Effect.provide(TestContext.TestContext))
          )
        }
      ),
      { numRuns: 40 }
    )
  })
})
