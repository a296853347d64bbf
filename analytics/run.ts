/**
 * The report of a scenario run (K replicates) or of one terminal's log (one
 * "replicate"): every replicate summarised, their mean for the charts, the
 * spread across replicates and the study comparison table.
 *
 * The caller reads one replicate at a time and passes it to
 * `analyseReplicate`, so a large run never holds more than one event log.
 */
import type { AnalyticsConfig } from "./config.ts"
import type { Discrimination } from "./discrimination.ts"
import type { EventRecord } from "./records.ts"
import type { Sensitivity } from "./sensitivity.ts"
import { type Interval, interval95 } from "./stats.ts"
import { comparisonTable, inputsFromLog, type Observation, observe, type PatternId, type PatternRow, patterns, type ReportedPattern } from "./studyPatterns.ts"
import { type LogSummary, summarise } from "./summary.ts"
import { type Respondent, surveyBySite, type SurveySite } from "./survey.ts"

export interface ReplicateResult {
  readonly replicate: number
  readonly summary: LogSummary
  readonly survey: ReadonlyArray<SurveySite> | null
  readonly observation: Observation
  /** Lines of the log that were not events of this version. */
  readonly skipped: number
}

export const analyseReplicate = (
  replicate: number,
  records: ReadonlyArray<EventRecord>,
  survey: ReadonlyArray<Respondent> | null,
  config: AnalyticsConfig,
  skipped = 0,
  /** P3's larger survey (survey-equivalence.csv), when the run drew one. */
  equivalenceSurvey: ReadonlyArray<Respondent> | null = null
): ReplicateResult => {
  const summary = summarise(records, config)
  return {
    replicate,
    summary,
    survey: survey === null ? null : surveyBySite(survey),
    observation: observe(inputsFromLog(summary, survey, config, equivalenceSurvey)),
    skipped
  }
}

export interface ReportSource {
  readonly kind: "run" | "db"
  readonly path: string
  readonly scenario: string | null
}

export interface MeanSiteMonth {
  readonly site: string
  readonly month: string
  readonly documentsReady: number
  readonly pickupsTerminal: number
  readonly pickupsCounter: number
  readonly terminalShare: number | null
  readonly uses: number
  readonly firstTimeUsers: number
  readonly cumulativePickups: number
}

export interface SpreadRow {
  readonly site: string
  readonly metric: string
  readonly interval: Interval
}

export interface Report {
  readonly format: "amtomat-report/1"
  readonly generatedAt: string
  readonly source: ReportSource
  readonly config: AnalyticsConfig
  readonly sites: ReadonlyArray<string>
  readonly months: ReadonlyArray<string>
  /** Means across replicates, for the charts. */
  readonly mean: {
    readonly siteMonths: ReadonlyArray<MeanSiteMonth>
    readonly siteShares: ReadonlyArray<
      { readonly site: string; readonly terminalShare: number | null; readonly pickupsTerminal: number; readonly pickupsCounter: number }
    >
    /** Mean uses per hour of the week, all sites. */
    readonly hourOfWeek: ReadonlyArray<number>
    readonly survey: ReadonlyArray<SurveySite> | null
  }
  readonly spread: ReadonlyArray<SpreadRow>
  readonly comparison: ReadonlyArray<PatternRow>
  readonly sensitivity: ReadonlyArray<Sensitivity>
  /** Which pattern rejects which model variant (`scenario discriminate --out`), when the run directory has it. */
  readonly discrimination: Discrimination | null
  readonly replicates: ReadonlyArray<ReplicateResult>
  readonly warnings: ReadonlyArray<string>
}

const avg = (xs: ReadonlyArray<number>) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)

/** Averages the numeric leaves of objects of one shape (nulls left out); other leaves from the first. */
export const averageShape = <T>(items: ReadonlyArray<T>): T => {
  const first = items[0] as unknown
  if (typeof first === "number" || first === null) {
    const xs = (items as ReadonlyArray<unknown>).filter((x): x is number => typeof x === "number")
    return (xs.length === 0 ? null : avg(xs)) as T
  }
  if (Array.isArray(first)) return first.map((_, i) => averageShape(items.map((x) => (x as ReadonlyArray<unknown>)[i]))) as T
  if (typeof first === "object") {
    const keys = Object.keys(first as object)
    return Object.fromEntries(keys.map((k) => [k, averageShape(items.map((x) => (x as Record<string, unknown>)[k]))])) as T
  }
  return first as T
}

const spreadMetrics: ReadonlyArray<readonly [string, (s: LogSummary, site: string) => number | null]> = [
  ["terminalShare", (s, site) => s.siteTotals.find((t) => t.site === site)?.terminalShare ?? null],
  ["pickupsTerminal", (s, site) => s.siteTotals.find((t) => t.site === site)?.pickupsTerminal ?? 0],
  ["pickupsCounter", (s, site) => s.siteTotals.find((t) => t.site === site)?.pickupsCounter ?? 0],
  ["uses", (s, site) => s.siteTotals.find((t) => t.site === site)?.uses ?? 0],
  ["users", (s, site) => s.siteTotals.find((t) => t.site === site)?.users ?? 0],
  ["repeatRate", (s, site) => s.siteTotals.find((t) => t.site === site)?.repeatRate ?? null],
  ["shareOutsideOfficeHours", (s, site) => s.timing.find((t) => t.site === site)?.shareOutsideOfficeHours ?? null],
  ["counterMinutesSaved", (s, site) => s.siteTotals.find((t) => t.site === site)?.counterMinutesSaved ?? 0],
  ["reliefMinutesPerVisitor", (s, site) => s.queue.find((q) => q.site === site)?.reliefMinutesPerVisitor ?? null]
]

