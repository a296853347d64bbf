/**
 * Orders from the citizens' office: announced at the county, taken by the terminal they are
 * for, loaded there as any order — with the county's real OrderDesk and the terminal's real
 * workflows and twins, both on SQLite files on disk, and an inbox transport that loses
 * fetches and answers on demand. Tested: the phone number reaches that terminal only and the
 * county forgets it; a lost answer takes nothing twice; orders queue while a terminal is away
 * and arrive when it is back; every cancellation conflict (queued, taken, mid-load with and
 * without a document, loaded, collected, cancelled in the moment the terminal took it).
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Fiber, Layer, Option, Ref, TestClock } from "effect"
import fc from "fast-check"
import { CountyOrdersRepo } from "../../core/persistence/CountyOrdersRepo.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { OrdersRepo } from "../../core/persistence/OrdersRepo.ts"
import { checkState, readStateTables } from "../../core/persistence/stateCheck.ts"
import { CountyUnreachable } from "../../core/ports/CountyGateway.ts"
import { CountyInbox } from "../../core/ports/CountyInbox.ts"
import type { Answers, Inbox } from "../../core/protocols/countyOrders.ts"
import { Alarms } from "../../core/workflows/Alarms.ts"
import { CountyOrders } from "../../core/workflows/CountyOrders.ts"
import { Loading } from "../../core/workflows/Loading.ts"
import { Pickup } from "../../core/workflows/Pickup.ts"
import type { CountyMember } from "../../county/CountyStaff.ts"
import { countyServices } from "../../county/http/server.ts"
import { type AnnounceAtCounty, OrderDesk } from "../../county/OrderDesk.ts"
import { countySchema } from "../../county/persistence/database.ts"
import { Registry } from "../../county/Registry.ts"
import { localInbox } from "../../county/replication/localGateway.ts"
import { lastCode, LockerTwin, nextPhone, SmsTwin, staffMember, startSession, tempDb, testTerminal, tick } from "../support/terminal.ts"

const clerk: CountyMember = { id: "cst_1", username: "clerk.andernach", displayName: "Clerk", role: "clerk", site: "Andernach" }
const mayenClerk: CountyMember = { id: "cst_2", username: "clerk.mayen", displayName: "Clerk", role: "clerk", site: "Mayen" }
const countyStaff: CountyMember = { id: "cst_3", username: "county", displayName: "County", role: "county", site: null }

const countyLayer = () => countyServices.pipe(Layer.provideMerge(countySchema), Layer.provideMerge(SqliteClient.layer({ filename: tempDb() })), Layer.orDie)

type Fault = "none" | "lose-fetch" | "lose-answer" | "down"

/** A county with T1 (Mayen) and T2 (Andernach), and the inbox transport of one terminal with its fault switch. */
const setup = Effect.gen(function*() {
  const county = yield* Layer.build(countyLayer())
  const inCounty = <A, E>(effect: Effect.Effect<A, E, OrderDesk | Registry>) => Effect.provide(effect, county)
  yield* inCounty(Effect.flatMap(Registry, (r) => Effect.zip(r.add("T1", "Mayen"), r.add("T2", "Andernach"))))
  const desk = Context.get(county, OrderDesk)
  const fault = yield* Ref.make<Fault>("none")
  const inboxOf = (terminal: string) =>
    Effect.map(Effect.provide(localInbox(terminal), county), (inner) => {
      const cut = (what: string) => new CountyUnreachable({ reason: "Network", message: `the connection was cut (${what})` })
      return CountyInbox.of({
        fetch: Effect.flatMap(Ref.get(fault), (f) => f === "down" || f === "lose-fetch" ? Effect.fail(cut(f)) : inner.fetch),
        answer: (answers) =>
          Effect.flatMap(Ref.get(fault), (f) =>
            f === "down"
              ? Effect.fail(cut(f))
              : f === "lose-answer"
              ? Effect.zipRight(inner.answer(answers), Effect.fail(cut(f)))
              : inner.answer(answers))
      })
    })
  /** One pull of the terminal's CountyOrders (the terminal's context is the caller's). */
  const pull = (terminal = "T1") =>
    Effect.flatMap(inboxOf(terminal), (inbox) =>
      Effect.flatMap(CountyOrders, (o) => o.pullOnce()).pipe(
        Effect.provide(CountyOrders.Default.pipe(Layer.provide(CountyOrdersRepo.Default))),
        Effect.provideService(CountyInbox, inbox)
      ))
  const announce = (member: CountyMember, input: Partial<AnnounceAtCounty> = {}) =>
    desk.announce(member, {
      to: { terminal: "T1" },
      documentKind: "id-card" as never,
      phone: nextPhone(),
      requiresOldDocument: false,
      size: "S",
      preferBand: null,
      ...input
    })
  const order = (id: string) => Effect.map(desk.list(countyStaff), (all) => all.find((o) => o.id === id)!)
  /** A hand on the county's table, for mutants. */
  const forceStatus = (id: string, status: string) =>
    Effect.orDie(Effect.provide(Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE county_orders SET status = ${status} WHERE id = ${id}`), county))
  return { desk, fault, pull, announce, order, inboxOf, forceStatus }
})

/** The terminal's order for a county order. */
const localOrder = (countyOrder: string) =>
  Effect.gen(function*() {
    const link = yield* (yield* CountyOrdersRepo).byCountyOrder(countyOrder)
    if (Option.isNone(link)) return Option.none()
    return Option.some(yield* (yield* OrdersRepo).get(link.value.orderId))
  }).pipe(Effect.provide(CountyOrdersRepo.Default))

/** The audit's state check over the terminal's tables and log: what it finds. */
const stateFindings = Effect.gen(function*() {
  return checkState(yield* readStateTables, yield* (yield* EventLog).rows())
})

/** An order from the county, taken by T1, loaded there, and a citizen who confirmed its code (the door not yet open). */
const loadedAndVerified = Effect.gen(function*() {
  const c = yield* setup
  const phone = nextPhone()
  const announced = yield* c.announce(clerk, { phone })
  yield* c.pull()
  const local = Option.getOrThrow(yield* localOrder(announced.id))
  const loading = yield* Loading
  const hands = yield* LockerTwin
  const staff = yield* staffMember
  const box = yield* loading.startLoad(local.id)
  yield* hands.putItem(box.channel)
  yield* hands.close(box.channel)
  yield* loading.confirmLoad(local.id, staff.id)
  const pickup = yield* Pickup
  const session = yield* startSession()
  yield* pickup.identify(session, local.pickupNumber)
  yield* pickup.verify(session, yield* lastCode(phone))
  return { announced, box, c, hands, loading, local, pickup, session, staff }
})

const terminal = () => testTerminal({ config: { site: "Mayen", terminalId: "T1" } })

describe("orders from the citizens' office", () => {
  it.scoped("a clerk of another site announces for T1: T1 takes it with the phone, the county forgets the phone, lists show it masked", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const phone = nextPhone()
      const announced = yield* c.announce(clerk, { phone })
      expect(announced).toMatchObject({ status: "queued", terminal: "T1", site: "Mayen", originSite: "Andernach", announcedBy: "clerk.andernach" })
      expect(JSON.stringify(yield* c.desk.list(clerk))).not.toContain(phone.slice(3, 12))
      // only T1's inbox carries it, and the number only there
      expect((yield* Effect.flatMap(c.inboxOf("T2"), (i) => i.fetch)).orders).toEqual([])
      expect((yield* Effect.flatMap(c.inboxOf("T1"), (i) => i.fetch)).orders.map((o) => o.phone)).toEqual([phone])
      const answers = yield* c.pull()
      expect(answers.taken).toHaveLength(1)
      const local = Option.getOrThrow(yield* localOrder(announced.id))
      expect(local).toMatchObject({ status: "announced", phone, documentKind: "id-card", requiresOldDocument: false })
      const after = yield* c.order(announced.id)
      expect(after).toMatchObject({ status: "taken", terminalOrder: local.id, phone: null, progress: "announced" })
      // both clerks see it: one announced it, the other's site holds the terminal; a third site would not
      expect((yield* c.desk.list(mayenClerk)).map((o) => o.id)).toContain(announced.id)
      const third: CountyMember = { ...clerk, site: "Mendig", username: "clerk.mendig" }
      expect((yield* c.desk.list(third)).map((o) => o.id)).not.toContain(announced.id)
      expect((yield* Effect.flip(c.desk.cancel(third, announced.id)))._tag).toBe("NotFound")
      // loading proceeds as today: the ready text goes to the number the clerk typed
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const box = yield* loading.startLoad(local.id)
      yield* hands.putItem(box.channel)
      yield* hands.close(box.channel)
      yield* loading.confirmLoad(local.id, staff.id)
      expect((yield* (yield* SmsTwin).inbox(phone)).map((m) => m.text).join(" ")).toContain(local.pickupNumber.slice(0, 4))
    }).pipe(Effect.provide(terminal())))

  it.scoped("an answer lost on the way takes nothing twice; another terminal cannot answer for T1's order", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk)
      yield* Ref.set(c.fault, "lose-answer")
      expect((yield* Effect.flip(c.pull()))._tag).toBe("CountyUnreachable")
      // the county did get that answer; lose the fetch next, then a clean round
      yield* Ref.set(c.fault, "lose-fetch")
      yield* Effect.flip(c.pull())
      yield* Ref.set(c.fault, "none")
      yield* c.pull()
      yield* c.pull()
      const all = yield* (yield* OrdersRepo).list({})
      expect(all).toHaveLength(1)
      expect((yield* c.order(announced.id)).terminalOrder).toBe(all[0]!.id)
      // T2 answering for T1's order changes nothing
      const second = yield* c.announce(clerk)
      const forged = yield* c.desk.answer("T2", {
        taken: [{ countyOrder: second.id as never, order: "ord_forged" }],
        refused: [],
        cancels: [{ countyOrder: announced.id as never, outcome: "cancelled" }]
      })
      expect(forged.changed).toBe(0)
      expect((yield* c.order(second.id)).status).toBe("queued")
    }).pipe(Effect.provide(terminal())))

  it.scoped("orders announced while the terminal is away queue at the county and arrive when it is back (the terminal's own loop, simulated hours)", () =>
    Effect.gen(function*() {
      const c = yield* setup
      yield* Ref.set(c.fault, "down")
      const inbox = yield* c.inboxOf("T1")
      const loop = yield* Effect.flatMap(CountyOrders, (o) => o.run({ every: "15 seconds", maxBackoff: "5 minutes" })).pipe(
        Effect.provide(CountyOrders.Default.pipe(Layer.provide(CountyOrdersRepo.Default))),
        Effect.provideService(CountyInbox, inbox),
        Effect.fork
      )
      const ids = [(yield* c.announce(clerk)).id, (yield* c.announce(mayenClerk)).id, (yield* c.announce(countyStaff)).id]
      yield* TestClock.adjust("3 hours")
      // the terminal works on what it has meanwhile: staff can announce and load locally
      expect(yield* (yield* OrdersRepo).list({})).toHaveLength(0)
      for (const id of ids) expect((yield* c.order(id)).status).toBe("queued")
      yield* Ref.set(c.fault, "none")
      yield* TestClock.adjust("6 minutes") // at most one back-off
      for (const id of ids) expect((yield* c.order(id)).status).toBe("taken")
      expect(yield* (yield* OrdersRepo).list({})).toHaveLength(3)
      yield* Fiber.interrupt(loop)
    }).pipe(Effect.provide(terminal())))

  it.scoped("a document kind the terminal does not hold is refused with a sentence, and the county forgets the phone", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk, { documentKind: "fishing-licence" as never })
      yield* c.pull()
      const after = yield* c.order(announced.id)
      expect(after.status).toBe("refused")
      expect(after.note).toMatch(/^this terminal cannot take it: documentKind: must be one of/)
      expect(after.phone).toBeNull()
      expect(yield* (yield* OrdersRepo).list({})).toHaveLength(0)
    }).pipe(Effect.provide(terminal())))

  it.scoped("announcing for a terminal or a counter the county does not know is one sentence", () =>
    Effect.gen(function*() {
      const c = yield* setup
      expect((yield* Effect.flip(c.announce(clerk, { to: { terminal: "T9" } }))).message).toBe("to.terminal: the county has no terminal T9")
      expect((yield* Effect.flip(c.announce(countyStaff, { to: { counter: "Nowhere" } }))).message).toBe("to.counter: the county knows no site Nowhere")
      const counter = yield* c.announce(clerk, { to: { counter: "Andernach" } })
      expect(counter).toMatchObject({ status: "counter", terminal: null, destination: "counter" })
      expect((yield* Effect.flatMap(c.inboxOf("T2"), (i) => i.fetch)).orders).toEqual([])
      expect(yield* c.desk.handOver(clerk, counter.id)).toMatchObject({ status: "handed_over", phone: null })
      expect((yield* Effect.flip(c.desk.handOver(clerk, counter.id))).message).toMatch(/is handed over, not waiting at a counter/)
    }).pipe(Effect.provide(terminal())))
})

describe("cancelling an order announced at the county", () => {
  it.scoped("still queued: cancelled at once, never reaches the terminal", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk)
      expect(yield* c.desk.cancel(clerk, announced.id)).toMatchObject({ status: "cancelled", phone: null })
      yield* c.pull()
      expect(yield* (yield* OrdersRepo).list({})).toHaveLength(0)
      expect((yield* Effect.flip(c.desk.cancel(clerk, announced.id))).message).toBe(`order ${announced.id} is cancelled; it cannot be cancelled now`)
    }).pipe(Effect.provide(terminal())))

  it.scoped("cancelled in the moment the terminal took it: the cancellation follows with the next fetch", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk)
      // the terminal fetched before the cancel, and its answer arrives after it
      const inbox = yield* c.inboxOf("T1")
      const fetched = yield* inbox.fetch
      yield* c.desk.cancel(clerk, announced.id)
      yield* Ref.set(c.fault, "down")
      yield* Effect.flip(c.pull()) // (nothing reaches the county)
      yield* Ref.set(c.fault, "none")
      const takeNow = yield* Effect.flatMap(CountyOrders, (o) => o.pullOnce()).pipe(
        Effect.provide(CountyOrders.Default.pipe(Layer.provide(CountyOrdersRepo.Default))),
        Effect.provideService(CountyInbox, CountyInbox.of({ fetch: Effect.succeed(fetched), answer: inbox.answer }))
      )
      expect(takeNow.taken).toHaveLength(1)
      expect((yield* c.order(announced.id)).status).toBe("cancelling")
      yield* c.pull()
      expect((yield* c.order(announced.id)).status).toBe("cancelled")
      expect(Option.getOrThrow(yield* localOrder(announced.id)).status).toBe("cancelled")
    }).pipe(Effect.provide(terminal())))

  it.scoped("taken, not yet loaded: the terminal closes it; staff can no longer load it", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk)
      yield* c.pull()
      expect(yield* c.desk.cancel(clerk, announced.id)).toMatchObject({ status: "cancelling" })
      const answers = yield* c.pull()
      expect(answers.cancels).toEqual([{ countyOrder: announced.id, outcome: "cancelled" }])
      expect((yield* c.order(announced.id)).status).toBe("cancelled")
      const local = Option.getOrThrow(yield* localOrder(announced.id))
      expect(local.status).toBe("cancelled")
      expect((yield* Effect.flip((yield* Loading).startLoad(local.id))).message).toMatch(/is cancelled, not announced/)
      expect(yield* stateFindings).toEqual([])
    }).pipe(Effect.provide(terminal())))

  it.scoped("during the load, the document put in: pending, then recalled — no ready text, an alarm to take it back, no pickup", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const phone = nextPhone()
      const announced = yield* c.announce(clerk, { phone })
      yield* c.pull()
      const local = Option.getOrThrow(yield* localOrder(announced.id))
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const box = yield* loading.startLoad(local.id, staff.id)
      yield* c.desk.cancel(clerk, announced.id)
      expect((yield* c.pull()).cancels).toEqual([{ countyOrder: announced.id, outcome: "pending" }])
      expect((yield* c.order(announced.id)).status).toBe("cancelling")
      yield* hands.putItem(box.channel)
      yield* hands.close(box.channel)
      yield* tick("2 seconds")
      const now = yield* (yield* OrdersRepo).get(local.id)
      expect(now.status).toBe("expired")
      expect(yield* (yield* SmsTwin).inbox(phone)).toEqual([])
      const alarms = yield* (yield* Alarms).list(true)
      expect(alarms.map((a) => a.kind)).toContain("order_recalled")
      expect((yield* c.pull()).cancels).toEqual([{ countyOrder: announced.id, outcome: "recalled" }])
      expect((yield* c.order(announced.id)).status).toBe("recalled")
      // the pickup number no longer opens anything
      const session = yield* startSession()
      expect((yield* Effect.flip((yield* Pickup).identify(session, now.pickupNumber)))._tag).toBe("PickupFailed")
    }).pipe(Effect.provide(terminal())))

  it.scoped("during the load, the door shut without a document: pending, then cancelled", () =>
    Effect.gen(function*() {
      const c = yield* setup
      const announced = yield* c.announce(clerk)
      yield* c.pull()
      const local = Option.getOrThrow(yield* localOrder(announced.id))
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const box = yield* loading.startLoad(local.id, staff.id)
      yield* c.desk.cancel(clerk, announced.id)
      expect((yield* c.pull()).cancels[0]!.outcome).toBe("pending")
      yield* hands.close(box.channel)
      yield* tick("2 seconds")
      expect((yield* c.pull()).cancels[0]!.outcome).toBe("cancelled")
      expect((yield* c.order(announced.id)).status).toBe("cancelled")
      expect(Option.getOrThrow(yield* localOrder(announced.id)).status).toBe("cancelled")
    }).pipe(Effect.provide(terminal())))

  it.scoped("loaded and waiting: recalled; a citizen verified before the cancellation is refused at the door, which stays shut", () =>
    Effect.gen(function*() {
      const { announced, box, c, hands, loading, local, pickup, session, staff } = yield* loadedAndVerified
      yield* c.desk.cancel(clerk, announced.id)
      expect((yield* c.pull()).cancels[0]!.outcome).toBe("recalled")
      expect((yield* Effect.flip(pickup.open(session)))._tag).toBe("PickupFailed")
      const lock = (yield* hands.locks).find((l) => l.channel.board === box.channel.board && l.channel.lock === box.channel.lock)!
      expect(lock).toMatchObject({ doorOpen: false, item: true })
      // staff take it back like an expired one, no supervisor needed
      const ret = yield* loading.startReturn(local.id, { id: staff.id, role: "clerk" })
      yield* hands.takeItem(ret.channel)
      yield* hands.close(ret.channel)
      yield* tick("2 seconds")
      expect((yield* (yield* OrdersRepo).get(local.id)).status).toBe("returned")
      expect(yield* stateFindings).toEqual([])
    }).pipe(Effect.provide(terminal())))

  it.scoped("already collected: too late, said so", () =>
    Effect.gen(function*() {
      const { announced, box, c, hands, pickup, session } = yield* loadedAndVerified
      yield* pickup.open(session)
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.takeItem(box.channel)
      yield* hands.close(box.channel)
      yield* tick()
      yield* Fiber.join(completing)
      yield* c.desk.cancel(clerk, announced.id)
      expect((yield* c.pull()).cancels[0]!.outcome).toBe("collected")
      expect(yield* c.order(announced.id)).toMatchObject({ status: "too_late", note: "cancelled too late: the document was collected" })
    }).pipe(Effect.provide(terminal())))
})

describe("the audit's state check knows a cancelled order", () => {
  it.scoped("an order set to cancelled by hand, with no OrderCancelled in the log, is a finding", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const order = yield* loading.announce({ documentKind: "id-card" as never, phone: nextPhone(), requiresOldDocument: false, size: "S", preferBand: null })
      expect(yield* stateFindings).toEqual([])
      yield* (yield* OrdersRepo).close(order.id, ["announced"], "cancelled", "2026-01-01T00:00:00.000Z")
      expect((yield* stateFindings).join(" ")).toContain(order.id)
    }).pipe(Effect.provide(terminal())))
})

/**
 * Random interleavings of announcements, cancellations and pulls that lose their fetch or
 * their answer, some pulls fetching before a cancellation and answering after it: the terminal
 * never holds a county order twice, and once a clean pull has run, every order the office
 * cancelled is cancelled at the terminal (or never reached it), and every other one is there.
 * A county that lets a late "taken" answer override a cancellation fails the same check.
 */
type PropertyStep =
  | { readonly _tag: "announce" }
  | { readonly _tag: "cancel"; readonly pick: number }
  | { readonly _tag: "pull"; readonly fault: Fault }
  | { readonly _tag: "pull-around-cancel"; readonly pick: number }

const propertyStep: fc.Arbitrary<PropertyStep> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ _tag: "announce" as const }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("pull" as const), fault: fc.constantFrom<Fault>("none", "lose-fetch", "lose-answer") }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("pull-around-cancel" as const), pick: fc.nat() }) }
)

/** Runs the steps; the violations found (none for a sound county and terminal). */
const violations = (steps: ReadonlyArray<PropertyStep>, lateTakenWins: boolean) =>
  Effect.gen(function*() {
    const c = yield* setup
    const announced: Array<string> = []
    const cancelled = new Set<string>()
    const found: Array<string> = []
    const inbox = yield* c.inboxOf("T1")
    /** The mutant county: a "taken" answer that arrives after a cancellation sets the order back to taken. */
    const answer = (answers: Answers) =>
      Effect.gen(function*() {
        yield* inbox.answer(answers)
        if (!lateTakenWins) return
        for (const t of answers.taken) if ((yield* Effect.orDie(c.order(t.countyOrder))).status === "cancelling") yield* c.forceStatus(t.countyOrder, "taken")
      })
    const takeWith = (fetched: Inbox) =>
      Effect.flatMap(CountyOrders, (o) => o.pullOnce()).pipe(
        Effect.provide(CountyOrders.Default.pipe(Layer.provide(CountyOrdersRepo.Default))),
        Effect.provideService(CountyInbox, CountyInbox.of({ fetch: Effect.succeed(fetched), answer }))
      )
    const cancel = (pick: number) =>
      Effect.gen(function*() {
        if (announced.length === 0) return
        const id = announced[pick % announced.length]!
        if (Either.isRight(yield* Effect.either(c.desk.cancel(clerk, id)))) cancelled.add(id)
      })
    const pull = (fault: Fault) =>
      Effect.gen(function*() {
        if (fault === "lose-fetch") return
        // a lost answer: the county acted on it and the terminal never heard, which it keeps no state about
        yield* takeWith(yield* inbox.fetch)
      })
    const check = Effect.gen(function*() {
      const links = yield* Effect.flatMap(SqlClient.SqlClient, (s) => s<{ county_order_id: string; order_id: string }>`SELECT * FROM county_orders`)
      const all = yield* (yield* OrdersRepo).list({})
      if (all.length !== links.length) found.push(`${all.length} orders at the terminal, ${links.length} from the county`)
      if (new Set(links.map((l) => l.county_order_id)).size !== links.length) found.push("a county order taken twice")
    })
    for (const step of steps) {
      if (step._tag === "announce") announced.push((yield* c.announce(clerk)).id)
      else if (step._tag === "cancel") yield* cancel(step.pick)
      else if (step._tag === "pull") yield* pull(step.fault)
      else {
        const fetched = yield* inbox.fetch
        yield* cancel(step.pick)
        yield* takeWith(fetched)
      }
      yield* check
    }
    yield* pull("none")
    yield* pull("none")
    for (const id of announced) {
      const local = yield* localOrder(id)
      const status = Option.isSome(local) ? local.value.status : "absent"
      if (cancelled.has(id) && status !== "cancelled" && status !== "absent") found.push(`order ${id}, cancelled by the office, is ${status} at the terminal`)
      if (!cancelled.has(id) && status !== "announced") found.push(`order ${id} is ${status} at the terminal`)
    }
    return found
  }).pipe(Effect.provide(terminal()), Effect.scoped)

describe("orders under random interleavings", () => {
  it("a sound county and terminal: no order twice, every cancellation honoured, every other order there", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(propertyStep, { minLength: 1, maxLength: 14 }), async (steps) => {
        expect(await Effect.runPromise(violations(steps, false))).toEqual([])
      }),
      { numRuns: 25 }
    )
  }, 120_000)

  it("a county whose late 'taken' answer overrides a cancellation fails the same check", async () => {
    const counterexample = await fc.check(
      fc.asyncProperty(
        fc.array(propertyStep, { minLength: 1, maxLength: 14 }),
        async (steps) => (await Effect.runPromise(violations(steps, true))).length === 0
      ),
      { numRuns: 100 }
    )
    expect(counterexample.failed).toBe(true)
  }, 240_000)
})
