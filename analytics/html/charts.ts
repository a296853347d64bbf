/**
 * The charts, as chart.js configurations in plain JSON: adoption per site,
 * cumulative pickups, terminal share against the study's 28 % / under 1 %,
 * the hour-of-week heatmap, intention against use and the sensitivity
 * tornado. The page's script (browser.ts) only instantiates them.
 */
import type { MeanSiteMonth } from "../run.ts"
import type { Sensitivity } from "../sensitivity.ts"
import type { SurveySite } from "../survey.ts"
import { weekdayNames } from "../time.ts"

export interface ChartSpec {
  readonly id: string
  readonly title: string
  readonly note?: string
  /** "heatmap": square points sized to the chart area by the page script. */
  readonly kind: "chart" | "heatmap"
  readonly config: Readonly<Record<string, unknown>>
}

export const palette: ReadonlyArray<string> = ["#1f5f99", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#e377c2"]
const colour = (i: number) => palette[i % palette.length]!

const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10)

const axes = (y: string, x?: string, extra: Record<string, unknown> = {}) => ({
  x: { title: { display: x !== undefined, text: x ?? "" } },
  y: { beginAtZero: true, title: { display: true, text: y }, ...extra }
})

const base = (scales: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { position: "bottom" } },
  scales,
  ...extra
})

/** Monthly terminal share per site (mean across replicates); dashed for a second run. */
export const adoptionChart = (
  id: string,
  months: ReadonlyArray<string>,
  runs: ReadonlyArray<{ readonly label: string; readonly rows: ReadonlyArray<MeanSiteMonth> }>
): ChartSpec => {
  const sites = [...new Set(runs.flatMap((r) => r.rows.map((x) => x.site)))].sort()
  return {
    id,
    title: "Adoption: terminal share of handovers per month",
    kind: "chart",
    config: {
      type: "line",
      data: {
        labels: months,
        datasets: runs.flatMap((run, k) =>
          sites.map((site, i) => ({
            label: runs.length > 1 ? `${site} (${run.label})` : site,
            data: months.map((m) => percent(run.rows.find((r) => r.site === site && r.month === m)?.terminalShare ?? null)),
            borderColor: colour(i),
            backgroundColor: colour(i),
            borderDash: k === 0 ? [] : [6, 4],
            tension: 0.2,
            spanGaps: true
          }))
        )
      },
      options: base(axes("terminal share (%)", "month"))
    }
  }
}

/** Cumulative terminal pickups per site. */
export const cumulativeChart = (id: string, months: ReadonlyArray<string>, rows: ReadonlyArray<MeanSiteMonth>): ChartSpec => {
  const sites = [...new Set(rows.map((r) => r.site))].sort()
  return {
    id,
    title: "Cumulative terminal pickups per site",
    kind: "chart",
    config: {
      type: "line",
      data: {
        labels: months,
        datasets: sites.map((site, i) => ({
          label: site,
          data: months.map((m) => rows.find((r) => r.site === site && r.month === m)?.cumulativePickups ?? 0),
          borderColor: colour(i),
          backgroundColor: colour(i),
          tension: 0.2
        }))
      },
      options: base(axes("pickups", "month"))
    }
  }
}

/** Terminal share per site, one bar series per run, against the study's best (28 %) and worst (< 1 %) sites. */
export const shareChart = (
  id: string,
  sites: ReadonlyArray<string>,
  runs: ReadonlyArray<{ readonly label: string; readonly shares: ReadonlyArray<{ readonly site: string; readonly terminalShare: number | null }> }>
): ChartSpec => ({
  id,
  title: "Terminal share per site against the study (28 % best, under 1 % worst)",
  kind: "chart",
  config: {
    type: "bar",
    data: {
      labels: sites,
      datasets: [
        ...runs.map((run, k) => ({
          label: runs.length > 1 ? `terminal share (${run.label})` : "terminal share",
          data: sites.map((s) => percent(run.shares.find((x) => x.site === s)?.terminalShare ?? null)),
          backgroundColor: colour(k),
          order: 2
        })),
        {
          type: "line",
          label: "study: best site 28 %",
          data: sites.map(() => 28),
          borderColor: "#2e933c",
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
          order: 1
        },
        {
          type: "line",
          label: "study: worst site < 1 %",
          data: sites.map(() => 1),
          borderColor: "#d1495b",
          borderDash: [2, 3],
          pointRadius: 0,
          fill: false,
          order: 1
        }
      ]
    },
    options: base(axes("share of handovers (%)", "site", { suggestedMax: 35 }))
  }
})