const meanSiteMonths = (summaries: ReadonlyArray<LogSummary>, sites: ReadonlyArray<string>, months: ReadonlyArray<string>) =>
  sites.flatMap((site) => {
    let cumulative = 0
    return months.map((month): MeanSiteMonth => {
      const rows = summaries.map((s) => s.siteMonths.find((r) => r.site === site && r.month === month))
      const field = (f: (r: NonNullable<(typeof rows)[number]>) => number) => avg(rows.map((r) => (r === undefined ? 0 : f(r))))
      const pickupsTerminal = field((r) => r.pickupsTerminal)
      const pickupsCounter = field((r) => r.pickupsCounter)
      cumulative += pickupsTerminal
      return {
        site,
        month,
        documentsReady: field((r) => r.documentsReady),
        pickupsTerminal,
        pickupsCounter,
        terminalShare: pickupsTerminal + pickupsCounter > 0 ? pickupsTerminal / (pickupsTerminal + pickupsCounter) : null,
        uses: field((r) => r.uses),
        firstTimeUsers: field((r) => r.firstTimeUsers),
        cumulativePickups: cumulative
      }
    })
  })

export interface ReportInput {
  readonly generatedAt: string
  readonly source: ReportSource
  readonly config: AnalyticsConfig
  readonly replicates: ReadonlyArray<ReplicateResult>
  readonly sensitivity?: ReadonlyArray<Sensitivity>
  readonly discrimination?: Discrimination | null
  /** Patterns reported by the run's summary.json (see `patternsFromSummary`). */
  readonly fromSummary?: Partial<Record<PatternId, ReportedPattern>>
  readonly compare?: Partial<Record<PatternId, Interval>>
  readonly warnings?: ReadonlyArray<string>
}

export const buildReport = (input: ReportInput): Report => {
  const summaries = input.replicates.map((r) => r.summary)
  const sites = [...new Set(summaries.flatMap((s) => s.sites))].sort()
  const months = [...new Set(summaries.flatMap((s) => s.months))].sort()
  const siteMonths = meanSiteMonths(summaries, sites, months)
  const surveys = input.replicates.flatMap((r) => (r.survey === null ? [] : [r.survey]))
  const surveySites = [...new Set(surveys.flatMap((s) => s.map((x) => x.site)))]
  return {
    format: "amtomat-report/1",
    generatedAt: input.generatedAt,
    source: input.source,
    config: input.config,
    sites,
    months,
    mean: {
      siteMonths,
      siteShares: sites.map((site) => {
        const rows = siteMonths.filter((r) => r.site === site)
        const t = rows.reduce((a, r) => a + r.pickupsTerminal, 0)
        const c = rows.reduce((a, r) => a + r.pickupsCounter, 0)
        return { site, terminalShare: t + c > 0 ? t / (t + c) : null, pickupsTerminal: t, pickupsCounter: c }
      }),
      hourOfWeek: summaries.length === 0 ? new Array<number>(168).fill(0) : averageShape(summaries.map((s) => s.timingOverall.hourOfWeek)),
      survey: surveys.length === 0
        ? null
        : surveySites.map((site) => averageShape(surveys.flatMap((s) => s.filter((x) => x.site === site))))
    },
    spread: sites.flatMap((site) => spreadMetrics.map(([metric, f]) => ({ site, metric, interval: interval95(summaries.map((s) => f(s, site))) }))),
    comparison: comparisonTable(input.replicates.map((r) => r.observation), input.fromSummary ?? {}, input.compare ?? {}),
    sensitivity: input.sensitivity ?? [],
    discrimination: input.discrimination ?? null,
    replicates: input.replicates,
    warnings: input.warnings ?? []
  }
}

const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null)

const ids: ReadonlyArray<string> = patterns.map((p) => p.id)

/**
 * Patterns from a run's summary.json, read leniently: `patterns` is an array
 * of { id, observed | mean, interval: [low, high] | low/high, pass, n }, or of
 * comparison rows ({ id, observed: { n, mean, low, high }, pass }, what this
 * version writes). Ids as in `patterns`; an earlier version's "P1" is the best
 * site, its `detail.worst` the worst.
 */
export const patternsFromSummary = (json: unknown): Partial<Record<PatternId, ReportedPattern>> => {
  const list = (json as { patterns?: unknown } | null)?.patterns
  if (!Array.isArray(list)) return {}
  const out: Partial<Record<PatternId, ReportedPattern>> = {}
  for (const entry of list as ReadonlyArray<Record<string, unknown>>) {
    // this version's summary.json holds the comparison rows themselves: { id, observed: { n, mean, low, high }, pass }
    const observed = entry["observed"]
    const p = typeof observed === "object" && observed !== null ? { ...entry, ...(observed as Record<string, unknown>), observed: undefined } : entry
    const raw = typeof p["id"] === "string" ? p["id"] : ""
    const id = raw === "P1" ? "P1-best" : raw
    const m = asNumber(p["observed"]) ?? asNumber(p["mean"]) ?? asNumber(p["observedMean"])
    if (m === null || !ids.includes(id)) continue
    const iv = Array.isArray(p["interval"]) ? p["interval"] : [p["low"], p["high"]]
    const n = asNumber(p["n"]) ?? asNumber(p["replicates"]) ?? 0
    const pass = typeof p["pass"] === "boolean" ? p["pass"] : null
    out[id as PatternId] = { n, mean: m, low: asNumber(iv[0]), high: asNumber(iv[1]), sd: null, min: null, max: null, pass }
    const worst = asNumber((p["detail"] as Record<string, unknown> | undefined)?.["worst"])
    if (raw === "P1" && worst !== null) {
      out["P1-worst"] = { n, mean: worst, low: null, high: null, sd: null, min: null, max: null, pass: worst < 0.02 }
    }
  }
  return out
}
