/**
 * The report's tables, as HTML sections. Figures are means across replicates
 * (one replicate for a terminal's own database).
 */
import type { Report } from "../run.ts"
import type { Interval } from "../stats.ts"
import type { PatternRow } from "../studyPatterns.ts"
import type { LogSummary } from "../summary.ts"
import { esc, type Html, num, pct, section, table, verdict } from "./format.ts"

/** Mean across replicates of one figure of one site; null when no replicate has it. */
const siteMean = <T>(report: Report, get: (s: LogSummary) => T | undefined, f: (t: T) => number | null): number | null => {
  const xs = report.replicates.map((r) => get(r.summary)).filter((t): t is T => t !== undefined).map(f).filter((x): x is number => x !== null)
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
}

/** Shares are shown inside 0–100 %, even where a t interval across few replicates reaches past them. */
const fmt = (row: PatternRow, x: number | null) =>
  row.unit === "share" ? pct(x === null ? x : Math.min(1, Math.max(0, x))) : num(x, row.unit === "count" ? 0 : 3)

const withInterval = (row: PatternRow, iv: Interval): Html =>
  iv.mean === null ? "–" : iv.low === null ? fmt(row, iv.mean) : `${fmt(row, iv.mean)} <small>(${fmt(row, iv.low)} – ${fmt(row, iv.high)})</small>`

export const formatPattern = fmt

export const comparisonSection = (report: Report): Html => {
  const reported = report.comparison.some((p) => p.reported !== null)
  const extra = (p: PatternRow) => (reported ? [p.reported === null ? "–" : `${withInterval(p, p.reported)} ${verdict(p.reported.pass)}`] : [])
  return section(
    "comparison",
    "Study comparison",
    table(
      ["pattern", "", "study", "accepted band", "simulated mean (95 % interval)", "n", "result", "source", ...(reported ? ["run's summary.json"] : [])],
      report.comparison.map((
        p
      ) => [
        esc(p.id),
        esc(p.pattern),
        esc(p.study),
        esc(p.band),
        withInterval(p, p.observed),
        p.observed.n === 0 ? "–" : String(p.observed.n),
        verdict(p.pass),
        esc(p.source),
        ...extra(p)
      ])
    ),
    "Each pattern of the pilot study as observed in every replicate; the mean must lie inside the accepted band (n/a: the pattern cannot apply to this run). n is the number of replicates where the pattern could be observed." +
      (reported
        ? " The last column is what the scenario run reported itself (the same implementation, with what only the engine knows), for cross-checking."
        : "")
  )
}

/**
 * For a terminal's own dashboard: the pilot study's figures beside this terminal's, as
 * reference only. A terminal is not a model run, so nothing passes or fails here, and
 * there are no replicates to average.
 */
export const referenceSection = (report: Report): Html =>
  section(
    "comparison",
    "The pilot study, for reference",
    table(
      ["pattern", "", "in the pilot study", "the study's range", "this terminal"],
      report.comparison.map((p) => [esc(p.id), esc(p.pattern), esc(p.study), esc(p.band), p.observed.mean === null ? "–" : fmt(p, p.observed.mean)])
    ),
    "What Landkreis Mayen-Koblenz's pilot found, beside this terminal's own figures. They are reference lines, not targets: a terminal's use depends on its site, its opening hours and how it is announced. A dash: not enough data yet, or the pattern does not apply to one terminal."
  )

export const sitesSection = (report: Report): Html => {
  const rows = report.sites.map((site) => {
    const tot = (f: (t: LogSummary["siteTotals"][number]) => number | null) => siteMean(report, (s) => s.siteTotals.find((t) => t.site === site), f)
    const tim = (f: (t: LogSummary["timing"][number]) => number | null) => siteMean(report, (s) => s.timing.find((t) => t.site === site), f)
    const share = report.spread.find((s) => s.site === site && s.metric === "terminalShare")?.interval
    return [
      esc(site),
      num(tot((t) => t.documentsReady), 1),
      num(tot((t) => t.pickupsTerminal), 1),
      num(tot((t) => t.pickupsCounter), 1),
      share === undefined || share.mean === null
        ? "–"
        : share.low === null
        ? pct(share.mean)
        : `${pct(share.mean)} <small>(${pct(Math.max(0, share.low))} – ${pct(Math.min(1, share.high!))})</small>`,
      num(tot((t) => t.uses), 1),
      num(tot((t) => t.applications), 1),
      num(tot((t) => t.users), 1),
      pct(tot((t) => t.repeatRate)),
      pct(tim((t) => t.shareOutsideOfficeHours)),
      pct(tim((t) => t.shareWeekendOrHoliday)),
      num(tot((t) => t.counterMinutesSaved), 0)
    ]
  })
  return section(
    "sites",
    "Sites",
    table(
      [
        "site",
        "documents ready",
        "terminal pickups",
        "counter handovers",
        "terminal share (95 % interval)",
        "uses",
        "applications",
        "users",
        "repeat users",
        "outside office hours",
        "weekend or holiday",
        "counter minutes saved"
      ],
      rows
    ),
    "Uses are completed pickups and submitted applications; users are distinct bank cards (keyed hash). Counter minutes saved = terminal pickups × minutes per handover."
  )
}

