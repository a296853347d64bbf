/**
 * Two runs side by side: their comparison tables row by row with P8 from the
 * pair, terminal share per site in both, adoption curves (B dashed) and
 * intention vs. use.
 */
import type { PatternRow } from "../studyPatterns.ts"
import type { Comparison } from "../twoRuns.ts"
import { adoptionChart, type ChartSpec, intentionChart, shareChart } from "./charts.ts"
import { esc, type Html, num, pct, section, table, verdict } from "./format.ts"
import { figure, layout, type PageOptions } from "./page.ts"
import { formatPattern } from "./sections.ts"

const value = (row: PatternRow): Html => {
  const f = (x: number | null) => formatPattern(row, x)
  const iv = row.observed
  return iv.mean === null ? "–" : iv.low === null ? f(iv.mean) : `${f(iv.mean)} <small>(${f(iv.low)} – ${f(iv.high)})</small>`
}

export const compareCharts = (c: Comparison): ReadonlyArray<ChartSpec> => {
  const months = [...new Set([...c.a.months, ...c.b.months])].sort()
  const specs: Array<ChartSpec> = [
    shareChart("chart-share", c.sites, [{ label: c.labels.a, shares: c.a.mean.siteShares }, { label: c.labels.b, shares: c.b.mean.siteShares }]),
    adoptionChart("chart-adoption", months, [{ label: c.labels.a, rows: c.a.mean.siteMonths }, { label: c.labels.b, rows: c.b.mean.siteMonths }])
  ]
  const surveys = [{ label: c.labels.a, survey: c.a.mean.survey }, { label: c.labels.b, survey: c.b.mean.survey }]
    .filter((s): s is { label: string; survey: NonNullable<typeof s.survey> } => s.survey !== null)
  if (surveys.length > 0) specs.push(intentionChart("chart-intention", surveys))
  return specs
}

export const renderCompare = (c: Comparison, options: PageOptions): Html => {
  const specs = compareCharts(c)
  const body = [
    section("charts", "Charts", `<div class="charts">${specs.map(figure).join("")}</div>`),
    section(
      "comparison",
      "Study comparison, side by side",
      table(
        ["pattern", "", "band", `A: ${esc(c.labels.a)}`, "A", `B: ${esc(c.labels.b)}`, "B"],
        [
          // a run's own P8 (its summary.json's counterfactual) only when it has one; the pair's P8 follows
          ...c.rows.filter(({ a, b }) => a.id !== "P8" || a.observed.n > 0 || b.observed.n > 0)
            .map(({ a, b }) => [esc(a.id), esc(a.pattern), esc(a.band), value(a), verdict(a.pass), value(b), verdict(b.pass)]),
          [esc(c.p8.id), esc(c.p8.pattern), esc(c.p8.band), value(c.p8), verdict(c.p8.pass), "(A / B)", ""]
        ]
      ),
      "P8 reads run A as the \"posters only\" scenario and run B as \"staff recommend\": A's overall terminal share divided by B's, per replicate pair."
    ),
    section(
      "sites",
      "Terminal share per site",
      table(
        ["site", `share A`, `share B`, "B − A", "pickups A", "pickups B"],
        c.siteDelta.map((
          d
        ) => [
          esc(d.site),
          pct(d.shareA),
          pct(d.shareB),
          d.delta === null ? "–" : `${d.delta >= 0 ? "+" : ""}${(d.delta * 100).toFixed(1)} pp`,
          num(d.pickupsA, 1),
          num(d.pickupsB, 1)
        ])
      )
    )
  ].join("\n")
  const subtitle = esc(
    `A: ${c.labels.a} (${c.a.replicates.length} replicates) · B: ${c.labels.b} (${c.b.replicates.length} replicates) · generated ${c.generatedAt}`
  )
  return layout(options.title ?? "Amt-O-Mat: two runs compared", subtitle, body, specs, options)
}
