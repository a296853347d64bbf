/**
 * The study patterns, one implementation for every source: a scenario
 * replicate (scenarios/patterns.ts turns the engine's results into
 * `PatternInputs`) and an event log with its survey (`inputsFromLog`). Each
 * pattern is observed per replicate (`observe`), then summarised across
 * replicates as the mean with a Student-t 95% interval and a verdict against
 * its band (`comparisonTable`): pass when the mean lies in the band, n/a
 * when no replicate could observe it (one site, no survey, a short run).
 *
 * P1–P8 are the calibration targets of shared/reference/pilot-study.md; P9–P11
 * carry the mechanism (a world without it fails them); docs/model-odd.md gives
 * each one's source and why its band is what it is.
 * - P1 best / worst: highest and lowest terminal share of handovers over the
 *   sites' months of service (n/a with one site).
 * - P2: survey share with intention > 0.5.
 * - P3: share of demographic terms (age band, gender, technology experience;
 *   use regressed on them) shown equivalent to no effect (TOST against ± 3
 *   points of use probability, analytics/power.ts), on the larger survey
 *   drawn for it when there is one; n/a on a survey too small to show it.
 * - P4: standardized coefficient of use minus the largest of trust and ease,
 *   regressing recommending on all three.
 * - P5: share of terminal uses that are pickups.
 * - P6: terminal pickups at the best site in its first 5 whole months.
 * - P7: uses at a second occasion (the engine); an event log's proxy is the
 *   share of users with two or more uses, and the run's summary.json is
 *   preferred when given.
 * - P8: posters-only district share over this world's (the engine's
 *   counterfactual, or two runs with `report --compare`).
 * - P9: best site's share in its last 6 whole months over its first 6.
 * - P10: surveyed users a clerk had recommended it to / a contact had told.
 * - P11: surveyed users' mean perceived value minus non-users'.
 *
 * Where the run's summary.json reports a pattern too, its value and verdict
 * are kept beside the recomputed one (`reported`), so a disagreement shows.
 */
import type { AnalyticsConfig } from "./config.ts"
import { equivalenceShare } from "./power.ts"
import { type Interval, interval95 } from "./stats.ts"
import type { LogSummary } from "./summary.ts"
import { recommendationFit, type Respondent } from "./survey.ts"

export type PatternId =
  | "P1-best"
  | "P1-worst"
  | "P2"
  | "P3"
  | "P4"
  | "P5"
  | "P6"
  | "P7"
  | "P8"
  | "P9"
  | "P10-staff"
  | "P10-peer"
  | "P11"
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
    pattern: "no age, gender or tech-experience effect (share of terms within ±3 points, TOST)",
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
  { id: "P8", pattern: "posters only vs staff recommending (share ratio)", study: "posters far below", band: "≤ 0.25", low: null, high: 0.25, unit: "number" },
  // Patterns that carry the mechanism (docs/model-odd.md, "Patterns"): a world without it fails them.
  {
    id: "P9",
    pattern: "the spiral accelerates: best site's share, last 6 months of service / first 6",
    study: "upward spiral",
    band: "≥ 1.3",
    low: 1.3,
    high: null,
    unit: "number"
  },
  {
    id: "P10-staff",
    pattern: "users a clerk had recommended it to (survey)",
    study: "staff first",
    band: "≥ 50 %",
    low: 0.5,
    high: null,
    unit: "share"
  },
  {
    id: "P10-peer",
    pattern: "users a contact had told about it (survey)",
    study: "citizens sharing experiences",
    band: "≥ 10 %",
    low: 0.1,
    high: null,
    unit: "share"
  },
  {
    id: "P11",
    pattern: "value drives use: users' perceived value minus non-users' (survey, 0–1)",
    study: "perceived value decisive",
    band: "≥ 0.04",
    low: 0.04,
    high: null,
    unit: "number"
  }
]

/** Months at the start and at the end of service that P9 compares. */
export const P9_MONTHS = 6

export type Observation = Partial<Record<PatternId, number | null>>

/** A site with a terminal, month by month from the month its terminal went into service. */
export interface SiteSeries {
  readonly site: string
  readonly months: ReadonlyArray<{ readonly month: string; readonly pickupsTerminal: number; readonly pickupsCounter: number }>
  /** Whether the run ends after the last month listed has ended (false: that month is partial). */
  readonly lastMonthComplete: boolean
}