export const flowSection = (report: Report): Html => {
  const rows = report.sites.map((site) => {
    const f = (g: (x: LogSummary["funnels"][number]) => number | null) => siteMean(report, (s) => s.funnels.find((x) => x.site === site), g)
    return [
      esc(site),
      num(f((x) => x.sessions), 1),
      num(f((x) => x.pickupsStarted), 1),
      num(f((x) => x.codesVerified), 1),
      num(f((x) => x.oldDocumentsReceived), 1),
      num(f((x) => x.pickupsCompleted), 1),
      num(f((x) => x.abandonedByStep.identify + x.abandonedByStep.code), 1),
      num(f((x) => x.abandonedByStep.intake), 1),
      num(f((x) => x.abandonedByStep.open + x.abandonedByStep.take + x.abandonedByStep.close), 1),
      num(f((x) => x.sessionsWithoutUse), 1),
      pct(f((x) => x.wrongCodeRate)),
      pct(f((x) => x.shareOfPickupsWithWrongCode)),
      num(f((x) => x.ordersLocked), 1)
    ]
  })
  return section(
    "flows",
    "Where people abandon, and wrong codes",
    table(
      [
        "site",
        "sessions",
        "pickups started",
        "code verified",
        "old document in",
        "completed",
        "abandoned: number/code",
        "abandoned: intake",
        "abandoned: door",
        "sessions without use",
        "wrong-code rate",
        "pickups with a wrong code",
        "orders locked"
      ],
      rows
    ),
    "Wrong-code rate = wrong codes / all code entries. The per-reason breakdown is in funnel.csv."
  )
}

export const reliabilitySection = (report: Report): Html => {
  const rows = report.sites.map((site) => {
    const f = (g: (x: LogSummary["reliability"][number]) => number | null) => siteMean(report, (s) => s.reliability.find((x) => x.site === site), g)
    return [
      esc(site),
      num(f((x) => x.offline.locker), 1),
      num(f((x) => x.offline.card), 1),
      num(f((x) => x.offline.sms), 1),
      num(f((x) => x.offlineHours.locker + x.offlineHours.card + x.offlineHours.sms + x.offlineHours.scanner + x.offlineHours.authority), 1),
      num(f((x) => x.doorOpenFailures), 1),
      num(f((x) => x.cardReadFailures), 1),
      num(f((x) => x.deviceFailures), 1),
      num(f((x) => x.alarmsTotal), 1),
      num(f((x) => x.alarms.jam), 1),
      num(f((x) => x.alarms.door_left_open), 1)
    ]
  })
  return section(
    "reliability",
    "Device failures and alarms",
    table(
      [
        "site",
        "locker offline",
        "card offline",
        "SMS offline",
        "offline hours",
        "door did not open",
        "card not read",
        "all failures",
        "alarms",
        "jam alarms",
        "door-left-open alarms"
      ],
      rows
    )
  )
}

export const feedbackSection = (report: Report): Html => {
  const rows = report.sites.map((site) => {
    const f = (g: (x: LogSummary["feedback"][number]) => number | null) => siteMean(report, (s) => s.feedback.find((x) => x.site === site), g)
    return [
      esc(site),
      num(f((x) => x.responses), 1),
      num(f((x) => x.meanRating), 2),
      ...[0, 1, 2, 3, 4].map((i) => num(f((x) => x.ratings[i] ?? 0), 1)),
      pct(f((x) => x.recommendShare)),
      num(f((x) => x.recommend.no), 1),
      num(f((x) => x.recommend.unsure), 1)
    ]
  })
  const services = [...new Set(report.replicates.flatMap((r) => r.summary.applications.map((a) => a.serviceId)))].sort()
  const apps = services.map((
    service
  ) => [
    esc(service),
    ...report.sites.map((site) =>
      num(siteMean(report, (s) => s.applications.filter((a) => a.site === site && a.serviceId === service), (list) => list.reduce((n, a) => n + a.count, 0)), 1)
    )
  ])
  return section(
    "feedback",
    "Feedback and applications",
    table(
      ["site", "responses", "mean rating", "★1", "★2", "★3", "★4", "★5", "would recommend", "would not", "unsure"],
      rows,
      "Ratings and recommendation answers"
    ) +
      table(["service", ...report.sites.map(esc)], apps, "Applications by service")
  )
}

