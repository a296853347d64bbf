/**
 * The terminal's store-and-forward (core/workflows/CountySync.ts) against the county's
 * replication, both on SQLite files on disk, with a transport that loses requests and
 * answers: random interleavings of appends, syncs, lost messages and restarts of either
 * side never leave the county with more than a prefix of the terminal's log, never raise
 * an alarm, and a last sync without faults leaves every event there once, in order.
 * A sync that trusts its own cursor instead of asking the county fails the same check.
 * And a county away for a simulated week: the terminal keeps retrying at the slow pace
 * and is caught up within one back-off of its return.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Fiber, Layer, Logger, LogLevel, Ref, Scope, TestClock } from "effect"
import fc from "fast-check"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { AuditKey, EventLog } from "../../core/persistence/EventLog.ts"
import { CountyGateway, CountyUnreachable } from "../../core/ports/CountyGateway.ts"
import { MAX_PUSH } from "../../core/protocols/replication.ts"
import { CountySync } from "../../core/workflows/CountySync.ts"
import { countyServices } from "../../county/http/server.ts"
import { CountyAlarmsRepo } from "../../county/persistence/CountyAlarmsRepo.ts"
import { countySchema } from "../../county/persistence/database.ts"
import { ReplicaRepo } from "../../county/persistence/ReplicaRepo.ts"
import { Registry } from "../../county/Registry.ts"
import { localGateway } from "../../county/replication/localGateway.ts"
import { Replication } from "../../county/replication/Replication.ts"
import { databaseLayer } from "../../kiosk/composition.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { chain, headOf } from "./chain.ts"

const policy = { ...defaultPolicy, site: "Mayen", terminalId: "T1" }
const key = new Uint8Array(32).fill(7)

const terminalLayer = (file: string) =>
  EventLog.Default.pipe(
    Layer.provideMerge(Layer.mergeAll(databaseLayer(file), Layer.succeed(TerminalPolicy, policy), Layer.succeed(AuditKey, key))),
    Layer.orDie
  )
const countyLayer = (file: string) =>
  countyServices.pipe(Layer.provideMerge(countySchema), Layer.provideMerge(SqliteClient.layer({ filename: file })), Layer.orDie)

/** A running instance of one side: its services, and the scope whose closing is its crash. */
interface Instance<R> {
  readonly context: Context.Context<R>
  readonly scope: Scope.CloseableScope
}
const start = <R>(layer: Layer.Layer<R>) =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(layer, scope)
    return { context, scope } satisfies Instance<R>
  })
const stop = <R>(instance: Instance<R>) => Scope.close(instance.scope, Exit.void)

/** What happens to one message between terminal and county. */
type Fault = "none" | "lose-request" | "lose-answer"

/**
 * A gateway over the current county instance that loses what the fault plan says: a lost
 * request never reaches the county; a lost answer is lost after the county acted on it.
 */
const faultyGateway = (county: Ref.Ref<Instance<Replication>>, plan: Ref.Ref<Array<Fault>>, calls: Ref.Ref<number>) => {
  const through = <A, E>(call: (gateway: Context.Tag.Service<typeof CountyGateway>) => Effect.Effect<A, E>) =>
    Effect.gen(function*() {
      yield* Ref.update(calls, (n) => n + 1)
      const fault = yield* Ref.modify(plan, (faults): [Fault, Array<Fault>] => [faults[0] ?? "none", faults.slice(1)])
      const lost = new CountyUnreachable({ reason: "Network", message: `the connection was cut (${fault})` })
      if (fault === "lose-request") return yield* Effect.fail(lost)
      const { context } = yield* Ref.get(county)
      const gateway = yield* Effect.provide(localGateway("T1"), context)
      const answer = yield* call(gateway)
      if (fault === "lose-answer") return yield* Effect.fail(lost)
      return answer
    })
  return CountyGateway.of({ head: through((g) => g.head), push: (request) => through((g) => g.push(request)) })
}

/** The way a terminal syncs: the real CountySync, or a mutant. */
type Syncer = (log: EventLog, gateway: Context.Tag.Service<typeof CountyGateway>, cursor: Ref.Ref<number>) => Effect.Effect<unknown, unknown>

const realSync: Syncer = (log, gateway) =>
  Effect.flatMap(CountySync, (s) => s.syncOnce()).pipe(
    Effect.provide(CountySync.Default),
    Effect.provideService(EventLog, log),
    Effect.provideService(CountyGateway, gateway)
  )

/** The mutant: trusts a cursor of its own, advanced when it sends, instead of asking the county what it holds. */
const optimisticSync: Syncer = (log, gateway, cursor) =>
  Effect.gen(function*() {
    const through = yield* Effect.orDie(log.head)
    const from = yield* Ref.getAndSet(cursor, through.seq)
    if (through.seq <= from) return
    const rows = yield* Effect.orDie(log.rows({ afterSeq: from, limit: MAX_PUSH }))
    yield* gateway.push({ rows: rows.filter((r) => r.seq <= through.seq), through })
  })

