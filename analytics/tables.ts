/**
 * The report's CSV tables, one file each, a `replicate` column where the
 * figure is per replicate (1 for a terminal's own database).
 */
import { type Cell, toCsv } from "./csv.ts"
import type { Report } from "./run.ts"
import type { PatternRow } from "./studyPatterns.ts"
import type { Comparison } from "./twoRuns.ts"

export interface CsvFile {
  readonly name: string
  readonly content: string
}

const perReplicate = <T>(report: Report, rows: (r: Report["replicates"][number]) => ReadonlyArray<T>, cells: (t: T) => ReadonlyArray<Cell>) =>
  report.replicates.flatMap((r) => rows(r).map((t) => [r.replicate, ...cells(t)]))

const comparisonRow = (
  p: PatternRow
): ReadonlyArray<Cell> => [
  p.id,
  p.pattern,
  p.study,
  p.band,
  p.observed.mean,
  p.observed.low,
  p.observed.high,
  p.observed.n,
  p.pass,
  p.source,
  p.reported?.mean ?? null,
  p.reported?.pass ?? null
]

const comparisonHeader = ["id", "pattern", "study", "band", "mean", "low95", "high95", "n", "pass", "source", "reportedMean", "reportedPass"]

export const reportTables = (report: Report): ReadonlyArray<CsvFile> => [
  {
    name: "site_month.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "month",
        "documentsReady",
        "pickupsTerminal",
        "pickupsCounter",
        "terminalShare",
        "uses",
        "applications",
        "users",
        "firstTimeUsers",
        "returningUsers",
        "pickupsAbandoned",
        "codeEntries",
        "wrongCodes",
        "deviceFailures",
        "alarms",
        "counterMinutesSaved",
        "feedbackResponses",
        "meanRating",
        "recommendYes"
      ],
      perReplicate(
        report,
        (r) => r.summary.siteMonths,
        (
          m
        ) => [
          m.site,
          m.month,
          m.documentsReady,
          m.pickupsTerminal,
          m.pickupsCounter,
          m.terminalShare,
          m.uses,
          m.applications,
          m.users,
          m.firstTimeUsers,
          m.returningUsers,
          m.pickupsAbandoned,
          m.codeEntries,
          m.wrongCodes,
          m.deviceFailures,
          m.alarms,
          m.counterMinutesSaved,
          m.feedbackResponses,
          m.meanRating,
          m.recommendYes
        ]
      )
    )
  },
  {
    name: "site_totals.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "firstMonth",
        "documentsReady",
        "pickupsTerminal",
        "pickupsCounter",
        "terminalShare",
        "uses",
        "applications",
        "pickupShareOfUses",
        "users",
        "repeatUsers",
        "repeatRate",
        "counterMinutesSaved"
      ],
      perReplicate(
        report,
        (r) => r.summary.siteTotals,
        (
          s
        ) => [
          s.site,
          s.firstMonth,
          s.documentsReady,
          s.pickupsTerminal,
          s.pickupsCounter,
          s.terminalShare,
          s.uses,
          s.applications,
          s.pickupShareOfUses,
          s.users,
          s.repeatUsers,
          s.repeatRate,
          s.counterMinutesSaved
        ]
      )
    )
  },
  {
    name: "hour_of_week.csv",
    content: toCsv(
      ["replicate", "site", "weekday", "hour", "uses"],
      perReplicate(
        report,
        (r) => r.summary.timing.flatMap((t) => t.hourOfWeek.map((n, slot) => ({ site: t.site, slot, n }))),
        (x) => [x.site, Math.floor(x.slot / 24), x.slot % 24, x.n]
      )
    )
  },
  {
    name: "timing.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "uses",
        "outsideOfficeHours",
        "weekend",
        "holiday",
        "weekendOrHoliday",
        "shareOutsideOfficeHours",
        "shareWeekend",
        "shareHoliday",
        "shareWeekendOrHoliday"
      ],
      perReplicate(
        report,
        (r) => [...r.summary.timing, r.summary.timingOverall],
        (
          t
        ) => [
          t.site,
          t.uses,
          t.outsideOfficeHours,
          t.weekend,
          t.holiday,
          t.weekendOrHoliday,
          t.shareOutsideOfficeHours,
          t.shareWeekend,
          t.shareHoliday,
          t.shareWeekendOrHoliday
        ]
      )
    )
  },
  {
    name: "funnel.csv",
    content: toCsv(
      ["replicate", "site", "stage", "count"],
      perReplicate(report, (r) =>
        r.summary.funnels.flatMap((f) =>
          [
            ["sessions", f.sessions],
            ["pickupsStarted", f.pickupsStarted],
            ["codesVerified", f.codesVerified],
            ["oldDocumentsReceived", f.oldDocumentsReceived],
            ["pickupsCompleted", f.pickupsCompleted],
            ["pickupsAbandoned", f.pickupsAbandoned],
            ...Object.entries(f.abandonedByStep).map(([s, n]) => [`abandonedAt:${s}`, n]),
            ...f.abandonedByReason.map((x) => [`abandonedBecause:${x.reason}`, x.count]),
            ...f.identifyFailed.map((x) => [`identifyFailed:${x.reason}`, x.count]),
            ["sessionsWithoutUse", f.sessionsWithoutUse],
            ["applicationsNotSubmitted", f.applicationsNotSubmitted],
            ["codeEntries", f.codeEntries],
            ["wrongCodes", f.wrongCodes],
            ["expiredCodes", f.expiredCodes],
            ["pickupsWithWrongCode", f.pickupsWithWrongCode],
            ["ordersLocked", f.ordersLocked]
          ].map(([stage, n]) => [f.site, stage as string, n as number])
        ), (row) => row)
    )
  },
  {
    name: "applications.csv",
    content: toCsv(
      ["replicate", "site", "month", "serviceId", "count"],
      perReplicate(report, (r) => r.summary.applications, (a) => [a.site, a.month, a.serviceId, a.count])
    )
  },
  {
    name: "feedback.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "responses",
        "meanRating",
        "rating1",
        "rating2",
        "rating3",
        "rating4",
        "rating5",
        "recommendYes",
        "recommendNo",
        "recommendUnsure",
        "recommendShare"
      ],
      perReplicate(
        report,
        (r) => r.summary.feedback,
        (f) => [f.site, f.responses, f.meanRating, ...f.ratings, f.recommend.yes, f.recommend.no, f.recommend.unsure, f.recommendShare]
      )
    )
  },
  {
    name: "reliability.csv",
    content: toCsv(
      ["replicate", "site", "kind", "key", "value"],
      perReplicate(report, (r) =>
        r.summary.reliability.flatMap((x) =>
          [
            ...Object.entries(x.offline).map(([k, v]) => ["offline", k, v]),
            ...Object.entries(x.offlineHours).map(([k, v]) => ["offlineHours", k, v]),
            ["failure", "doorOpen", x.doorOpenFailures],
            ["failure", "cardRead", x.cardReadFailures],
            ["failure", "sms", x.smsFailures],
            ["failure", "delivery", x.deliveryFailures],
            ["failure", "all", x.deviceFailures],
            ["compartmentsOutOfService", "all", x.compartmentsOutOfService],
            ...Object.entries(x.alarms).map(([k, v]) => ["alarm", k, v]),
            ["alarm", "all", x.alarmsTotal]
          ].map((row) => [x.site, ...(row as ReadonlyArray<Cell>)])
        ), (row) => row)
    )
  },
  {
    name: "queue.csv",
    content: toCsv(
      ["replicate", "site", "weekday", "hour", "openFraction", "arrivalsWith", "arrivalsWithout", "waitMinutesWith", "waitMinutesWithout"],
      perReplicate(
        report,
        (r) => r.summary.queue.flatMap((q) => q.slots.map((s) => ({ site: q.site, s }))),
        ({ site, s }) => [site, Math.floor(s.slot / 24), s.slot % 24, s.openFraction, s.arrivalsWith, s.arrivalsWithout, s.waitWith, s.waitWithout]
      )
    )
  },
  {
    name: "queue_summary.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "weeks",
        "servers",
        "meanWaitWith",
        "meanWaitWithout",
        "reliefMinutesPerVisitor",
        "waitingMinutesSavedPerWeek",
        "handoversMovedPerWeek",
        "counterMinutesSavedPerWeek",
        "saturatedHoursWith",
        "saturatedHoursWithout"
      ],
      perReplicate(
        report,
        (r) => r.summary.queue,
        (
          q
        ) => [
          q.site,
          q.weeks,
          q.servers,
          q.meanWaitWith,
          q.meanWaitWithout,
          q.reliefMinutesPerVisitor,
          q.waitingMinutesSavedPerWeek,
          q.handoversMovedPerWeek,
          q.counterMinutesSavedPerWeek,
          q.saturatedHoursWith,
          q.saturatedHoursWithout
        ]
      )
    )
  },
  {
    name: "survey.csv",
    content: toCsv(
      [
        "replicate",
        "site",
        "respondents",
        "intentionShare",
        "useShare",
        "sourceStaffOnly",
        "sourcePeersOnly",
        "sourceBoth",
        "sourceNeither",
        "useIfStaffRecommended",
        "useIfNotStaffRecommended",
        "meanTrustUsers",
        "meanTrustNonUsers",
        "recommendIfUsed",
        "recommendIfNotUsed",
        "meanPeerExposure"
      ],
      perReplicate(
        report,
        (r) => r.survey ?? [],
        (
          s
        ) => [
          s.site,
          s.respondents,
          s.intentionShare,
          s.useShare,
          s.sources.staffOnly,
          s.sources.peersOnly,
          s.sources.both,
          s.sources.neither,
          s.spiral.useIfStaffRecommended,
          s.spiral.useIfNotStaffRecommended,
          s.spiral.meanTrustUsers,
          s.spiral.meanTrustNonUsers,
          s.spiral.recommendIfUsed,
          s.spiral.recommendIfNotUsed,
          s.spiral.meanPeerExposure
        ]
      )
    )
  },
  {
    name: "spread.csv",
    content: toCsv(
      ["site", "metric", "n", "mean", "low95", "high95", "sd", "min", "max"],
      report.spread.map((
        s
      ) => [s.site, s.metric, s.interval.n, s.interval.mean, s.interval.low, s.interval.high, s.interval.sd, s.interval.min, s.interval.max])
    )
  },
  { name: "comparison.csv", content: toCsv(comparisonHeader, report.comparison.map(comparisonRow)) },
  {
    name: "sensitivity.csv",
    content: toCsv(
      ["pattern", "parameter", "muStar", "sigma"],
      report.sensitivity.flatMap((s) => s.parameters.map((p) => [s.pattern, p.name, p.muStar, p.sigma]))
    )
  }
]

export const compareTables = (c: Comparison): ReadonlyArray<CsvFile> => [
  {
    name: "comparison.csv",
    content: toCsv(["run", ...comparisonHeader], [
      ...c.rows.flatMap(({ a, b }) => [["A", ...comparisonRow(a)], ["B", ...comparisonRow(b)]]),
      ["A/B", ...comparisonRow(c.p8)]
    ])
  },
  {
    name: "site_delta.csv",
    content: toCsv(
      ["site", "shareA", "shareB", "delta", "pickupsA", "pickupsB"],
      c.siteDelta.map((d) => [d.site, d.shareA, d.shareB, d.delta, d.pickupsA, d.pickupsB])
    )
  }
]
