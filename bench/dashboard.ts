/**
 * What one dashboard request costs at a terminal's size (23,500 events) after
 * one new event: the running summary (fold the event in, read the report from
 * the aggregates, serialise it) against the full recomputation the dashboard
 * used to do (summarise every record, build the report, serialise it),
 * measured in the same run on the same log.
 */
import { Effect } from "effect"
import { defaultAnalyticsConfig } from "../analytics/config.ts"
import { reportOf, SummaryAccumulator } from "../analytics/incremental.ts"
import { type EventRecord, inTimeOrder } from "../analytics/records.ts"
import { analyseReplicate, buildReport } from "../analytics/run.ts"
import { fixtureEvents, statusQuo } from "../analytics/synthetic/fixture.ts"

const source = { kind: "db" as const, path: "bench / T1", scenario: null }

/** A log of at least `n` events in time order, numbered like a terminal's. */
const logOf = (n: number): ReadonlyArray<EventRecord> => {
  const out: Array<EventRecord> = []
  for (let replicate = 1; out.length < n; replicate++) {
    const shift = (replicate - 1) * 365 * 86_400_000
    for (const r of fixtureEvents({ ...statusQuo, months: 12 }, replicate)) out.push({ ...r, at: new Date(Date.parse(r.at) + shift).toISOString() })
  }
  return inTimeOrder(out).map((r, i) => ({ ...r, seq: i + 1 }))
}

const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

export const dashboardBench = (events = 23_500, requests = 200, fullRuns = 15) =>
  Effect.sync(() => {
    const config = defaultAnalyticsConfig
    const log = logOf(events + requests)
    const generatedAt = "2024-06-01T00:00:00.000Z"

    let t0 = performance.now()
    const acc = SummaryAccumulator.fromRecords(log.slice(0, events - 1), config)
    const catchUpMs = performance.now() - t0

    // Incremental: each request after one new event, at 23,499 … 23,499 + requests events.
    const incremental: Array<number> = []
    let bytes = 0
    for (let i = events - 1; i < events - 1 + requests; i++) {
      t0 = performance.now()
      acc.add(log[i]!)
      bytes = JSON.stringify(reportOf(acc, generatedAt, source)).length
      incremental.push(performance.now() - t0)
    }

    // Full: what the old route did after one new event, over all records kept in memory.
    const records = log.slice(0, events)
    const full: Array<number> = []
    for (let i = 0; i < fullRuns; i++) {
      t0 = performance.now()
      JSON.stringify(buildReport({ generatedAt, source, config, replicates: [analyseReplicate(1, records, null, config)] }))
      full.push(performance.now() - t0)
    }

    const inc = median(incremental)
    const fullMs = median(full)
    return {
      bench: "dashboard.report-after-one-event",
      events,
      sites: acc.summary().sites.length,
      reportBytes: bytes,
      msPerRequestIncremental: Number(inc.toFixed(3)),
      msPerRequestFull: Number(fullMs.toFixed(2)),
      speedup: Number((fullMs / inc).toFixed(1)),
      msCatchUpFold: Number(catchUpMs.toFixed(1))
    }
  })
