/**
 * The live dashboard, for signed-in staff only (the same bearer token as the
 * staff API, kept in the back office tab's sessionStorage).
 *
 * `/dashboard` is a page without figures: chart.js and a small script, both
 * inline and allowed by hash (guards.ts). The script reads the staff token
 * from sessionStorage, fetches `/dashboard/view.json` with it and draws the
 * report (the charts and tables of `amtomat report --db`, in the terminal's
 * wording: the pilot study for reference, no replicates, no verdicts); every
 * ten seconds it asks again and draws only when the log has grown;
 * without a token, or when the server answers 401, it sends the browser to
 * /staff to sign in, and /staff sends it back. `/dashboard/view.json` (the
 * rendered sections and chart specs) and `/dashboard/data.json` (the report
 * as JSON) answer 401 without a valid bearer token.
 *
 * The report is kept up to date incrementally (analytics/incremental.ts): a
 * request reads only the log rows after the last one seen, folds them into the
 * running summary (`SummaryAccumulator`, the fold `summarise` runs too) and
 * rebuilds the report from the aggregates, never from all records. A long catch-up (the first request, or a rebuild when a row arrives
 * out of time order) reads in pages and yields between them.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { DateTime, Effect, Ref } from "effect"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { drawChartsFunction } from "../../analytics/html/browser.ts"
import { loadChartJs } from "../../analytics/html/chartjs.ts"
import { scriptText, styles } from "../../analytics/html/format.ts"
import { reportBody, reportCharts, subtitleOf } from "../../analytics/html/page.ts"
import { reportOf, SummaryAccumulator } from "../../analytics/incremental.ts"
import { type EventRecord, inTimeOrder } from "../../analytics/records.ts"
import type { Report, ReportSource } from "../../analytics/run.ts"
import { TerminalPolicy } from "../../core/domain/config.ts"
import type { LoggedEvent } from "../../core/domain/events.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"

/** How often the open page asks whether the log grew (an unchanged log is not drawn again). */
const POLL_SECONDS = 10
/** Rows read from the log at once. */
const PAGE = 2000
/** Rows folded between two yields to the event loop (a few milliseconds). */
const CHUNK = 250
const TOKEN_KEY = "amtomat.staff.token"

const toRecord = (e: LoggedEvent): EventRecord => ({ seq: e.seq, at: e.at, site: e.site, terminal: e.terminal, event: e.event })

/** What the live report holds between requests. */
interface LiveState {
  /** The running summary of every log row up to `seq`. */
  readonly acc: SummaryAccumulator
  /** The last log row folded in (rows are read after it). */
  readonly seq: number
  /** The report of `acc`, once built for this `seq`. */
  readonly report: Report | undefined
}

/**
 * The terminal's report, kept current from the event log by a running summary.
 *
 * The state is a `Ref`; one request at a time catches up (the semaphore), so
 * two requests never fold the same new rows. Every change to the state is one
 * atomic step: a chunk of rows folds into the summary together with moving
 * `seq` past them, and a rebuild swaps in a fresh summary with its `seq`; so a
 * request that fails or is interrupted half way leaves a state that still
 * says exactly which rows the summary holds.
 */
export const makeLiveReport = (source: ReportSource) =>
  Effect.gen(function*() {
    const log = yield* EventLog
    const config = defaultAnalyticsConfig
    const state = yield* Ref.make<LiveState>({ acc: new SummaryAccumulator(config), seq: 0, report: undefined })
    const lock = yield* Effect.makeSemaphore(1)

    /** Folds `rows` (the next after the state's `seq`) into the summary, up to the first refused as out of time order, which it answers. */
    const foldRows = (rows: ReadonlyArray<LoggedEvent>) =>
      Ref.modify(state, (s): readonly [LoggedEvent | undefined, LiveState] => {
        const past = (seq: number): LiveState => (seq === s.seq ? s : { acc: s.acc, seq, report: undefined })
        let seq = s.seq
        for (const e of rows) {
          if (!s.acc.add(toRecord(e))) return [e, past(seq)]
          seq = e.seq
        }
        return [undefined, past(seq)]
      })

    /** The whole log again, in time order: only when a row arrived out of order. */
    const rebuild = Effect.fn("Dashboard.rebuild")(function*() {
      const all: Array<EventRecord> = []
      let after = 0
      while (true) {
        const page = yield* log.read({ afterSeq: after, limit: PAGE })
        for (const e of page) all.push(toRecord(e))
        if (page.length > 0) after = page[page.length - 1]!.seq
        if (page.length < PAGE) break
        yield* Effect.yieldNow()
      }
      const sorted = inTimeOrder(all)
      const fresh = new SummaryAccumulator(config)
      for (let i = 0; i < sorted.length; i++) {
        fresh.add(sorted[i]!)
        if (i % CHUNK === CHUNK - 1) yield* Effect.yieldNow()
      }
      yield* Ref.set(state, { acc: fresh, seq: after, report: undefined })
    })

    const catchUp = Effect.fn("Dashboard.catchUp")(function*() {
      while (true) {
        const { seq } = yield* Ref.get(state)
        const page = yield* log.read({ afterSeq: seq, limit: PAGE })
        for (let i = 0; i < page.length; i += CHUNK) {
          const refused = yield* foldRows(page.slice(i, i + CHUNK))
          if (refused !== undefined) {
            yield* Effect.logWarning(`dashboard: event ${refused.seq} is older than the one before it; summing the whole log again`)
            return yield* rebuild()
          }
          yield* Effect.yieldNow()
        }
        if (page.length < PAGE) return
      }
    })

    /** The report and the last log row it holds, read together. */
    const current = lock.withPermits(1)(Effect.gen(function*() {
      yield* catchUp()
      const s = yield* Ref.get(state)
      if (s.report !== undefined) return { report: s.report, seq: s.seq }
      const built = reportOf(s.acc, DateTime.formatIso(yield* DateTime.now), source)
      yield* Ref.set(state, { ...s, report: built })
      return { report: built, seq: s.seq }
    }))
    const report = Effect.map(current, (c) => c.report)
    return { report, current } as const
  })