export const queueSection = (report: Report): Html => {
  const q = report.config.queue
  const rows = report.sites.map((site) => {
    const f = (g: (x: LogSummary["queue"][number]) => number | null) => siteMean(report, (s) => s.queue.find((x) => x.site === site), g)
    return [
      esc(site),
      num(f((x) => x.servers), 0),
      num(f((x) => x.handoversMovedPerWeek), 1),
      num(f((x) => x.counterMinutesSavedPerWeek), 0),
      num(f((x) => x.meanWaitWith), 1),
      num(f((x) => x.meanWaitWithout), 1),
      num(f((x) => x.reliefMinutesPerVisitor), 2),
      num(f((x) => x.waitingMinutesSavedPerWeek), 0),
      num(f((x) => x.saturatedHoursWithout), 0)
    ]
  })
  return section(
    "counter",
    "Counter relief (Erlang C model)",
    table(
      [
        "site",
        "servers",
        "handovers moved / week",
        "counter minutes saved / week",
        "mean wait now (min)",
        "mean wait without terminal (min)",
        "relief per visitor (min)",
        "waiting minutes saved / week",
        "saturated hours without terminal"
      ],
      rows
    ),
    `M/M/c per open hour of the week, Wq = C(c,a)/(cμ − λ)${
      Object.keys(report.config.siteQueues).length > 0 ? "; per-site counters from the run's manifest, else" : ":"
    } ${q.servers} servers, other business ${
      typeof q.otherArrivalsPerHour === "number" ? `${q.otherArrivalsPerHour} arrivals per open hour` : "per-hour arrival rates"
    } of ${q.serviceMinutes} min, ${q.minutesPerHandover} min per handover; without the terminal its pickups come to the counter. "–" = the counter cannot keep up in some hour.`
  )
}

export const surveySection = (report: Report): Html => {
  const survey = report.mean.survey
  if (survey === null) return ""
  return section(
    "survey",
    "Synthetic survey: intention, use, recommendation sources, spiral",
    table(
      [
        "site",
        "respondents",
        "intend to use",
        "used",
        "staff only",
        "peers only",
        "both",
        "neither",
        "use | staff recommended",
        "use | not recommended",
        "trust: users",
        "trust: non-users",
        "recommend | used",
        "recommend | not used"
      ],
      survey.map((
        s
      ) => [
        esc(s.site),
        num(s.respondents, 0),
        pct(s.intentionShare),
        pct(s.useShare),
        pct(s.sources.staffOnly),
        pct(s.sources.peersOnly),
        pct(s.sources.both),
        pct(s.sources.neither),
        pct(s.spiral.useIfStaffRecommended),
        pct(s.spiral.useIfNotStaffRecommended),
        num(s.spiral.meanTrustUsers, 2),
        num(s.spiral.meanTrustNonUsers, 2),
        pct(s.spiral.recommendIfUsed),
        pct(s.spiral.recommendIfNotUsed)
      ])
    ),
    "Recommendation sources among users (peers = peer exposure above 0). The spiral: staff recommendation → use → trust → recommending."
  )
}

export const spreadSection = (report: Report): Html => {
  if (report.replicates.length < 2) return ""
  const metrics = ["terminalShare", "pickupsTerminal", "uses", "repeatRate", "counterMinutesSaved"]
  const cell = (site: string, metric: string) => {
    const iv = report.spread.find((s) => s.site === site && s.metric === metric)?.interval
    const f = (x: number | null) => (metric.endsWith("Share") || metric.endsWith("Rate") ? pct(x) : num(x, 1))
    return iv === undefined || iv.mean === null ? "–" : `${f(iv.mean)} <small>[${f(iv.min)} … ${f(iv.max)}]</small>`
  }
  return section(
    "spread",
    "Replicate spread",
    table(["site", ...metrics.map(esc)], report.sites.map((site) => [esc(site), ...metrics.map((m) => cell(site, m))])),
    `Mean [min … max] across ${report.replicates.length} replicates; intervals and standard deviations are in spread.csv.`
  )
}

/** Which pattern rejects which model variant, when the run directory has a discrimination.json. */
export const discriminationSection = (report: Report): Html => {
  const d = report.discrimination
  if (d === null) return ""
  const ids = report.comparison.map((p) => p.id)
  const cell = (v: boolean | null | undefined) => (v === undefined || v === null ? "n/a" : v ? "pass" : "<strong>rejects</strong>")
  return section(
    "discrimination",
    "Model variants",
    table(
      ["variant", "what it changes", "contradicted by", ...ids.map(esc), "rejected"],
      d.rows.map((r) => [
        esc(r.variant),
        esc(r.change),
        r.contradicts === null ? "– (calibrated)" : esc(r.contradicts),
        ...ids.map((id) => cell(r.verdicts[id])),
        r.contradicts === null ? (r.rejectedBy.length === 0 ? "no (good)" : "yes (bad)") : r.rejectedBy.length > 0 ? "yes (good)" : "<strong>no (bad)</strong>"
      ])
    ),
    `${d.scenario}, seed ${d.seed}, ${d.replicates} replicate(s) per variant. ` +
      (d.calibratedPasses ? "The calibrated world passes every pattern; " : "The calibrated world fails a pattern; ") +
      (d.notRejected.length === 0 ? "every variant the study contradicts is rejected by at least one." : `not rejected: ${d.notRejected.map(esc).join(", ")}.`)
  )
}
