/**
 * Two runs side by side (e.g. status quo vs. staff recommending everywhere):
 * each run's report, the terminal share per site in both, and P8 — the ratio
 * of run A's overall terminal share to run B's, per replicate pair (k with
 * k), with A read as the "posters only" and B as the "staff recommend" run.
 */
import type { ReplicateResult, Report } from "./run.ts"
import { type Interval, interval95 } from "./stats.ts"
import type { PatternRow } from "./studyPatterns.ts"
import { patterns } from "./studyPatterns.ts"

export interface SiteDelta {
  readonly site: string
  readonly shareA: number | null
  readonly shareB: number | null
  /** shareB − shareA */
  readonly delta: number | null
  readonly pickupsA: number
  readonly pickupsB: number
}

export interface Comparison {
  readonly format: "amtomat-compare/1"
  readonly generatedAt: string
  readonly labels: { readonly a: string; readonly b: string }
  readonly a: Report
  readonly b: Report
  readonly sites: ReadonlyArray<string>
  readonly siteDelta: ReadonlyArray<SiteDelta>
  /** The comparison table of both runs, row by row. */
  readonly rows: ReadonlyArray<{ readonly a: PatternRow; readonly b: PatternRow }>
  readonly p8: PatternRow
}

/** Terminal share of all handovers of a replicate, all sites together. */
export const overallShare = (r: ReplicateResult): number | null => {
  const t = r.summary.siteTotals.reduce((a, s) => a + s.pickupsTerminal, 0)
  const c = r.summary.siteTotals.reduce((a, s) => a + s.pickupsCounter, 0)
  return t + c > 0 ? t / (t + c) : null
}

/** P8 per replicate pair: share(A) / share(B). */
export const shareRatio = (a: ReadonlyArray<ReplicateResult>, b: ReadonlyArray<ReplicateResult>): Interval => {
  const n = Math.min(a.length, b.length)
  const ratios = Array.from({ length: n }, (_, k) => {
    const sa = overallShare(a[k]!)
    const sb = overallShare(b[k]!)
    return sa === null || sb === null || sb === 0 ? null : sa / sb
  })
  return interval95(ratios)
}

export const compareReports = (a: Report, b: Report, labels: { readonly a: string; readonly b: string }, generatedAt: string): Comparison => {
  const sites = [...new Set([...a.sites, ...b.sites])].sort()
  const share = (r: Report, site: string) => r.mean.siteShares.find((s) => s.site === site)
  const spec = patterns.find((p) => p.id === "P8")!
  const observed = shareRatio(a.replicates, b.replicates)
  const p8: PatternRow = {
    ...spec,
    observed,
    pass: observed.mean === null ? null : observed.mean <= spec.high!,
    source: observed.n > 0 ? "compare" : "none",
    reported: null
  }
  return {
    format: "amtomat-compare/1",
    generatedAt,
    labels,
    a,
    b,
    sites,
    siteDelta: sites.map((site) => {
      const sa = share(a, site)?.terminalShare ?? null
      const sb = share(b, site)?.terminalShare ?? null
      return {
        site,
        shareA: sa,
        shareB: sb,
        delta: sa === null || sb === null ? null : sb - sa,
        pickupsA: share(a, site)?.pickupsTerminal ?? 0,
        pickupsB: share(b, site)?.pickupsTerminal ?? 0
      }
    }),
    rows: a.comparison.map((row, i) => ({ a: row, b: b.comparison[i]! })),
    p8
  }
}
