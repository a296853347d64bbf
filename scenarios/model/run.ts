/**
 * One replicate in model fidelity: the engine's interactions played against
 * the model terminals, synchronously — the fast path for sweeps. With
 * `counterfactual`, the same world (residents, network, occasions, faults,
 * random streams) is run a second time as "posters only" (no staff
 * recommendation anywhere, posters everywhere): the P8 comparison.
 */
import { createHash } from "node:crypto"
import { collect, type ReplicateResult } from "../engine/results.ts"
import { deriveSeed, Rng } from "../engine/rng.ts"
import { Simulation } from "../engine/simulation.ts"
import type { State, Variant } from "../engine/state.ts"
import type { EventSink } from "../output/eventlog.ts"
import type { Scenario } from "../schema/scenario.ts"
import { ModelTerminal } from "./terminal.ts"

/** The key a simulated terminal hashes card identifiers with (derived from the seed, never a real key). */
export const simulationCardKey = (rootSeed: number): Uint8Array => createHash("sha256").update(`amtomat-simulation-card-key/${rootSeed}`).digest()

export interface ReplicateOptions {
  readonly rootSeed: number
  readonly replicate: number
  readonly variant?: Variant
  readonly sink?: EventSink
  readonly survey?: boolean
  readonly bass?: boolean
  readonly counterfactual?: boolean
  /** Called with the finished engine state (daily tallies for output). */
  readonly inspect?: (state: State) => void
}

export interface ModelReplicate extends ReplicateResult {
  /** The posters-only run of the same world, when asked for. */
  readonly counterfactual: ReplicateResult | null
}

/** Plays every interaction of a simulation against model terminals. */
export const playModel = (scenario: Scenario, sim: Simulation, rootSeed: number, replicate: number, sink?: EventSink): void => {
  const cardKey = simulationCardKey(rootSeed)
  const terminals = scenario.sites.map((site, s) =>
    new ModelTerminal(s, sim.compartments[s]!, sim.calendar, new Rng(deriveSeed(rootSeed, "replicate", replicate, "terminal", site.name)), sink, cardKey, 90)
  )
  for (;;) {
    const interaction = sim.next()
    if (interaction === undefined) break
    sim.resolve(terminals[interaction.site]!.play(interaction))
  }
}

export const runModelReplicate = (scenario: Scenario, options: ReplicateOptions): ModelReplicate => {
  const base = { rootSeed: options.rootSeed, replicate: options.replicate }
  const sim = new Simulation(scenario, { ...base, variant: options.variant ?? "as-given" })
  const world = options.counterfactual === true ? sim.world() : undefined
  playModel(scenario, sim, options.rootSeed, options.replicate, options.sink)
  options.inspect?.(sim)
  const result = collect(sim, { survey: options.survey ?? true, bass: options.bass ?? false })
  if (world === undefined) return { ...result, counterfactual: null }
  const cf = new Simulation(scenario, { ...base, variant: "posters-only" }, world)
  playModel(scenario, cf, options.rootSeed, options.replicate)
  return { ...result, counterfactual: collect(cf, { survey: false, bass: false }) }
}