type Step =
  | { readonly _tag: "append"; readonly count: number }
  | { readonly _tag: "sync"; readonly faults: ReadonlyArray<Fault> }
  | { readonly _tag: "restart-terminal" }
  | { readonly _tag: "restart-county" }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("append" as const), count: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      _tag: fc.constant("sync" as const),
      faults: fc.array(fc.constantFrom<Fault>("none", "lose-request", "lose-answer"), { maxLength: 3 })
    })
  },
  { weight: 1, arbitrary: fc.constant({ _tag: "restart-terminal" as const }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "restart-county" as const }) }
)

interface Outcome {
  /** After some step the county held rows that are not a prefix of the terminal's log. */
  readonly notPrefix: number
  readonly alarms: ReadonlyArray<string>
  readonly terminalHashes: ReadonlyArray<string>
  readonly countyHashes: ReadonlyArray<string>
  readonly countyEvents: number
}

/** Plays the steps, then one sync without faults; what the county holds against the terminal's log. */
const play = (steps: ReadonlyArray<Step>, sync: Syncer) =>
  Effect.gen(function*() {
    const terminalFile = tempDb()
    const countyFile = tempDb()
    const firstCounty = yield* start(countyLayer(countyFile))
    yield* Effect.provide(Effect.flatMap(Registry, (r) => r.add("T1", "Mayen")), firstCounty.context)
    const county = yield* Ref.make<Instance<Replication | Registry | CountyAlarmsRepo | ReplicaRepo>>(firstCounty as never)
    const terminal = yield* Ref.make(yield* start(terminalLayer(terminalFile)))
    const plan = yield* Ref.make<Array<Fault>>([])
    const calls = yield* Ref.make(0)
    const gateway = faultyGateway(county as never, plan, calls)
    const cursor = yield* Ref.make(0)
    const inTerminal = <A, E>(f: (log: EventLog) => Effect.Effect<A, E>) => Effect.flatMap(Ref.get(terminal), (t) => f(Context.get(t.context, EventLog)))
    const inCounty = <A, E, R extends Replication | Registry | CountyAlarmsRepo | ReplicaRepo>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(Ref.get(county), (c) => Effect.provide(effect, c.context))
    const countyHashes = inCounty(Effect.map(Effect.flatMap(ReplicaRepo, (r) => r.rows("T1")), (rows) => rows.map((r) => r.hash)))
    const terminalHashes = inTerminal((log) => Effect.map(Effect.orDie(log.rows({})), (rows) => rows.map((r) => r.hash)))
    let notPrefix = 0
    let appended = 0
    for (const step of steps) {
      switch (step._tag) {
        case "append":
          for (let i = 0; i < step.count; i++) yield* inTerminal((log) => Effect.orDie(log.append({ _tag: "CardReadFailed", reason: `attempt ${++appended}` })))
          break
        case "sync":
          yield* Ref.set(plan, [...step.faults])
          yield* inTerminal((log) => Effect.ignore(sync(log, gateway, cursor)))
          yield* Ref.set(plan, [])
          break
        case "restart-terminal": {
          yield* stop(yield* Ref.get(terminal))
          yield* Ref.set(terminal, yield* start(terminalLayer(terminalFile)))
          yield* Ref.set(cursor, 0)
          break
        }
        case "restart-county": {
          yield* stop(yield* Ref.get(county))
          yield* Ref.set(county, (yield* start(countyLayer(countyFile))) as never)
          break
        }
      }
      const [mine, theirs] = [yield* terminalHashes, yield* countyHashes]
      if (theirs.some((h, i) => mine[i] !== h)) notPrefix++
    }
    yield* inTerminal((log) => Effect.ignore(sync(log, gateway, cursor)))
    const outcome: Outcome = {
      notPrefix,
      alarms: (yield* inCounty(Effect.flatMap(CountyAlarmsRepo, (a) => a.open))).map((a) => a.kind),
      terminalHashes: yield* terminalHashes,
      countyHashes: yield* countyHashes,
      countyEvents: (yield* inCounty(Effect.flatMap(Replication, (r) => r.head("T1")))).events
    }
    yield* stop(yield* Ref.get(terminal))
    yield* stop(yield* Ref.get(county))
    return outcome
  }).pipe(Effect.orDie)

/** The safety property: nothing but a prefix at the county, no alarm, and after a clean sync all of it, once, in order. */
const holds = (o: Outcome) =>
  o.notPrefix === 0 && o.alarms.length === 0 && o.countyEvents === o.terminalHashes.length &&
  o.countyHashes.length === o.terminalHashes.length && o.countyHashes.every((h, i) => h === o.terminalHashes[i])

const property = (sync: Syncer) =>
  fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 14 }), async (steps) => {
    const outcome = await Effect.runPromise(play(steps, sync).pipe(Logger.withMinimumLogLevel(LogLevel.None)))
    if (!holds(outcome)) {
      throw new Error(
        `the county does not hold the terminal's log: ${
          JSON.stringify({ ...outcome, terminalHashes: outcome.terminalHashes.length, countyHashes: outcome.countyHashes.length })
        }`
      )
    }
  })

