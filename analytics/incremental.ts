/**
 * The live report of one terminal's log, read from a running summary
 * (`SummaryAccumulator`, summary.ts: the one implementation of the summary,
 * which `summarise` also folds with) without going over the records again.
 */
import type { AnalyticsConfig } from "./config.ts"
import { buildReport, type ReplicateResult, type Report, type ReportSource } from "./run.ts"
import { inputsFromLog, observe } from "./studyPatterns.ts"
import type { LogSummary, SummaryAccumulator } from "./summary.ts"

export { SummaryAccumulator } from "./summary.ts"

/** What `analyseReplicate` answers for a log without a survey, from its summary. */
export const replicateOfSummary = (replicate: number, summary: LogSummary, config: AnalyticsConfig): ReplicateResult => ({
  replicate,
  summary,
  survey: null,
  observation: observe(inputsFromLog(summary, null, config)),
  skipped: 0
})

/** The report of one terminal's log from its running summary: `buildReport` of one replicate. */
export const reportOf = (acc: SummaryAccumulator, generatedAt: string, source: ReportSource): Report =>
  buildReport({ generatedAt, source, config: acc.config, replicates: [replicateOfSummary(1, acc.summary(), acc.config)] })
