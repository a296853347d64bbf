/**
 * The study comparison: each calibration pattern of the pilot study
 * (shared/reference/pilot-study.md), observed in every replicate, then the
 * mean with a 95% interval across replicates and pass or fail against the
 * accepted band (the mean must lie inside it).
 *
 * How each is observed:
 * - P1 best / worst: the highest and lowest terminal share of handovers among
 *   sites that handed anything over.
 * - P2: survey share with intention > 0.5.
 * - P3: share of demographic coefficients (age band, gender, technology
 *   experience, regressed on use) whose 95% interval covers 0; passes from 0.9
 *   (what chance allows at 5% per coefficient).
 * - P4: standardized coefficient of use minus the largest of trust and ease,
 *   regressing recommending on all three; passes above 0.
 * - P5: share of terminal uses that are pickups.
 * - P6: cumulative terminal pickups at the best site in its first
 *   `p6Months` months, 5 by default (not observed when the log is shorter).
 * - P7: taken from the run's summary.json when given (occasions are not in the
 *   event log); else the share of users with two or more uses, as a proxy.
 * - P8: needs two runs (`report --compare`), else taken from summary.json.
 *
 * Where the run's summary.json reports a pattern too, its value and verdict
 * are kept beside the recomputed one (`reported`), so a disagreement shows.
 */
import type { AnalyticsConfig } from "./config.ts"
import { type Interval, interval95 } from "./stats.ts"
import type { LogSummary } from "./summary.ts"
import { demographicFit, recommendationFit, type Respondent } from "./survey.ts"
import { monthRange } from "./time.ts"

export type PatternId = "P1-best" | "P1-worst" | "P2" | "P3" | "P4" | "P5" | "P6" | "P7" | "P8"
export type Source = "events" | "survey" | "summary.json" | "compare" | "proxy" | "none"

export interface PatternSpec {
  readonly id: PatternId
  readonly pattern: string
  readonly study: string
  readonly band: string
  readonly low: number | null
  readonly high: number | null
  readonly unit: "share" | "count" | "number"
}

export const patterns: ReadonlyArray<PatternSpec> = [
  { id: "P1-best", pattern: "terminal share of handovers, best site", study: "≈ 28 %", band: "20–35 %", low: 0.2, high: 0.35, unit: "share" },
  { id: "P1-worst", pattern: "terminal share of handovers, worst site", study: "< 1 %", band: "< 2 %", low: null, high: 0.02, unit: "share" },
  { id: "P2", pattern: "residents intending to use it", study: "64 %", band: "55–70 %", low: 0.55, high: 0.7, unit: "share" },
  {
    id: "P3",
    pattern: "no age, gender or tech-experience effect (share of CIs covering 0)",
    study: "no effect",
    band: "≥ 90 %",
    low: 0.9,
    high: null,
    unit: "share"
  },
  { id: "P4", pattern: "use drives recommending (std. coefficient margin)", study: "strongest driver", band: "> 0", low: 0, high: null, unit: "number" },
  { id: "P5", pattern: "pickups among terminal uses", study: "by far most used", band: "> 80 %", low: 0.8, high: null, unit: "share" },
  { id: "P6", pattern: "pickups in the first months, best site", study: "> 100", band: "100–300", low: 100, high: 300, unit: "count" },
  { id: "P7", pattern: "users who come back", study: "usually again", band: "> 70 %", low: 0.7, high: null, unit: "share" },
  { id: "P8", pattern: "posters only vs staff recommending (share ratio)", study: "posters far below", band: "≤ 0.25", low: null, high: 0.25, unit: "number" }
]

export type Observation = Partial<Record<PatternId, number | null>>

const best = (summary: LogSummary) => {
  const ranked = summary.siteTotals.filter((s) => s.terminalShare !== null).sort((a, b) => b.terminalShare! - a.terminalShare!)
  return { best: ranked[0] ?? null, worst: ranked[ranked.length - 1] ?? null }
}

const addMonths = (month: string, n: number): string => {
  const [y, m] = month.split("-").map(Number) as [number, number]
  const total = y * 12 + (m - 1) + n
  return `${String(Math.floor(total / 12)).padStart(4, "0")}-${String((total % 12) + 1).padStart(2, "0")}`
}