describe("store-and-forward to the county, with lost messages and restarts", () => {
  it("every interleaving leaves the county a prefix, no alarm, and after a clean sync every event once, in order", async () => {
    await fc.assert(property(realSync), { numRuns: 60 })
  }, 120_000)

  it("a sync that advances its own cursor when it sends fails the same check", async () => {
    const result = await fc.check(property(optimisticSync), { numRuns: 200 })
    expect(result.failed).toBe(true)
  }, 120_000)

  it("a push repeated after its answer was lost stores nothing twice", async () => {
    const outcome = await Effect.runPromise(play([{ _tag: "append", count: 5 }, { _tag: "sync", faults: ["none", "lose-answer", "lose-answer"] }], realSync))
    expect(holds(outcome)).toBe(true)
    // the same batch again, as a terminal without the head question would send it: all duplicates
    const county = countyLayer(tempDb())
    const again = await Effect.gen(function*() {
      yield* (yield* Registry).add("T1", "Mayen")
      const replication = yield* Replication
      const rows = chain(5)
      const first = yield* replication.push("T1", { rows, through: headOf(rows) })
      const second = yield* replication.push("T1", { rows, through: headOf(rows) })
      return { first, second, held: (yield* replication.head("T1")).events }
    }).pipe(Effect.provide(county), Effect.runPromise)
    expect(again.first).toMatchObject({ accepted: 5, duplicates: 0 })
    expect(again.second).toMatchObject({ accepted: 0, duplicates: 5 })
    expect(again.held).toBe(5)
  })
})

describe("a county away for a simulated week", () => {
  it.scoped(
    "the terminal retries at most every back-off, appends go on, and it is caught up within one back-off of the county's return",
    () =>
      Effect.gen(function*() {
        const county = yield* start(countyLayer(tempDb()))
        yield* Effect.provide(Effect.flatMap(Registry, (r) => r.add("T1", "Mayen")), county.context)
        const terminal = yield* start(terminalLayer(tempDb()))
        const log = Context.get(terminal.context, EventLog)
        const reachable = yield* Ref.make(true)
        const attempts = yield* Ref.make(0)
        const real = yield* Effect.provide(localGateway("T1"), county.context)
        const guarded = <A, E>(call: Effect.Effect<A, E>) =>
          Effect.flatMap(
            Ref.get(reachable),
            (up): Effect.Effect<A, E | CountyUnreachable> =>
              up ? call : Effect.fail(new CountyUnreachable({ reason: "Network", message: "no route to the county" }))
          )
        const gateway = CountyGateway.of({
          head: Effect.zipRight(Ref.update(attempts, (n) => n + 1), guarded(real.head)),
          push: (request) => guarded(real.push(request))
        })
        const settings = { idle: "30 seconds", maxBackoff: "5 minutes", gather: "200 millis" } as const
        const sync = yield* Effect.provide(
          CountySync,
          CountySync.Default.pipe(Layer.provide(Layer.mergeAll(Layer.succeed(EventLog, log), Layer.succeed(CountyGateway, gateway))))
        )
        const fiber = yield* Effect.forkScoped(sync.run(settings))
        yield* log.append({ _tag: "CardReadFailed", reason: "before the outage" })
        yield* TestClock.adjust("1 second")
        expect((yield* sync.status).pushed).toBe(1)

        yield* Ref.set(reachable, false)
        yield* Ref.set(attempts, 0)
        const hours = 7 * 24
        for (let h = 0; h < hours; h++) {
          yield* log.append({ _tag: "CardReadFailed", reason: `hour ${h}` })
          yield* TestClock.adjust("1 hour")
        }
        const tried = yield* Ref.get(attempts)
        const week = Duration.toMillis("7 days")
        // jittered between 0.8 and 1.2 of the wait: never more often than every 4 minutes once backed off, never silent for more than 6
        expect(tried).toBeLessThanOrEqual(Math.ceil(week / Duration.toMillis("4 minutes")) + 20)
        expect(tried).toBeGreaterThanOrEqual(Math.floor(week / Duration.toMillis("6 minutes")))
        expect((yield* sync.status).problem._tag).toBe("Some")
        expect((yield* Effect.provide(Effect.flatMap(Replication, (r) => r.head("T1")), county.context)).events).toBe(1)

        yield* Ref.set(reachable, true)
        for (let m = 0; m < 6; m++) yield* TestClock.adjust("1 minute")
        const held = yield* Effect.provide(Effect.flatMap(Replication, (r) => r.head("T1")), county.context)
        expect(held.events).toBe(hours + 1)
        expect(held.head).toEqual(yield* log.head)
        expect((yield* sync.status).problem._tag).toBe("None")
        yield* Fiber.interrupt(fiber)
        yield* stop(terminal)
        yield* stop(county)
      }).pipe(Effect.orDie),
    120_000
  )
})