/** The loader: token from sessionStorage, the view with it, drawn; to /staff when there is none or it is refused. */
const loaderScript = `
(function () {
  "use strict";
  var draw = ${drawChartsFunction};
  var status = document.getElementById("status");
  var signIn = function () {
    try { sessionStorage.removeItem(${JSON.stringify(TOKEN_KEY)}); } catch (e) {}
    location.replace("/staff?next=%2Fdashboard");
  };
  var token = null;
  try { token = sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)}); } catch (e) {}
  if (!token) { status.textContent = "Please sign in to the back office."; return signIn(); }
  var charts = [];
  var shown = -1;
  var updated = document.getElementById("updated");
  var load = function () {
    fetch("/dashboard/view.json" + (shown < 0 ? "" : "?seq=" + shown), { headers: { authorization: "Bearer " + token }, cache: "no-store" }).then(function (r) {
      if (r.status === 401) return signIn();
      if (!r.ok) throw new Error("the server answered " + r.status);
      return r.json().then(function (view) {
        updated.textContent = "Checked " + new Date().toLocaleTimeString("en-GB") + "; the figures follow the event log as it grows.";
        status.textContent = "";
        status.hidden = true;
        // nothing new in the log: keep the charts as they are (no flicker, no lost scroll position)
        if (view.unchanged === true || view.seq === shown) return;
        shown = view.seq;
        charts.forEach(function (c) { c.destroy(); });
        document.title = view.title;
        document.getElementById("title").textContent = view.title;
        document.getElementById("subtitle").innerHTML = view.subtitle;
        document.getElementById("report").innerHTML = view.body;
        status.textContent = "";
        status.hidden = true;
        charts = draw(view.specs);
      });
    }).catch(function (e) {
      status.hidden = false;
      status.textContent = "The dashboard could not be loaded: " + e.message;
    });
  };
  load();
  setInterval(function () { if (document.visibilityState !== "hidden") load(); }, ${POLL_SECONDS * 1000});
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") load(); });
})();
`

/** The page: no figures, no site, nothing from the log. */
export const dashboardShell = (chartJs: string): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Amt-O-Mat dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${styles}</style></head>
<body><header><h1 id="title">Amt-O-Mat dashboard</h1><p id="subtitle">for signed-in staff</p></header><main>
<nav><a href="/staff">back office</a><a href="/">terminal</a></nav>
<p id="status" role="status">Loading …</p>
<p id="updated" class="note" aria-live="off"></p>
<div id="report"></div>
</main>
<script>${scriptText(chartJs)}</script>
<script>${scriptText(loaderScript)}</script>
</body></html>
`

const noStore = { "cache-control": "no-store" }

const unauthorized = () =>
  HttpServerResponse.unsafeJson({ _tag: "Unauthorized", message: "not signed in or the session has expired" }, { status: 401, headers: noStore })

const failed = (e: { readonly message: string }) =>
  Effect.succeed(
    HttpServerResponse.unsafeJson({ _tag: "DashboardUnavailable", message: `the event log could not be read: ${e.message}` }, { status: 500, headers: noStore })
  )

export const dashboardRoutes = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const terminal = yield* TerminalPolicy
    const auth = yield* StaffAuth
    const chartJs = yield* loadChartJs.pipe(
      Effect.tapError((e) => Effect.logWarning(`dashboard without charts: ${e.message}`)),
      Effect.orElseSucceed(() => "")
    )
    const live = yield* makeLiveReport({ kind: "db", path: `${terminal.site} / ${terminal.terminalId}`, scenario: null })
    const title = `Amt-O-Mat dashboard: ${terminal.site}`
    // One body for every response, so guards.ts hashes its scripts once.
    const shell = new TextEncoder().encode(dashboardShell(chartJs))

    const signedIn = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers["authorization"] ?? "")
      if (bearer === null) return false
      return yield* auth.authenticate(bearer[1]!).pipe(Effect.as(true), Effect.orElseSucceed(() => false))
    })
    const staffOnly = <E extends { readonly message: string }, R>(answer: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      Effect.flatMap(signedIn, (ok) => (ok ? answer.pipe(Effect.catchAll(failed)) : Effect.succeed(unauthorized())))

    yield* router.get(
      "/dashboard",
      Effect.sync(() => HttpServerResponse.uint8Array(shell, { contentType: "text/html; charset=utf-8", headers: { "cache-control": "no-cache" } }))
    )
    yield* router.get("/dashboard/data.json", staffOnly(live.report.pipe(Effect.map((r) => HttpServerResponse.unsafeJson(r, { headers: noStore })))))
    yield* router.get(
      "/dashboard/view.json",
      staffOnly(
        Effect.zip(live.current, HttpServerRequest.HttpServerRequest).pipe(Effect.map(([{ report: r, seq }, request]) => {
          // the page says which row it shows (?seq=N): the same log is answered without rendering it again
          const shown = new URL(request.url, "http://dashboard").searchParams.get("seq")
          if (shown !== null && Number(shown) === seq) return HttpServerResponse.unsafeJson({ seq, unchanged: true }, { headers: noStore })
          const specs = reportCharts(r)
          return HttpServerResponse.unsafeJson({ title, subtitle: subtitleOf(r, "terminal"), body: reportBody(r, specs, "terminal"), specs, seq }, {
            headers: noStore
          })
        }))
      )
    )
  })
)