/**
 * What the patterns are computed from, whatever the source: a replicate of
 * the scenario engine or an event log. One implementation of every pattern
 * (`observe`), so `scenario run` and `report` cannot disagree on the same run.
 */
export interface PatternInputs {
  readonly sites: ReadonlyArray<SiteSeries>
  /** Terminal uses: pickups and all (pickups and applications). */
  readonly uses: { readonly pickups: number; readonly all: number }
  /**
   * P7: uses at a second occasion among users who had one (the engine knows
   * occasions), or the share of users with two or more uses (an event log's
   * proxy); null when nobody qualifies.
   */
  readonly repeatRate: number | null
  readonly survey: ReadonlyArray<Respondent> | null
  /** P3's larger survey of the same population, when there is one (else P3 uses `survey`). */
  readonly equivalenceSurvey: ReadonlyArray<Respondent> | null
  /** P8: the posters-only world's district share over this one's; null without that counterfactual. */
  readonly postersRatio: number | null
  /** Months of service at the best site P6 counts. */
  readonly p6Months: number
}

/** The terminal's share of the handovers in these months; null when nothing was handed over. */
const shareIn = (months: SiteSeries["months"]): number | null => {
  const t = months.reduce((a, m) => a + m.pickupsTerminal, 0)
  const c = months.reduce((a, m) => a + m.pickupsCounter, 0)
  return t + c > 0 ? t / (t + c) : null
}
const shareOf = (site: SiteSeries): number | null => shareIn(site.months)

/** Terminal pickups in a site's first `months` months of service; null when the run ends before they are over. */
export const pickupsInFirstMonths = (site: SiteSeries, months: number): number | null => {
  const complete = site.lastMonthComplete ? site.months.length : site.months.length - 1
  if (complete < months) return null
  return site.months.slice(0, months).reduce((a, m) => a + m.pickupsTerminal, 0)
}

/**
 * P9: the best site's terminal share in its last `P9_MONTHS` whole months of
 * service over its first; null when the site has not been in service for
 * twice that long, or handed nothing over in its first months.
 */
export const acceleration = (site: SiteSeries): number | null => {
  const whole = site.lastMonthComplete ? site.months : site.months.slice(0, -1)
  if (whole.length < 2 * P9_MONTHS) return null
  const first = shareIn(whole.slice(0, P9_MONTHS))
  const last = shareIn(whole.slice(-P9_MONTHS))
  return first === null || last === null || first === 0 ? null : last / first
}

/** The best and worst site by terminal share (sites that handed nothing over at all are left out). */
export const bestAndWorst = (sites: ReadonlyArray<SiteSeries>) => {
  const ranked = sites.map((s) => ({ site: s, share: shareOf(s) })).filter((x) => x.share !== null).sort((a, b) => b.share! - a.share!)
  return { best: ranked[0] ?? null, worst: ranked.length < 2 ? null : ranked[ranked.length - 1]! }
}

/** What one replicate (or one terminal's log) shows for each pattern; a pattern that cannot apply is null. */
export const observe = (inputs: PatternInputs): Observation => {
  const { best, worst } = bestAndWorst(inputs.sites)
  const obs: Record<string, number | null> = {
    // the spread between sites: not a pattern of a one-site run
    "P1-best": worst === null ? null : best!.share,
    "P1-worst": worst?.share ?? null,
    P5: inputs.uses.all > 0 ? inputs.uses.pickups / inputs.uses.all : null,
    P6: best === null ? null : pickupsInFirstMonths(best.site, inputs.p6Months),
    P7: inputs.repeatRate,
    P8: inputs.postersRatio
  }
  obs["P9"] = best === null ? null : acceleration(best.site)
  const survey = inputs.survey
  if (survey !== null && survey.length > 0) {
    obs["P2"] = survey.filter((r) => r.intention > 0.5).length / survey.length
    obs["P3"] = equivalenceShare(inputs.equivalenceSurvey ?? survey)
    const users = survey.filter((r) => r.usedTerminal)
    const nonUsers = survey.filter((r) => !r.usedTerminal)
    obs["P10-staff"] = users.length === 0 ? null : users.filter((r) => r.staffRecommended).length / users.length
    obs["P10-peer"] = users.length === 0 ? null : users.filter((r) => r.peerExposure > 0).length / users.length
    const meanValue = (rows: ReadonlyArray<Respondent>) => rows.reduce((a, r) => a + r.perceivedValue, 0) / rows.length
    obs["P11"] = users.length === 0 || nonUsers.length === 0 ? null : meanValue(users) - meanValue(nonUsers)
    const rec = recommendationFit(survey)
    const std = (name: string) => rec?.coefficients.find((c) => c.name === name)?.standardized ?? 0
    obs["P4"] = rec === null ? null : std("use") - Math.max(std("trust"), std("ease"))
  }
  return obs
}