const heat = (v: number, max: number): string => {
  if (v <= 0 || max <= 0) return "#eef1f4"
  const t = Math.min(1, v / max)
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t)
  return `rgb(${mix(198, 8)},${mix(219, 48)},${mix(239, 107)})`
}

/** Uses per hour of the week (local time), Monday on top. */
export const heatmapChart = (id: string, counts: ReadonlyArray<number>, note: string): ChartSpec => {
  const max = Math.max(0, ...counts)
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"))
  const points = counts.map((v, slot) => ({ x: hours[slot % 24]!, y: weekdayNames[Math.floor(slot / 24)]!, v: Math.round(v * 100) / 100 }))
  return {
    id,
    title: "When the terminal is used: hour of the week (local time)",
    note,
    kind: "heatmap",
    config: {
      type: "scatter",
      data: { datasets: [{ label: "uses", data: points, backgroundColor: counts.map((v) => heat(v, max)), pointStyle: "rect" }] },
      options: base({
        x: { type: "category", labels: hours, offset: true, grid: { display: false }, title: { display: true, text: "hour" } },
        y: { type: "category", labels: [...weekdayNames], offset: true, grid: { display: false } }
      }, { plugins: { legend: { display: false } } })
    }
  }
}

/** Intention (share > 0.5) against actual use, per site, from the synthetic survey. */
export const intentionChart = (id: string, runs: ReadonlyArray<{ readonly label: string; readonly survey: ReadonlyArray<SurveySite> }>): ChartSpec => {
  const sites = [...new Set(runs.flatMap((r) => r.survey.map((s) => s.site)))]
  return {
    id,
    title: "Intention vs. use (synthetic survey; study: 64 % intend)",
    kind: "chart",
    config: {
      type: "bar",
      data: {
        labels: sites,
        datasets: runs.flatMap((run, k) => [
          {
            label: `intend to use${runs.length > 1 ? ` (${run.label})` : ""}`,
            data: sites.map((s) => percent(run.survey.find((x) => x.site === s)?.intentionShare ?? null)),
            backgroundColor: k === 0 ? "#9ecae1" : "#c6dbef"
          },
          {
            label: `used${runs.length > 1 ? ` (${run.label})` : ""}`,
            data: sites.map((s) => percent(run.survey.find((x) => x.site === s)?.useShare ?? null)),
            backgroundColor: k === 0 ? "#08519c" : "#3182bd"
          }
        ])
      },
      options: base(axes("share of respondents (%)", "site", { suggestedMax: 100 }))
    }
  }
}

/** Morris screening as a tornado: parameters by μ*, largest on top, σ beside it. */
export const tornadoChart = (id: string, s: Sensitivity): ChartSpec => ({
  id,
  title: `Parameter sensitivity (Morris) for ${s.pattern}`,
  kind: "chart",
  config: {
    type: "bar",
    data: {
      labels: s.parameters.map((p) => p.name),
      datasets: [
        { label: "μ* (mean |effect|)", data: s.parameters.map((p) => p.muStar), backgroundColor: "#1f5f99" },
        { label: "σ (interaction / non-linearity)", data: s.parameters.map((p) => p.sigma), backgroundColor: "#edae49" }
      ]
    },
    options: base({ x: { beginAtZero: true, title: { display: true, text: "effect on the pattern's observable" } }, y: {} }, { indexAxis: "y" })
  }
})
