/**
 * Helpers for the scenario tests: load a preset or a document, run replicates.
 */
import { Effect } from "effect"
import { type ReplicateOptions, runModelReplicate } from "../../scenarios/model/run.ts"
import { decodeScenario, loadScenario, merge } from "../../scenarios/schema/load.ts"
import type { Scenario } from "../../scenarios/schema/scenario.ts"

export const preset = (name: string) => Effect.runSync(loadScenario(name))

/** A preset with a patch merged in (objects merge, arrays replace, sites by name). */
export const variant = (base: Scenario, patch: Record<string, unknown>): Scenario =>
  Effect.runSync(decodeScenario(merge(structuredClone(base) as never, patch as never)))

export const replicates = (scenario: Scenario, seeds: ReadonlyArray<number>, options: Partial<ReplicateOptions> = {}) =>
  seeds.map((seed, i) => runModelReplicate(scenario, { rootSeed: seed, replicate: i + 1, ...options }))

export const districtShare = (
  r: { readonly sites: ReadonlyArray<{ readonly pickupsTerminal: number; readonly pickupsCounter: number; readonly startDay: number | null }> }
) => {
  const sites = r.sites.filter((s) => s.startDay !== null)
  const t = sites.reduce((a, s) => a + s.pickupsTerminal, 0)
  return t / (t + sites.reduce((a, s) => a + s.pickupsCounter, 0))
}

export const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
