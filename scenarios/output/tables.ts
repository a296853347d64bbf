/**
 * The per-replicate tables of the run directory (docs/run-format.md):
 * daily.csv (per site and day) and survey.csv (the synthetic survey).
 */
import type { SurveyRow } from "../engine/results.ts"
import { Metric, METRICS, type State } from "../engine/state.ts"

const csvCell = (v: string | number) => (typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, "\"\"")}"` : v)

export const dailyHeader = "date,site,documentsReady,pickupsTerminal,pickupsCounter,terminalUses,applications,failures"

export const dailyCsv = (st: State): string => {
  const lines = [dailyHeader]
  const sites = st.scenario.sites
  for (let day = 0; day < st.days; day++) {
    const date = st.calendar.dateOf(day)
    for (let s = 0; s < sites.length; s++) {
      const at = (day * sites.length + s) * METRICS
      const m = (k: number) => st.daily[at + k]!
      lines.push(
        [
          date,
          csvCell(sites[s]!.name),
          m(Metric.documentsReady),
          m(Metric.pickupsTerminal),
          m(Metric.pickupsCounter),
          m(Metric.terminalUses),
          m(Metric.applications),
          m(Metric.failures)
        ].join(",")
      )
    }
  }
  return lines.join("\n") + "\n"
}

export const surveyColumns = [
  "respondent",
  "site",
  "ageBand",
  "gender",
  "techExperience",
  "intention",
  "usedTerminal",
  "uses",
  "trust",
  "perceivedValue",
  "ease",
  "recommends",
  "staffRecommended",
  "peerExposure"
] as const satisfies ReadonlyArray<keyof SurveyRow>

export const surveyCsv = (rows: ReadonlyArray<SurveyRow>): string =>
  [surveyColumns.join(","), ...rows.map((r) => surveyColumns.map((c) => csvCell(r[c])).join(","))].join("\n") + "\n"
