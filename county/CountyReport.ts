/**
 * The county-wide report: the study's analytics (analytics/run.ts, the code of the
 * terminal's report and of a scenario run's) over the events every terminal replicated,
 * of the sites the reader may see. A row whose event this version does not know (a newer
 * terminal) is counted and named in a warning, never fatal.
 */
import { defaultAnalyticsConfig } from "../analytics/config.ts"
import { recordsOfRows } from "../analytics/records.ts"
import { analyseReplicate, buildReport, type Report } from "../analytics/run.ts"
import type { EventRow } from "../core/persistence/EventLog.ts"

export const countyReport = (rows: ReadonlyArray<EventRow>, options: { readonly generatedAt: string; readonly label: string }): Report => {
  const { records, skipped } = recordsOfRows(rows)
  return buildReport({
    generatedAt: options.generatedAt,
    source: { kind: "db", path: options.label, scenario: null },
    config: defaultAnalyticsConfig,
    replicates: [analyseReplicate(1, records, null, defaultAnalyticsConfig, skipped)],
    warnings: skipped === 0
      ? []
      : [`${skipped} replicated events are of a kind this county server does not know (a newer terminal version?); the report leaves them out`]
  })
}
