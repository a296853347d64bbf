/**
 * Everything one event log says, in one value: the per-site-and-month table,
 * per-site totals, timing, funnels, applications, feedback, reliability and
 * the counter model. The same function runs over a terminal's database and
 * over each replicate of a scenario run.
 *
 * There is one implementation, a fold: `SummaryAccumulator` takes records one
 * at a time, in time order, and the summary is read from running aggregates
 * at any point; `summarise` feeds a whole log to a fresh one, the live
 * dashboard keeps one and feeds it the log's new rows. Adding a record costs
 * O(1) (a few map updates); reading the summary costs
 * O(sites × months + services + 168 × sites), independent of the log's length.
 * The figures are defined, and their folds kept, where they belong: usage.ts
 * (documents ready, handovers, uses and users), timing.ts, funnel.ts,
 * feedback.ts and reliability.ts; this module adds the per-month columns
 * below, the per-site totals and the counter model (queue.ts).
 *
 * What it keeps is aggregates, not records: counters per site and local month,
 * per site and per hour of the week, and the identities the definitions need
 * across the whole log (the card key of each session and the card keys seen,
 * the orders announced and counted as ready, per site the card keys and the
 * funnel's sets). Those grow with sessions, cards and orders, not with events;
 * no percentile or other order statistic is reported, so nothing else is
 * needed.
 *
 * One limit: records must come in time order (`inTimeOrder`: time, then seq).
 * `add` refuses a record that would sort before the last one and answers
 * false; the caller then rebuilds from the whole log (`fromRecords`).
 */
import { type AnalyticsConfig, queueOf } from "./config.ts"
import { type FeedbackSummary, SiteFeedback } from "./feedback.ts"
import { type Funnel, SiteFunnel } from "./funnel.ts"
import { openFractions, type TimeClass, weekSchedule } from "./officeHours.ts"
import { type QueueRelief, queueRelief } from "./queue.ts"
import { type EventRecord, inTimeOrder, localOf, ratio, siteMonth, Tally } from "./records.ts"
import { isDeviceFailure, type Reliability, SiteReliability } from "./reliability.ts"
import type { LocalTime } from "./time.ts"
import { timeClassifier, TimingCounts, type TimingProfile } from "./timing.ts"
import { MonthSpan, type ServiceCount, type SiteMonthUsage, UsageCounts, type Use, UseTracker } from "./usage.ts"

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

/** The columns of `SiteMonthRow` beyond usage, counted per site and month (key `siteMonth`). */
class MonthColumns {
  private readonly abandoned = new Tally()
  private readonly entries = new Tally()
  private readonly wrong = new Tally()
  private readonly failures = new Tally()
  private readonly alarms = new Tally()
  private readonly feedback = new Tally()
  private readonly ratings = new Tally()
  private readonly yes = new Tally()

  add(r: EventRecord, key: string): void {
    const e = r.event
    if (e._tag === "PickupAbandoned") this.abandoned.add(key)
    if (e._tag === "CodeVerified" || e._tag === "CodeRejected") this.entries.add(key)
    if (e._tag === "CodeRejected" && e.reason === "wrong") this.wrong.add(key)
    if (e._tag === "AlarmRaised") this.alarms.add(key)
    if (e._tag === "FeedbackGiven") {
      this.feedback.add(key)
      this.ratings.add(key, e.rating)
      if (e.recommend === "yes") this.yes.add(key)
    }
    if (isDeviceFailure(r)) this.failures.add(key)
  }

  row(usage: SiteMonthUsage): SiteMonthRow {
    const key = siteMonth(usage.site, usage.month)
    return {
      ...usage,
      pickupsAbandoned: this.abandoned.get(key),
      codeEntries: this.entries.get(key),
      wrongCodes: this.wrong.get(key),
      deviceFailures: this.failures.get(key),
      alarms: this.alarms.get(key),
      feedbackResponses: this.feedback.get(key),
      meanRating: ratio(this.ratings.get(key), this.feedback.get(key)),
      recommendYes: this.yes.get(key)
    }
  }
}

/** Everything kept per site beyond the per-month counts. */
class SiteState {
  /** Uses per card key at the site. */
  readonly perUser = new Map<string, number>()
  repeatUsers = 0
  readonly timing = new TimingCounts()
  readonly handoversByHour = new Array<number>(168).fill(0)
  readonly funnel = new SiteFunnel()
  readonly feedback = new SiteFeedback()
  readonly reliability = new SiteReliability()
  constructor(readonly firstMonth: string) {}

  add(r: EventRecord, ms: number, t: LocalTime): void {
    if (r.event._tag === "CounterHandover") this.handoversByHour[t.hourOfWeek]! += 1
    this.funnel.add(r.event)
    this.feedback.add(r.event)
    this.reliability.add(r, ms)
  }

  /** Counts a use at the site, at local time `t` of class `c`. */
  addUse(use: Use, t: LocalTime, c: TimeClass): void {
    this.timing.count(t, c)
    if (use.cardKey === null) return
    const n = (this.perUser.get(use.cardKey) ?? 0) + 1
    this.perUser.set(use.cardKey, n)
    if (n === 2) this.repeatUsers += 1
  }
}

