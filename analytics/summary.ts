/**
 * Everything one event log says, in one value: the per-site-and-month table,
 * per-site totals, timing, funnels, applications, feedback, reliability and
 * the counter model. The same function runs over a terminal's database and
 * over each replicate of a scenario run.
 */
import { type AnalyticsConfig, queueOf } from "./config.ts"
import { feedbackBySite, type FeedbackSummary } from "./feedback.ts"
import { type Funnel, funnels } from "./funnel.ts"
import { openFractions, weekSchedule } from "./officeHours.ts"
import { type QueueRelief, queueRelief } from "./queue.ts"
import { type EventRecord, inTimeOrder, localOf, ratio, siteMonth, sitesOf, Tally } from "./records.ts"
import { isDeviceFailure, type Reliability, reliability } from "./reliability.ts"
import { hourOfWeekCounts, timingBySite, timingOverall, type TimingProfile } from "./timing.ts"
import { applicationsByService, monthsOf, type ServiceCount, type SiteMonthUsage, siteMonthUsage, terminalUses } from "./usage.ts"

export interface SiteMonthRow extends SiteMonthUsage {
  readonly pickupsAbandoned: number
  readonly codeEntries: number
  readonly wrongCodes: number
  readonly deviceFailures: number
  readonly alarms: number
  readonly feedbackResponses: number
  readonly meanRating: number | null
  /** Feedback answering "yes, I would recommend it". */
  readonly recommendYes: number
}

export interface SiteTotals {
  readonly site: string
  /** The site's first local month with any event. */
  readonly firstMonth: string | null
  readonly documentsReady: number
  readonly pickupsTerminal: number
  readonly pickupsCounter: number
  readonly terminalShare: number | null
  readonly uses: number
  readonly applications: number
  /** Share of terminal uses that are pickups (P5). */
  readonly pickupShareOfUses: number | null
  readonly users: number
  /** Users with two or more uses at the site. */
  readonly repeatUsers: number
  readonly repeatRate: number | null
  readonly counterMinutesSaved: number
}

export interface LogSummary {
  readonly events: number
  readonly first: string | null
  readonly last: string | null
  readonly sites: ReadonlyArray<string>
  readonly months: ReadonlyArray<string>
  readonly siteMonths: ReadonlyArray<SiteMonthRow>
  readonly siteTotals: ReadonlyArray<SiteTotals>
  readonly timing: ReadonlyArray<TimingProfile>
  readonly timingOverall: TimingProfile
  readonly funnels: ReadonlyArray<Funnel>
  readonly applications: ReadonlyArray<ServiceCount>
  readonly feedback: ReadonlyArray<FeedbackSummary>
  readonly reliability: ReadonlyArray<Reliability>
  readonly queue: ReadonlyArray<QueueRelief>
}

const WEEK = 7 * 86_400_000
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)

const extraColumns = (records: ReadonlyArray<EventRecord>, timeZone: string) => {
  const t = {
    abandoned: new Tally(),
    entries: new Tally(),
    wrong: new Tally(),
    failures: new Tally(),
    alarms: new Tally(),
    feedback: new Tally(),
    ratings: new Tally(),
    yes: new Tally()
  }
  for (const r of records) {
    const e = r.event
    const key = siteMonth(r.site, localOf(r, timeZone).monthKey)
    if (e._tag === "PickupAbandoned") t.abandoned.add(key)
    if (e._tag === "CodeVerified" || e._tag === "CodeRejected") t.entries.add(key)
    if (e._tag === "CodeRejected" && e.reason === "wrong") t.wrong.add(key)
    if (e._tag === "AlarmRaised") t.alarms.add(key)
    if (e._tag === "FeedbackGiven") {
      t.feedback.add(key)
      t.ratings.add(key, e.rating)
      if (e.recommend === "yes") t.yes.add(key)
    }
    if (isDeviceFailure(r)) t.failures.add(key)
  }
  return t
}

/** Summarises one event log (any order; sorted here). */
export const summarise = (input: ReadonlyArray<EventRecord>, config: AnalyticsConfig): LogSummary => {
  const records = inTimeOrder(input)
  const tz = config.timeZone
  const sites = sitesOf(records)
  const uses = terminalUses(records)
  const extra = extraColumns(records, tz)
  const siteMonths = siteMonthUsage(records, tz, config.queue).map((row): SiteMonthRow => {
    const key = siteMonth(row.site, row.month)
    return {
      ...row,
      pickupsAbandoned: extra.abandoned.get(key),
      codeEntries: extra.entries.get(key),
      wrongCodes: extra.wrong.get(key),
      deviceFailures: extra.failures.get(key),
      alarms: extra.alarms.get(key),
      feedbackResponses: extra.feedback.get(key),
      meanRating: ratio(extra.ratings.get(key), extra.feedback.get(key)),
      recommendYes: extra.yes.get(key)
    }
  })
  const first = records[0]?.at ?? null
  const last = records[records.length - 1]?.at ?? null
  const weeks = first !== null && last !== null ? (Date.parse(last) - Date.parse(first)) / WEEK : 0
  const fractions = openFractions(weekSchedule(config.officeHours))
  const siteTotals = sites.map((site): SiteTotals => {
    const rows = siteMonths.filter((r) => r.site === site)
    const siteUses = uses.filter((u) => u.site === site)
    const perUser = new Tally()
    for (const u of siteUses) if (u.cardKey !== null) perUser.add(u.cardKey)
    const users = perUser.entries()
    const repeatUsers = users.filter(([, n]) => n >= 2).length
    const pickupsTerminal = sum(rows.map((r) => r.pickupsTerminal))
    const pickupsCounter = sum(rows.map((r) => r.pickupsCounter))
    const firstRecord = records.find((r) => r.site === site)
    return {
      site,
      firstMonth: firstRecord === undefined ? null : localOf(firstRecord, tz).monthKey,
      documentsReady: sum(rows.map((r) => r.documentsReady)),
      pickupsTerminal,
      pickupsCounter,
      terminalShare: ratio(pickupsTerminal, pickupsTerminal + pickupsCounter),
      uses: siteUses.length,
      applications: sum(rows.map((r) => r.applications)),
      pickupShareOfUses: ratio(siteUses.filter((u) => u.kind === "pickup").length, siteUses.length),
      users: users.length,
      repeatUsers,
      repeatRate: ratio(repeatUsers, users.length),
      counterMinutesSaved: sum(rows.map((r) => r.counterMinutesSaved))
    }
  })
  const queue = sites.map((site) => {
    const handovers = records.filter((r) => r.site === site && r.event._tag === "CounterHandover")
    return queueRelief({
      site,
      counterByHour: hourOfWeekCounts(handovers, tz),
      terminalPickups: siteTotals.find((s) => s.site === site)?.pickupsTerminal ?? 0,
      documentsReady: siteTotals.find((s) => s.site === site)?.documentsReady ?? 0,
      weeks,
      openFractions: fractions,
      config: queueOf(config, site)
    })
  })
  return {
    events: records.length,
    first,
    last,
    sites,
    months: monthsOf(records, tz),
    siteMonths,
    siteTotals,
    timing: timingBySite(uses, sites, config),
    timingOverall: timingOverall(uses, config),
    funnels: funnels(records, sites),
    applications: applicationsByService(records, tz),
    feedback: feedbackBySite(records, sites),
    reliability: reliability(records, sites),
    queue
  }
}
