/**
 * The standalone report page: one HTML file with chart.js inlined (the caller
 * passes the library's text; nothing is fetched, so it works offline), the
 * charts a researcher would put in a paper and the tables behind them. The
 * live dashboard renders the same page from a terminal's database.
 */
import type { Report } from "../run.ts"
import { chartScript } from "./browser.ts"
import { adoptionChart, type ChartSpec, cumulativeChart, heatmapChart, intentionChart, shareChart, tornadoChart } from "./charts.ts"
import { esc, type Html, scriptText, section, styles } from "./format.ts"
import {
  comparisonSection,
  discriminationSection,
  feedbackSection,
  flowSection,
  queueSection,
  referenceSection,
  reliabilitySection,
  sitesSection,
  spreadSection,
  surveySection
} from "./sections.ts"

export interface PageOptions {
  /** The text of chart.js's UMD bundle (chart.umd.min.js). */
  readonly chartJs: string
  readonly title?: string
  /** Reload the page every so many seconds (the live dashboard). */
  readonly refreshSeconds?: number
  readonly links?: ReadonlyArray<{ readonly href: string; readonly label: string }>
}

export const figure = (spec: ChartSpec): Html =>
  `<figure><figcaption>${esc(spec.title)}</figcaption><div class="chart"><canvas id="${esc(spec.id)}" role="img" aria-label="${
    esc(spec.title)
  }"></canvas></div>` +
  `${spec.note === undefined ? "" : `<p class="note">${esc(spec.note)}</p>`}</figure>`

/** A whole page: header, sections, charts, the inlined library and the chart script. */
export const layout = (title: string, subtitle: Html, body: Html, specs: ReadonlyArray<ChartSpec>, options: PageOptions): Html =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${options.refreshSeconds === undefined ? "" : `<meta http-equiv="refresh" content="${options.refreshSeconds}">`}
<style>${styles}</style></head>
<body><header><h1>${esc(title)}</h1><p>${subtitle}</p></header><main>
${options.links === undefined ? "" : `<nav>${options.links.map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join("")}</nav>`}
${body}
</main>
<script>${scriptText(options.chartJs)}</script>
<script>${scriptText(chartScript(specs))}</script>
</body></html>
`

/** The charts of one report, in reading order; survey and tornado charts only when there is data for them. */
export const reportCharts = (report: Report): ReadonlyArray<ChartSpec> => {
  const specs: Array<ChartSpec> = [
    adoptionChart("chart-adoption", report.months, [{ label: "run", rows: report.mean.siteMonths }]),
    shareChart("chart-share", report.sites, [{ label: "run", shares: report.mean.siteShares }]),
    cumulativeChart("chart-cumulative", report.months, report.mean.siteMonths),
    heatmapChart(
      "chart-heatmap",
      report.mean.hourOfWeek,
      `All sites, ${report.config.timeZone}; ${report.replicates.length > 1 ? "mean uses per replicate" : "uses"} per hour of the week.`
    )
  ]
  if (report.mean.survey !== null) specs.push(intentionChart("chart-intention", [{ label: "run", survey: report.mean.survey }]))
  report.sensitivity.forEach((s, i) => specs.push(tornadoChart(`chart-tornado-${i + 1}`, s)))
  return specs
}

/**
 * Who reads the report: a researcher (a scenario run or a log studied as data: the study's
 * patterns judged, replicates named) or a terminal's staff (its dashboard: the study for
 * reference only, no replicates, no verdicts).
 */
export type Audience = "research" | "terminal"

export const subtitleOf = (report: Report, audience: Audience = "research"): Html => {
  if (audience === "terminal") {
    const from = report.months[0]
    return esc(
      `${report.source.path} · ${from === undefined ? "no events yet" : `since ${from}`} · figures of ${report.generatedAt.slice(0, 16).replace("T", " ")} UTC`
    )
  }
  const period = report.months.length === 0 ? "no events" : `${report.months[0]} – ${report.months[report.months.length - 1]}`
  const source = report.source.kind === "db" ? `terminal database ${report.source.path}` : `scenario run ${report.source.scenario ?? report.source.path}`
  return esc(
    `${source} · ${report.sites.length} site${report.sites.length === 1 ? "" : "s"} · ${period} · ` +
      `${report.replicates.length} replicate${report.replicates.length === 1 ? "" : "s"} · generated ${report.generatedAt}`
  )
}

export const reportBody = (report: Report, specs: ReadonlyArray<ChartSpec>, audience: Audience = "research"): Html =>
  [
    report.warnings.length === 0 ? "" : section("warnings", "Warnings", `<ul>${report.warnings.map((w) => `<li class="warn">${esc(w)}</li>`).join("")}</ul>`),
    section("charts", "Charts", `<div class="charts">${specs.map(figure).join("")}</div>`),
    audience === "terminal" ? referenceSection(report) : comparisonSection(report),
    discriminationSection(report),
    sitesSection(report),
    flowSection(report),
    queueSection(report),
    reliabilitySection(report),
    feedbackSection(report),
    surveySection(report),
    audience === "terminal" ? "" : spreadSection(report)
  ].join("\n")

export const renderReport = (report: Report, options: PageOptions): Html => {
  const specs = reportCharts(report)
  return layout(options.title ?? "Amt-O-Mat usage report", subtitleOf(report), reportBody(report, specs), specs, options)
}
