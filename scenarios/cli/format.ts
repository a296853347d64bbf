/**
 * Text output of `amtomat scenario`: the pattern table, the site table, and
 * a progress bar on a terminal.
 */
import { Effect } from "effect"
import { markdownTable } from "../output/markdown.ts"
import type { PatternResult } from "../patterns.ts"
import type { RunSummary } from "../run.ts"

const pct = (x: number) => (isNaN(x) ? "–" : `${(x * 100).toFixed(1)} %`)
const num = (x: number) => (isNaN(x) ? "–" : Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(3))

const table = markdownTable

const cell = (p: PatternResult, x: number | null) => (x === null ? "–" : p.unit === "share" ? pct(x) : num(x))

/** The pattern table as Markdown (the README shows it); a pattern that cannot apply to the run is n/a. */
export const patternTable = (s: RunSummary) =>
  table(
    ["pattern", "what", "observed", "95% interval", "band", "pass"],
    s.patterns.map((p) => [
      p.id,
      p.pattern,
      cell(p, p.observed.mean),
      p.observed.low === null ? "–" : `${cell(p, p.observed.low)} – ${cell(p, p.observed.high)}`,
      p.band,
      p.pass === null ? "n/a" : p.pass ? "yes" : "NO"
    ])
  )

export const siteTable = (s: RunSummary) =>
  table(
    ["site", "terminal share", "terminal pickups", "counter pickups", "users", "staff", "counter wait (min) without / with", "Bass p / q"],
    s.sites.map((x) => [
      x.name,
      pct(x.terminalShare),
      num(x.pickupsTerminal),
      num(x.pickupsCounter),
      num(x.users),
      num(x.staffPropensity),
      `${x.counterWait.withoutTerminal.toFixed(1)} / ${x.counterWait.withTerminal.toFixed(1)}`,
      x.bass === null ? "–" : `${x.bass.p.toFixed(3)} / ${x.bass.q.toFixed(3)}`
    ])
  )

/** What P3 can see at this survey size (analytics/power.ts). */
export const powerLines = (s: RunSummary): ReadonlyArray<string> =>
  s.p3Power.length === 0 ? [] : [
    `P3 at n = ${s.p3Power[0]!.surveySize} (smallest effect of interest ${(s.p3Power[0]!.smallestEffect * 100).toFixed(0)} points of use per step):`,
    ...s.p3Power.map((t) =>
      `  ${t.name}: detected in ${pct(t.detected)}, shown equivalent (TOST) in ${pct(t.equivalent)} of replicates; ` +
      `80 % power from ${(t.mde80 * 100).toFixed(1)} points, or for the smallest effect from n = ${t.n80}`
    )
  ]

export const report = (s: RunSummary) =>
  [
    `scenario ${s.scenario}: ${s.replicates} replicate(s), seed ${s.seed}, ${s.fidelity} fidelity, ${s.wallSeconds} s`,
    "",
    patternTable(s),
    ...(s.p3Power.length === 0 ? [] : ["", ...powerLines(s)]),
    "",
    siteTable(s),
    ...(s.county === undefined ?
      [] :
      [
        "",
        ...s.county.map((c) =>
          `county, replicate ${c.replicate}: ${c.events} events from ${c.terminals} terminals replicated (the run's log: ${c.runEvents}); ` +
          (c.sameReport ? "the county's report is the run's" : "THE COUNTY'S REPORT DIFFERS FROM THE RUN'S")
        )
      ])
  ].join("\n")

/** The JSON object `scenario run --json` prints. */
export const runJson = (s: RunSummary) => ({
  scenario: s.scenario,
  seed: s.seed,
  replicates: s.replicates,
  fidelity: s.fidelity,
  wallSeconds: s.wallSeconds,
  ...(s.county === undefined ? {} : { county: s.county }),
  patterns: s.patterns.map((p) => ({
    id: p.id,
    mean: p.observed.mean,
    low: p.observed.low,
    high: p.observed.high,
    n: p.observed.n,
    band: p.band,
    pass: p.pass
  })),
  sites: s.sites.map((x) => ({ name: x.name, terminalShare: x.terminalShare, pickupsTerminal: x.pickupsTerminal, pickupsCounter: x.pickupsCounter }))
})

/** A progress bar on standard error when it is a terminal; nothing otherwise. */
export const progressBar = (label: string, enabled: boolean) => (done: number, total: number): void => {
  if (!enabled || !process.stderr.isTTY) return
  const width = 30
  const filled = Math.round((done / total) * width)
  process.stderr.write(`\r${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`)
}

export const progress = (label: string, enabled: boolean) => {
  const bar = progressBar(label, enabled)
  return (done: number, total: number) => Effect.sync(() => bar(done, total))
}
