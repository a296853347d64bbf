/**
 * The live dashboard: `/dashboard` renders the report page (the same charts
 * and tables as `amtomat report --db`) from the terminal's own event log, with
 * chart.js inlined so it works without any network; `/dashboard/data.json`
 * answers the same figures as JSON. The page reloads itself every minute.
 *
 * The log is append-only, so each request reads only the rows after the last
 * one seen, and the report is recomputed only when there are new ones.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { DateTime, Effect } from "effect"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { renderReport } from "../../analytics/html/page.ts"
import type { EventRecord } from "../../analytics/records.ts"
import { analyseReplicate, buildReport, type Report } from "../../analytics/run.ts"
import { TerminalConfig } from "../../core/domain/config.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { loadChartJs } from "../cli/report/chartjs.ts"

const REFRESH_SECONDS = 60

export const dashboardRoutes = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const log = yield* EventLog
    const terminal = yield* TerminalConfig
    const chartJs = yield* loadChartJs.pipe(
      Effect.tapError((e) => Effect.logWarning(`dashboard without charts: ${e.message}`)),
      Effect.orElseSucceed(() => "")
    )
    const records: Array<EventRecord> = []
    let lastSeq = 0
    let cached: { readonly seq: number; readonly report: Report } | undefined
    const lock = yield* Effect.makeSemaphore(1)

    const report = lock.withPermits(1)(Effect.gen(function*() {
      const fresh = yield* log.read({ afterSeq: lastSeq })
      for (const e of fresh) records.push({ seq: e.seq, at: e.at, site: e.site, terminal: e.terminal, event: e.event })
      lastSeq = fresh.length > 0 ? fresh[fresh.length - 1]!.seq : lastSeq
      if (cached !== undefined && cached.seq === lastSeq) return cached.report
      const config = defaultAnalyticsConfig
      const built = buildReport({
        generatedAt: DateTime.formatIso(yield* DateTime.now),
        source: { kind: "db", path: `${terminal.site} / ${terminal.terminalId}`, scenario: null },
        config,
        replicates: [analyseReplicate(1, records, null, config)]
      })
      cached = { seq: lastSeq, report: built }
      return built
    }))

    const failed = (e: { readonly message: string }) =>
      Effect.succeed(HttpServerResponse.unsafeJson({ _tag: "DashboardUnavailable", message: `the event log could not be read: ${e.message}` }, { status: 500 }))
    yield* router.get(
      "/dashboard",
      report.pipe(
        Effect.map((r) =>
          HttpServerResponse.html(renderReport(r, {
            chartJs,
            title: `Amt-O-Mat dashboard: ${terminal.site}`,
            refreshSeconds: REFRESH_SECONDS,
            links: [{ href: "/dashboard/data.json", label: "data (JSON)" }, { href: "/", label: "terminal" }]
          }))),
        Effect.catchAll(failed)
      )
    )
    yield* router.get("/dashboard/data.json", report.pipe(Effect.map((r) => HttpServerResponse.unsafeJson(r)), Effect.catchAll(failed)))
  }))
