/**
 * The discrimination table: every model variant (scenarios/variants.ts) run
 * over the same seeds, and for each pattern whether it rejects the variant.
 * A pattern set is evidence for the mechanism only if the calibrated world
 * passes every pattern and every variant the study's findings contradict
 * fails at least one (pattern-oriented modelling; Grimm et al. 2005).
 */
import { Effect } from "effect"
import { type PatternId, patterns } from "../analytics/studyPatterns.ts"
import { markdownTable } from "./output/markdown.ts"
import type { PatternResult } from "./patterns.ts"
import { runScenario } from "./run.ts"
import type { Scenario } from "./schema/scenario.ts"
import { type ModelVariant, variants as allVariants } from "./variants.ts"

export interface DiscriminationRow {
  readonly variant: ModelVariant["id"]
  readonly name: string
  readonly change: string
  readonly contradicts: string | null
  /** Per pattern: pass (true), rejected (false) or n/a (null), on the mean across replicates. */
  readonly verdicts: Readonly<Record<PatternId, boolean | null>>
  /** The patterns that reject the variant. */
  readonly rejectedBy: ReadonlyArray<PatternId>
  readonly patterns: ReadonlyArray<PatternResult>
}

export interface Discrimination {
  readonly scenario: string
  readonly seed: number
  readonly replicates: number
  readonly rows: ReadonlyArray<DiscriminationRow>
  /** The calibrated world passes every pattern that applies. */
  readonly calibratedPasses: boolean
  /** Contradicted variants no pattern rejects. */
  readonly notRejected: ReadonlyArray<ModelVariant["id"]>
}

export interface DiscriminateOptions {
  readonly scenario: Scenario
  readonly seed: number
  readonly replicates: number
  readonly variants?: ReadonlyArray<ModelVariant>
  readonly onVariant?: (done: number, total: number) => Effect.Effect<void>
}

export const discriminate = (options: DiscriminateOptions) =>
  Effect.gen(function*() {
    const chosen = options.variants ?? allVariants
    const rows: Array<DiscriminationRow> = []
    for (const [i, variant] of chosen.entries()) {
      const summary = yield* runScenario({
        scenario: variant.apply(options.scenario),
        seed: options.seed,
        replicates: options.replicates,
        fidelity: "model"
      })
      const verdicts = Object.fromEntries(summary.patterns.map((p) => [p.id, p.pass])) as Record<PatternId, boolean | null>
      rows.push({
        variant: variant.id,
        name: variant.name,
        change: variant.change,
        contradicts: variant.contradicts,
        verdicts,
        rejectedBy: patterns.map((p) => p.id).filter((id) => verdicts[id] === false),
        patterns: summary.patterns
      })
      if (options.onVariant !== undefined) yield* options.onVariant(i + 1, chosen.length)
    }
    const calibrated = rows.find((r) => r.contradicts === null)
    const result: Discrimination = {
      scenario: options.scenario.name,
      seed: options.seed,
      replicates: options.replicates,
      rows,
      calibratedPasses: calibrated === undefined || calibrated.rejectedBy.length === 0,
      notRejected: rows.filter((r) => r.contradicts !== null && r.rejectedBy.length === 0).map((r) => r.variant)
    }
    return result
  })

/** The table as Markdown: a row per variant, a column per pattern (pass, REJECTS, n/a). */
export const discriminationTable = (d: Discrimination): string => {
  const ids = patterns.map((p) => p.id)
  const header = ["variant", "contradicted by the study", ...ids, "rejected"]
  const rows = d.rows.map((r) => [
    r.variant,
    r.contradicts === null ? "– (calibrated)" : "yes",
    ...ids.map((id) => (r.verdicts[id] === null ? "n/a" : r.verdicts[id] ? "pass" : "REJECTS")),
    r.contradicts === null ? (r.rejectedBy.length === 0 ? "no (good)" : "YES (bad)") : r.rejectedBy.length > 0 ? "yes (good)" : "NO (bad)"
  ])
  return markdownTable(header, rows)
}