/** Cumulative terminal pickups at a site in its first `months` months; null when the log ends earlier. */
export const pickupsInFirstMonths = (summary: LogSummary, site: string, months: number): number | null => {
  const first = summary.siteTotals.find((s) => s.site === site)?.firstMonth ?? null
  if (first === null || summary.months.length === 0) return null
  const window = monthRange(first, addMonths(first, months - 1))
  if (!summary.months.includes(window[window.length - 1]!)) return null
  return summary.siteMonths.filter((r) => r.site === site && window.includes(r.month)).reduce((a, r) => a + r.pickupsTerminal, 0)
}

/** What one replicate (or one terminal's log) shows for each pattern. */
export const observe = (summary: LogSummary, survey: ReadonlyArray<Respondent> | null, config: AnalyticsConfig): Observation => {
  const { best: top, worst } = best(summary)
  const uses = summary.siteTotals.reduce((a, s) => a + s.uses, 0)
  const pickups = summary.siteTotals.reduce((a, s) => a + s.uses * (s.pickupShareOfUses ?? 0), 0)
  const users = summary.siteTotals.reduce((a, s) => a + s.users, 0)
  const repeat = summary.siteTotals.reduce((a, s) => a + s.repeatUsers, 0)
  const obs: Record<string, number | null> = {
    "P1-best": top?.terminalShare ?? null,
    "P1-worst": worst?.terminalShare ?? null,
    P5: uses > 0 ? pickups / uses : null,
    P6: top === null ? null : pickupsInFirstMonths(summary, top.site, config.p6Months),
    P7: users > 0 ? repeat / users : null
  }
  if (survey !== null && survey.length > 0) {
    obs["P2"] = survey.filter((r) => r.intention > 0.5).length / survey.length
    const demo = demographicFit(survey)
    obs["P3"] = demo === null || demo.coefficients.length === 0
      ? null
      : demo.coefficients.filter((c) => c.low <= 0 && c.high >= 0).length / demo.coefficients.length
    const rec = recommendationFit(survey)
    const std = (name: string) => rec?.coefficients.find((c) => c.name === name)?.standardized ?? 0
    obs["P4"] = rec === null ? null : std("use") - Math.max(std("trust"), std("ease"))
  }
  return obs
}

/** A pattern as the run's own summary.json reports it. */
export interface ReportedPattern extends Interval {
  readonly pass: boolean | null
}

export interface PatternRow extends PatternSpec {
  readonly observed: Interval
  readonly pass: boolean | null
  readonly source: Source
  readonly reported: ReportedPattern | null
}

const within = (spec: PatternSpec, value: number | null): boolean | null =>
  value === null ? null : (spec.low === null || value >= spec.low) && (spec.high === null || value <= spec.high)

const empty = interval95([])

/**
 * The comparison table. `fromSummary` holds patterns the run's summary.json
 * reports (used for P7 and P8, and for any pattern the logs cannot show);
 * `compare` holds P8 from two runs.
 */
export const comparisonTable = (
  observations: ReadonlyArray<Observation>,
  fromSummary: Partial<Record<PatternId, ReportedPattern>> = {},
  compare: Partial<Record<PatternId, Interval>> = {}
): ReadonlyArray<PatternRow> =>
  patterns.map((spec) => {
    const values = observations.map((o) => o[spec.id] ?? null)
    const computed = interval95(values)
    const source: Source = spec.id === "P2" || spec.id === "P3" || spec.id === "P4" ? "survey" : "events"
    const reported = fromSummary[spec.id] ?? null
    const pick = (observed: Interval, src: Source): PatternRow => ({ ...spec, observed, pass: within(spec, observed.mean), source: src, reported })
    if (compare[spec.id] !== undefined) return pick(compare[spec.id]!, "compare")
    if (spec.id === "P7" && fromSummary.P7 !== undefined) return pick(fromSummary.P7, "summary.json")
    if (computed.n > 0) return pick(computed, spec.id === "P7" ? "proxy" : source)
    if (fromSummary[spec.id] !== undefined) return pick(fromSummary[spec.id]!, "summary.json")
    return { ...spec, observed: empty, pass: null, source: "none", reported }
  })
