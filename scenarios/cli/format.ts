/**
 * Text output of `amtomat scenario`: the pattern table, the site table, and
 * a progress bar on a terminal.
 */
import { Effect } from "effect"
import type { RunSummary } from "../run.ts"

const pct = (x: number) => (isNaN(x) ? "–" : `${(x * 100).toFixed(1)} %`)
const num = (x: number) => (isNaN(x) ? "–" : Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(3))

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n")
}

const shareLike = new Set(["P1", "P2", "P3", "P4", "P5", "P7", "P8"])

/** The pattern table as Markdown (the README shows it). */
export const patternTable = (s: RunSummary) =>
  table(
    ["pattern", "what", "observed", "95% interval", "band", "pass"],
    s.patterns.map((p) => {
      const f = shareLike.has(p.id) && p.id !== "P3" && p.id !== "P4" ? pct : num
      const worst = p.detail?.["worst"]
      const observed = typeof worst === "number" ? `${f(p.observed)} (worst ${f(worst)})` : f(p.observed)
      return [p.id, p.name, observed, `${f(p.interval[0])} – ${f(p.interval[1])}`, `${f(p.band[0])} – ${f(p.band[1])}`, p.pass ? "yes" : "NO"]
    })
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

export const report = (s: RunSummary) =>
  [
    `scenario ${s.scenario}: ${s.replicates} replicate(s), seed ${s.seed}, ${s.fidelity} fidelity, ${s.wallSeconds} s`,
    "",
    patternTable(s),
    "",
    siteTable(s)
  ].join("\n")

/** The JSON object `scenario run --json` prints. */
export const runJson = (s: RunSummary) => ({
  scenario: s.scenario,
  seed: s.seed,
  replicates: s.replicates,
  fidelity: s.fidelity,
  wallSeconds: s.wallSeconds,
  patterns: s.patterns.map((p) => ({ id: p.id, observed: p.observed, band: p.band, pass: p.pass })),
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