/** The running summary of one event log; see the module comment. */
export class SummaryAccumulator {
  private events = 0
  private first: string | null = null
  private last: string | null = null
  private lastMs = Number.NEGATIVE_INFINITY
  private lastSeq: number | undefined = undefined
  private readonly span = new MonthSpan()
  private readonly sites = new Map<string, SiteState>()
  private readonly classify
  private readonly uses = new UseTracker()
  private readonly usage = new UsageCounts()
  private readonly columns = new MonthColumns()
  private readonly overall = new TimingCounts()

  constructor(readonly config: AnalyticsConfig) {
    this.classify = timeClassifier(config)
  }

  /** The summary of `records` (any order), built by the fold. */
  static fromRecords(records: ReadonlyArray<EventRecord>, config: AnalyticsConfig): SummaryAccumulator {
    const acc = new SummaryAccumulator(config)
    for (const r of inTimeOrder(records)) acc.fold(r, Date.parse(r.at))
    return acc
  }

  /** Records added so far. */
  get size(): number {
    return this.events
  }

  /** Whether `r` sorts after every record added so far (the order of `inTimeOrder`). */
  accepts(r: EventRecord): boolean {
    return this.fits(r, Date.parse(r.at))
  }

  private fits(r: EventRecord, ms: number): boolean {
    if (ms > this.lastMs || this.events === 0) return true
    if (ms < this.lastMs) return false
    return r.seq === undefined || this.lastSeq === undefined || r.seq >= this.lastSeq
  }

  /** Adds the next record; false (and nothing added) when it would sort before the last one. */
  add(r: EventRecord): boolean {
    const ms = Date.parse(r.at)
    if (!this.fits(r, ms)) return false
    this.fold(r, ms)
    return true
  }

  /** Adds `r`, which comes after every record so far. */
  private fold(r: EventRecord, ms: number): void {
    if (ms !== this.lastMs) this.lastSeq = undefined
    this.lastMs = ms
    if (r.seq !== undefined) this.lastSeq = r.seq
    this.events += 1
    if (this.first === null) this.first = r.at
    this.last = r.at
    const t = localOf(r, this.config.timeZone)
    this.span.add(t.monthKey)
    let site = this.sites.get(r.site)
    if (site === undefined) {
      site = new SiteState(t.monthKey)
      this.sites.set(r.site, site)
    }
    const key = siteMonth(r.site, t.monthKey)
    const use = this.uses.use(r)
    this.usage.add(r, key, use)
    this.columns.add(r, key)
    site.add(r, ms, t)
    if (use !== undefined) {
      const c = this.classify(t)
      this.overall.count(t, c)
      site.addUse(use, t, c)
    }
  }

  /** The summary of every record added so far. */
  summary(): LogSummary {
    const config = this.config
    const sites = [...this.sites.keys()].sort()
    const state = (site: string) => this.sites.get(site)!
    const months = this.span.months()
    const siteMonths = this.usage.rows(sites, months, config.queue).map((row) => this.columns.row(row))
    const siteTotals = sites.map((site): SiteTotals => {
      const s = state(site)
      const rows = siteMonths.filter((r) => r.site === site)
      const pickupsTerminal = sum(rows.map((r) => r.pickupsTerminal))
      const pickupsCounter = sum(rows.map((r) => r.pickupsCounter))
      const uses = sum(rows.map((r) => r.uses))
      return {
        site,
        firstMonth: s.firstMonth,
        documentsReady: sum(rows.map((r) => r.documentsReady)),
        pickupsTerminal,
        pickupsCounter,
        terminalShare: ratio(pickupsTerminal, pickupsTerminal + pickupsCounter),
        uses,
        applications: sum(rows.map((r) => r.applications)),
        // a pickup use is a terminal pickup
        pickupShareOfUses: ratio(pickupsTerminal, uses),
        users: s.perUser.size,
        repeatUsers: s.repeatUsers,
        repeatRate: ratio(s.repeatUsers, s.perUser.size),
        counterMinutesSaved: sum(rows.map((r) => r.counterMinutesSaved))
      }
    })
    const weeks = this.first !== null && this.last !== null ? (Date.parse(this.last) - Date.parse(this.first)) / WEEK : 0
    const fractions = openFractions(weekSchedule(config.officeHours))
    const endMs = this.last !== null ? Date.parse(this.last) : 0
    return {
      events: this.events,
      first: this.first,
      last: this.last,
      sites,
      months,
      siteMonths,
      siteTotals,
      timing: sites.map((site) => state(site).timing.profile(site)),
      timingOverall: this.overall.profile("all"),
      funnels: sites.map((site) => state(site).funnel.funnel(site)),
      applications: this.usage.services(),
      feedback: sites.map((site) => state(site).feedback.summary(site)),
      reliability: sites.map((site) => state(site).reliability.reliability(site, endMs)),
      queue: siteTotals.map((totals) =>
        queueRelief({
          site: totals.site,
          counterByHour: [...state(totals.site).handoversByHour],
          terminalPickups: totals.pickupsTerminal,
          documentsReady: totals.documentsReady,
          weeks,
          openFractions: fractions,
          config: queueOf(config, totals.site)
        })
      )
    }
  }
}

/** Summarises one event log (any order; sorted here): a fresh `SummaryAccumulator` fed every record. */
export const summarise = (records: ReadonlyArray<EventRecord>, config: AnalyticsConfig): LogSummary => SummaryAccumulator.fromRecords(records, config).summary()
