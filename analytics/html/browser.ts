/**
 * The script a report page runs: it creates one chart.js chart per spec. The
 * only logic here is what JSON cannot carry — the heatmap's cell size and its
 * tooltip — and marking the page ready (data-charts-ready) once drawn.
 */
import type { ChartSpec } from "./charts.ts"
import { scriptJson } from "./format.ts"

/** What the drawing needs of chart.js: a constructor (the global `Chart` of the page). */
interface ChartGlobal {
  readonly defaults: { font: { family: string } }
  new(canvas: HTMLElement, config: unknown): { destroy(): void }
}

/**
 * The drawing as a function of the specs, without data: a page that fetches its
 * specs (the live dashboard, the county's fleet screens) runs the same code. It
 * uses the page's global `Chart`. Answers the charts drawn.
 */
export function drawCharts(specs: ReadonlyArray<ChartSpec>): Array<{ destroy(): void }> {
  "use strict"
  const Chart = (globalThis as { Chart?: ChartGlobal }).Chart
  if (Chart === undefined) {
    document.body.setAttribute("data-charts-error", "chart.js missing")
    return []
  }
  Chart.defaults.font.family = "system-ui, sans-serif"
  const cell = (ctx: { chart: { chartArea?: { width: number; height: number } } }) => {
    const area = ctx.chart.chartArea
    if (!area) return 6
    // a "rect" point of radius r is a square of side r·√2
    return Math.max(2, (Math.min(area.width / 24, area.height / 7) - 2) / Math.SQRT2)
  }
  const charts: Array<{ destroy(): void }> = []
  specs.forEach((spec) => {
    const canvas = document.getElementById(spec.id)
    if (!canvas) return
    const config = spec.config as {
      data: { datasets: Array<Record<string, unknown>> }
      options: { plugins: Record<string, unknown> }
    }
    if (spec.kind === "heatmap") {
      config.data.datasets.forEach((d) => {
        d["pointRadius"] = cell
        d["pointHoverRadius"] = cell
      })
      config.options.plugins["tooltip"] = {
        callbacks: {
          label: (item: { raw: { x: number; y: string; v: number } }) => item.raw.y + " " + item.raw.x + ":00  " + item.raw.v + " uses"
        }
      }
    }
    charts.push(new Chart(canvas, config))
  })
  document.body.setAttribute("data-charts-ready", String(specs.length))
  return charts
}

/**
 * The same function as text, for an inline script: constant, so a content policy can allow it
 * by hash (the text is what Node runs after stripping the types: plain JavaScript).
 */
export const drawChartsFunction = drawCharts.toString()

export const chartScript = (specs: ReadonlyArray<ChartSpec>): string => `
(${drawChartsFunction})(${scriptJson(specs)});
`