/** Whether an ISO time or date falls on the last day of its (UTC) month. */
export const lastDayOfMonth = (iso: string): boolean => {
  const d = new Date(Date.parse(iso))
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).getUTCDate() === 1
}

/**
 * An event log's inputs: each site's months from its first month with any
 * event (a terminal records nothing before it is in service); the last
 * month counts as complete when the log's last event falls on its last day;
 * P7 as the share of users with two or more uses; no P8.
 */
export const inputsFromLog = (
  summary: LogSummary,
  survey: ReadonlyArray<Respondent> | null,
  config: AnalyticsConfig,
  equivalenceSurvey: ReadonlyArray<Respondent> | null = null
): PatternInputs => {
  const complete = summary.last !== null && lastDayOfMonth(summary.last)
  const sites = summary.siteTotals.map((t): SiteSeries => ({
    site: t.site,
    months: summary.siteMonths
      .filter((r) => r.site === t.site && t.firstMonth !== null && r.month >= t.firstMonth)
      .map((r) => ({ month: r.month, pickupsTerminal: r.pickupsTerminal, pickupsCounter: r.pickupsCounter })),
    lastMonthComplete: complete
  }))
  const uses = summary.siteTotals.reduce((a, s) => a + s.uses, 0)
  const pickups = summary.siteTotals.reduce((a, s) => a + s.uses * (s.pickupShareOfUses ?? 0), 0)
  const users = summary.siteTotals.reduce((a, s) => a + s.users, 0)
  const repeat = summary.siteTotals.reduce((a, s) => a + s.repeatUsers, 0)
  return {
    sites,
    uses: { pickups: Math.round(pickups), all: uses },
    repeatRate: users > 0 ? repeat / users : null,
    survey,
    equivalenceSurvey,
    postersRatio: null,
    p6Months: config.p6Months
  }
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
const fromSurvey = new Set<PatternId>(["P2", "P3", "P4", "P10-staff", "P10-peer", "P11"])

/** A share's interval cannot leave [0, 1]. */
const clipped = (spec: PatternSpec, iv: Interval): Interval => {
  if (spec.unit !== "share") return iv
  const clip = (x: number | null) => (x === null ? null : Math.min(1, Math.max(0, x)))
  return { ...iv, low: clip(iv.low), high: clip(iv.high) }
}

/**
 * The comparison table: per pattern the mean across replicates with its
 * Student-t 95% interval (a share's clipped to [0, 1]) and the verdict —
 * pass when the mean lies in the band, null (n/a) when no replicate could
 * observe it. `fromSummary` holds patterns the run's summary.json reports
 * (P7 from occasions, and any pattern the logs cannot show); `compare` holds
 * P8 from two runs.
 */
export const comparisonTable = (
  observations: ReadonlyArray<Observation>,
  fromSummary: Partial<Record<PatternId, ReportedPattern>> = {},
  compare: Partial<Record<PatternId, Interval>> = {}
): ReadonlyArray<PatternRow> =>
  patterns.map((spec) => {
    const values = observations.map((o) => o[spec.id] ?? null)
    const computed = interval95(values)
    const source: Source = fromSurvey.has(spec.id) ? "survey" : "events"
    const reported = fromSummary[spec.id] ?? null
    const pick = (observed: Interval, src: Source): PatternRow => ({
      ...spec,
      observed: clipped(spec, observed),
      pass: within(spec, observed.mean),
      source: src,
      reported
    })
    if (compare[spec.id] !== undefined) return pick(compare[spec.id]!, "compare")
    if (spec.id === "P7" && fromSummary.P7 !== undefined) return pick(fromSummary.P7, "summary.json")
    if (computed.n > 0) return pick(computed, spec.id === "P7" ? "proxy" : source)
    if (fromSummary[spec.id] !== undefined) return pick(fromSummary[spec.id]!, "summary.json")
    return { ...spec, observed: empty, pass: null, source: "none", reported }
  })
