/**
 * One replicate in full fidelity: the engine's interactions played through
 * the real terminal core of each site (one SQLite file per site and
 * replicate), under a virtual clock moved to each interaction's time. The event
 * logs of the sites' databases are merged by time into the run's log and
 * chained again (each database keeps its own chain and can be verified too).
 */
import { Cause, Context, Effect, Layer, Random } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TerminalEvent } from "../../core/domain/events.ts"
import { EventLog, type EventRow } from "../../core/persistence/EventLog.ts"
import { CountyGateway } from "../../core/ports/CountyGateway.ts"
import { CountySync } from "../../core/workflows/CountySync.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { collect } from "../engine/results.ts"
import { deriveSeed } from "../engine/rng.ts"
import { Simulation } from "../engine/simulation.ts"
import { type ModelReplicate, playModel, simulationCardKey } from "../model/run.ts"
import { chain } from "../output/eventlog.ts"
import { dailyCsv } from "../output/tables.ts"
import type { Scenario } from "../schema/scenario.ts"
import { SimClock, VirtualClock } from "./clock.ts"
import { countyTerminalId, type RunCounty } from "./county.ts"
import { play, type SiteBook } from "./driver.ts"
import { bootSite, siteLayout, type SiteServices, siteTerminal } from "./terminal.ts"

export interface FullReplicateOptions {
  readonly rootSeed: number
  readonly replicate: number
  /** Where the site databases go (a temp folder when absent). */
  readonly dir?: string | undefined
  readonly onDaily?: (csv: string) => void
  /** false: synchronous=OFF (benchmarks only: what the durable commits cost). */
  readonly durable?: boolean
  /** The sites as terminals of this county: each replicates its log after every interaction (./county.ts). */
  readonly county?: RunCounty | undefined
}

export interface FullReplicate extends ModelReplicate {
  readonly events: ReadonlyArray<EventRow>
  /** Interactions played through the workflows, by kind. */
  readonly interactions: Readonly<Record<string, number>>
}

export const runFullReplicate = (scenario: Scenario, options: FullReplicateOptions) =>
  Effect.suspend(() => {
    const { rootSeed, replicate } = options
    const sim = new Simulation(scenario, { rootSeed, replicate, variant: "as-given" })
    const world = sim.world()
    const folder = options.dir ?? mkdtempSync(join(tmpdir(), "amtomat-scenario-"))
    const cardKey = simulationCardKey(rootSeed)
    const clock = new VirtualClock(sim.calendar.epochMs(0))
    const program = Effect.gen(function*() {
      const sites = new Map<number, {
        readonly context: Context.Context<SiteServices>
        readonly random: Random.Random
        readonly book: SiteBook
        /** Replicates the site's log to the county (nothing without one). */
        readonly toCounty: Effect.Effect<void>
      }>()
      const county = options.county
      const site = (s: number) =>
        Effect.gen(function*() {
          const known = sites.get(s)
          if (known !== undefined) return known
          const name = scenario.sites[s]!.name
          const context = yield* Layer.build(
            siteTerminal({
              site: name,
              file: join(folder, `terminal-${s + 1}.db`),
              layout: siteLayout(sim.compartments[s]!),
              cardKey,
              durable: options.durable ?? true,
              ...(county === undefined ? {} : { config: { terminalId: countyTerminalId(s) } })
            })
          )
          const random = Random.make(deriveSeed(rootSeed, "replicate", replicate, "full", name))
          const staff = yield* Effect.gen(function*() {
            yield* bootSite
            return yield* (yield* StaffAuth).create(`staff${s + 1}`, "Simulated Clerk", "supervisor", `scenario-${rootSeed}-${s}`)
          }).pipe(Effect.provide(context), Effect.withRandom(random))
          let toCounty: Effect.Effect<void> = Effect.void
          if (county !== undefined) {
            const gateway = yield* county.join(countyTerminalId(s), name)
            const sync = Context.get(
              yield* Layer.build(CountySync.Default.pipe(
                Layer.provide(Layer.succeed(EventLog, Context.get(context, EventLog))),
                Layer.provide(Layer.succeed(CountyGateway, gateway))
              )),
              CountySync
            )
            // the county runs in the same process: a refusal would be a bug, not weather
            toCounty = Effect.orDieWith(sync.syncOnce(), (e) => new Error(`county: ${e.message}`))
          }
          const entry = { context, random, book: { orders: new Map(), staff: staff.id }, toCounty }
          sites.set(s, entry)
          return entry
        })
      const counts: Record<string, number> = {}
      for (;;) {
        const interaction = sim.next()
        if (interaction === undefined) break
        yield* clock.advanceTo(sim.calendar.epochMs(interaction.t))
        const { context, random, book } = yield* site(interaction.site)
        const outcome = yield* play(book, interaction).pipe(
          Effect.provide(context),
          Effect.withRandom(random),
          Effect.catchAllCause((cause) => Effect.as(Effect.logWarning(`${interaction.kind} failed unexpectedly`, Cause.pretty(cause)), "failed" as const))
        )
        counts[interaction.kind] = (counts[interaction.kind] ?? 0) + 1
        sim.resolve(outcome)
        yield* sites.get(interaction.site)!.toCounty
      }
      const merged: Array<{ readonly row: EventRow; readonly s: number }> = []
      for (const [s, { context }] of sites) {
        const rows = yield* Effect.flatMap(EventLog, (log) => log.rows()).pipe(Effect.provide(context), Effect.orDie)
        for (const row of rows) merged.push({ row, s })
      }
      merged.sort((a, b) => (a.row.at < b.row.at ? -1 : a.row.at > b.row.at ? 1 : a.s - b.s || a.row.seq - b.row.seq))
      const events = chain(merged.map(({ row }) => ({ at: row.at, site: row.site, terminal: row.terminal, event: JSON.parse(row.data) as TerminalEvent })))
      options.onDaily?.(dailyCsv(sim))
      const result = collect(sim, { survey: true, bass: true })
      const cf = new Simulation(scenario, { rootSeed, replicate, variant: "posters-only" }, world)
      playModel(scenario, cf, rootSeed, replicate)
      const full: FullReplicate = { ...result, counterfactual: collect(cf, { survey: false, bass: false }), events, interactions: counts }
      return full
    }).pipe(Effect.scoped)
    return program.pipe(Effect.withClock(clock), Effect.provideService(SimClock, clock))
  })
