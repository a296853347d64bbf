/**
 * A scenario run: K replicates from one root seed, in model or full
 * fidelity, optionally written to a run directory, summarised as the
 * pattern table P1..P8 and per-site figures.
 */
import { Clock, type Context, Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { defaultAnalyticsConfig } from "../analytics/config.ts"
import { demographicPower } from "../analytics/power.ts"
import { recordsOfRows } from "../analytics/records.ts"
import { summarise } from "../analytics/summary.ts"
import type { ReplicateResult, SiteResult } from "./engine/results.ts"
import { streamSeeds } from "./engine/state.ts"
import type { ScenarioCounty } from "./full/county.ts"
import { type FullReplicate, runFullReplicate } from "./full/run.ts"
import { type ModelReplicate, runModelReplicate } from "./model/run.ts"
import { CollectingSink } from "./output/eventlog.ts"
import { codeVersion, ensureDir, writeEvents, writeJson, writeText } from "./output/files.ts"
import { dailyCsv, surveyCsv } from "./output/tables.ts"
import { type PatternResult, replicatePatterns, respondentOf, summarisePatterns } from "./patterns.ts"
import type { Scenario } from "./schema/scenario.ts"

export type Fidelity = "model" | "full"

export interface RunOptions {
  readonly scenario: Scenario
  readonly seed: number
  readonly replicates: number
  readonly fidelity: Fidelity
  readonly out?: string | undefined
  /** Called after each replicate (progress). */
  readonly onReplicate?: ((done: number, total: number) => Effect.Effect<void>) | undefined
  /** Full fidelity only: run each replicate's sites as terminals of a fresh county (scenarios/full/county.ts). */
  readonly county?: Context.Tag.Service<typeof ScenarioCounty> | undefined
}

/** What the county of a replicate holds, against the run's own log. */
export interface CountyCheck {
  readonly replicate: number
  readonly terminals: number
  /** Events at the county, and in the run's log. */
  readonly events: number
  readonly runEvents: number
  /** The study's summary over the county's rows is the one over the run's log. */
  readonly sameReport: boolean
}

export interface SiteSummary {
  readonly name: string
  readonly terminalShare: number
  readonly pickupsTerminal: number
  readonly pickupsCounter: number
  readonly users: number
  readonly staffPropensity: number
  readonly counterWait: SiteResult["counterWait"]
  readonly bass: { readonly p: number; readonly q: number; readonly m: number; readonly r2: number } | null
}

export interface RunSummary {
  readonly scenario: string
  readonly seed: number
  readonly replicates: number
  readonly fidelity: Fidelity
  readonly wallSeconds: number
  readonly patterns: ReadonlyArray<PatternResult>
  readonly sites: ReadonlyArray<SiteSummary>
  /** Head hash of each replicate's event log (when written). */
  readonly eventHeads: ReadonlyArray<string>
  /** P3 at the survey's size, per demographic term across replicates (analytics/power.ts); empty without a survey. */
  readonly p3Power: ReadonlyArray<TermPowerSummary>
  /** With a county: one check per replicate. */
  readonly county?: ReadonlyArray<CountyCheck>
}

export interface TermPowerSummary {
  readonly name: string
  readonly surveySize: number
  /** Share of replicates in which the term's effect was detected / shown equivalent to 0 (± the smallest effect). */
  readonly detected: number
  readonly equivalent: number
  /** Mean effect (probability of use per step) detected with 80 % power, and the survey size for the smallest effect of interest. */
  readonly mde80: number
  readonly n80: number
  readonly smallestEffect: number
}

/** P3's power across replicates (see analytics/power.ts). */
export const p3PowerOf = (reps: ReadonlyArray<ReplicateResult>): ReadonlyArray<TermPowerSummary> => {
  const fits = reps.map((rep) => demographicPower(rep.survey.map(respondentOf))).filter((f) => f !== null)
  if (fits.length === 0) return []
  return fits[0]!.terms.map((t) => {
    const same = fits.map((f) => f.terms.find((x) => x.name === t.name)).filter((x) => x !== undefined)
    return {
      name: t.name,
      surveySize: Math.round(avg(fits.map((f) => f.n))),
      detected: r(same.filter((x) => x.detected).length / same.length, 3),
      equivalent: r(same.filter((x) => x.equivalent).length / same.length, 3),
      mde80: r(avg(same.map((x) => x.mde80)), 4),
      n80: Math.round(avg(same.map((x) => x.n80))),
      smallestEffect: fits[0]!.smallestEffect
    }
  })
}

const avg = (xs: ReadonlyArray<number>) => {
  const v = xs.filter((x) => !isNaN(x))
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length
}
const r = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d

export const summariseSites = (reps: ReadonlyArray<ReplicateResult>): ReadonlyArray<SiteSummary> =>
  reps[0]!.sites.map((site, s) => {
    const col = (f: (x: SiteResult) => number) => avg(reps.map((rep) => f(rep.sites[s]!)))
    const fits = reps.map((rep) => rep.sites[s]!.bass).filter((b) => b !== null)
    return {
      name: site.name,
      terminalShare: r(col((x) => x.terminalShare)),
      pickupsTerminal: r(col((x) => x.pickupsTerminal), 1),
      pickupsCounter: r(col((x) => x.pickupsCounter), 1),
      users: r(col((x) => x.users), 1),
      staffPropensity: r(col((x) => x.staffPropensity), 3),
      counterWait: { withoutTerminal: r(col((x) => x.counterWait.withoutTerminal), 2), withTerminal: r(col((x) => x.counterWait.withTerminal), 2) },
      bass: fits.length === 0
        ? null
        : { p: r(avg(fits.map((b) => b.p))), q: r(avg(fits.map((b) => b.q))), m: r(avg(fits.map((b) => b.m)), 1), r2: r(avg(fits.map((b) => b.r2))) }
    }
  })

export const runScenario = (options: RunOptions) =>
  Effect.gen(function*() {
    const { scenario, seed, replicates, fidelity, out } = options
    const started = yield* Clock.currentTimeMillis
    const results: Array<ModelReplicate> = []
    const heads: Array<string> = []
    const countyChecks: Array<CountyCheck> = []
    for (let k = 1; k <= replicates; k++) {
      const dir = out === undefined ? undefined : join(out, "replicates", String(k))
      if (dir !== undefined) yield* ensureDir(dir)
      const sink = dir === undefined ? undefined : new CollectingSink(scenario.sites.map((s) => s.name))
      let daily = ""
      const result: ModelReplicate | FullReplicate = fidelity === "model"
        ? yield* Effect.sync(() =>
          runModelReplicate(scenario, {
            rootSeed: seed,
            replicate: k,
            counterfactual: true,
            bass: true,
            ...(sink === undefined ? {} : { sink, inspect: (st) => (daily = dailyCsv(st)) })
          })
        )
        : options.county === undefined
        ? yield* runFullReplicate(scenario, { rootSeed: seed, replicate: k, dir, onDaily: (csv: string) => (daily = csv) })
        : yield* Effect.scoped(Effect.gen(function*() {
          const folder = dir ?? (yield* Effect.acquireRelease(
            Effect.sync(() => mkdtempSync(join(tmpdir(), "amtomat-county-"))),
            (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
          ))
          const county = yield* options.county!.open(folder)
          const full = yield* runFullReplicate(scenario, { rootSeed: seed, replicate: k, dir, onDaily: (csv: string) => (daily = csv), county })
          const held = yield* county.rows
          const atCounty = summarise(recordsOfRows(held).records, defaultAnalyticsConfig)
          const ofRun = summarise(recordsOfRows(full.events).records, defaultAnalyticsConfig)
          countyChecks.push({
            replicate: k,
            terminals: new Set(held.map((r) => r.terminal)).size,
            events: held.length,
            runEvents: full.events.length,
            sameReport: JSON.stringify(atCounty) === JSON.stringify(ofRun)
          })
          return full
        }))
      if (dir !== undefined) {
        const rows = fidelity === "full" ? (result as FullReplicate).events : sink!.rows()
        heads.push(rows[rows.length - 1]?.hash ?? "")
        yield* writeEvents(join(dir, "events.ndjson"), rows)
        yield* writeText(join(dir, "daily.csv"), daily)
        yield* writeText(join(dir, "survey.csv"), surveyCsv(result.survey))
        if (result.equivalenceSurvey.length > 0) yield* writeText(join(dir, "survey-equivalence.csv"), surveyCsv(result.equivalenceSurvey))
      }
      results.push(result)
      if (options.onReplicate !== undefined) yield* options.onReplicate(k, replicates)
      yield* Effect.yieldNow()
    }
    const patterns = summarisePatterns(results.map(replicatePatterns))
    const wallSeconds = r(((yield* Clock.currentTimeMillis) - started) / 1000, 3)
    const summary: RunSummary = {
      scenario: scenario.name,
      seed,
      replicates,
      fidelity,
      wallSeconds,
      patterns,
      sites: summariseSites(results),
      eventHeads: heads,
      p3Power: p3PowerOf(results),
      ...(options.county === undefined ? {} : { county: countyChecks })
    }
    if (out !== undefined) {
      yield* writeJson(join(out, "manifest.json"), {
        scenario: scenario.name,
        parameters: scenario,
        rootSeed: seed,
        replicates,
        replicateSeeds: Array.from({ length: replicates }, (_, i) => ({ replicate: i + 1, ...streamSeeds(scenario, seed, i + 1) })),
        fidelity,
        code: codeVersion(),
        startedAt: new Date(started).toISOString(),
        wallSeconds,
        notes: "P8 compares with a posters-only run of the same world (same seeds), always in model fidelity."
      })
      yield* writeJson(join(out, "summary.json"), { patterns, sites: summary.sites, eventHeads: heads, p3Power: summary.p3Power })
    }
    return summary
  })
