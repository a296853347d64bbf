/**
 * `summarise` as a fold: records go in one at a time, in time order, and the
 * summary is read from running aggregates at any point, equal to
 * `summarise(allRecordsSoFar)` (a property test checks that, field by field).
 * Adding a record costs O(1) (a few map updates); reading the summary costs
 * O(sites × months + services + 168 × sites), independent of the log's length.
 *
 * What it keeps is aggregates, not records: counters per site and local month,
 * per site and per hour of the week, and the identities the definitions need
 * across the whole log — the card key of each session and the card keys seen
 * (first and repeat users), the orders announced and counted as ready, and per
 * site the sessions, used and scanned sessions and pickups with a wrong code
 * (the funnel's sets). Those grow with sessions, cards and orders, not with
 * events; no percentile or other order statistic is reported, so nothing else
 * is needed.
 *
 * One limit: records must come in time order (`inTimeOrder`: time, then seq).
 * `add` refuses a record that would sort before the last one and answers
 * false; the caller then rebuilds from the whole log (`fromRecords`).
 */
import { AlarmKind, Device, PickupStep } from "../core/domain/events.ts"
import { observe } from "./comparison.ts"
import { type AnalyticsConfig, queueOf } from "./config.ts"
import type { FeedbackSummary } from "./feedback.ts"
import type { Funnel } from "./funnel.ts"
import { classifyTime, openFractions, type TimeClass, weekSchedule } from "./officeHours.ts"
import { queueRelief } from "./queue.ts"
import { type EventRecord, inTimeOrder, localOf, ratio, siteMonth, Tally } from "./records.ts"
import { isDeviceFailure, type Reliability } from "./reliability.ts"
import { buildReport, type ReplicateResult, type Report, type ReportSource } from "./run.ts"
import type { LogSummary, SiteMonthRow, SiteTotals } from "./summary.ts"
import { monthRange } from "./time.ts"
import type { TimingProfile } from "./timing.ts"

const WEEK = 7 * 86_400_000
const sum = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0)
const zeros = <K extends string>(keys: ReadonlyArray<K>): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>

class TimingCounts {
  uses = 0
  readonly hourOfWeek = new Array<number>(168).fill(0)
  outside = 0
  weekend = 0
  holiday = 0
  either = 0
  count(hourOfWeek: number, c: TimeClass): void {
    this.uses += 1
    this.hourOfWeek[hourOfWeek]! += 1
    if (!c.inOfficeHours) this.outside += 1
    if (c.weekend) this.weekend += 1
    if (c.holiday) this.holiday += 1
    if (c.weekend || c.holiday) this.either += 1
  }
  profile(site: string): TimingProfile {
    return {
      site,
      uses: this.uses,
      hourOfWeek: [...this.hourOfWeek],
      outsideOfficeHours: this.outside,
      weekend: this.weekend,
      holiday: this.holiday,
      weekendOrHoliday: this.either,
      shareOutsideOfficeHours: ratio(this.outside, this.uses),
      shareWeekend: ratio(this.weekend, this.uses),
      shareHoliday: ratio(this.holiday, this.uses),
      shareWeekendOrHoliday: ratio(this.either, this.uses)
    }
  }
}

/** Everything kept per site. */
class SiteState {
  firstMonth: string | null = null
  uses = 0
  pickupUses = 0
  readonly perUser = new Map<string, number>()
  repeatUsers = 0
  readonly timing = new TimingCounts()
  readonly handoversByHour = new Array<number>(168).fill(0)
  // funnel
  readonly count = new Tally()
  readonly steps = zeros(PickupStep.literals)
  readonly reasons = new Tally()
  readonly identify = new Tally()
  readonly sessions = new Set<string>()
  readonly used = new Set<string>()
  readonly scanned = new Set<string>()
  readonly wrongPickups = new Set<string>()
  sessionsWithoutUse = 0
  scannedWithoutUse = 0
  // feedback
  readonly ratings = [0, 0, 0, 0, 0]
  readonly recommend = { yes: 0, no: 0, unsure: 0 }
  readonly byContext = { pickup: 0, application: 0, other: 0 }
  ratingSum = 0
  responses = 0
  // reliability
  readonly offline = zeros(Device.literals)
  readonly offlineHours = zeros(Device.literals)
  readonly since = new Map<Device, number>()
  readonly alarms = zeros(AlarmKind.literals)
}

/** The running summary of one event log; see the module comment. */
export class SummaryAccumulator {
  private events = 0
  private first: string | null = null
  private last: string | null = null
  private lastMs = Number.NEGATIVE_INFINITY
  private lastSeq: number | undefined = undefined
  private firstMonth: string | null = null
  private lastMonth: string | null = null
  private readonly sites = new Map<string, SiteState>()
  private readonly schedule
  // per site and month (key `siteMonth`)
  private readonly t = {
    ready: new Tally(),
    terminal: new Tally(),
    counter: new Tally(),
    uses: new Tally(),
    applications: new Tally(),
    firsts: new Tally(),
    abandoned: new Tally(),
    entries: new Tally(),
    wrong: new Tally(),
    failures: new Tally(),
    alarms: new Tally(),
    feedback: new Tally(),
    ratings: new Tally(),
    yes: new Tally()
  }
  private readonly usersIn = new Map<string, Set<string>>()
  private readonly returningIn = new Map<string, Set<string>>()
  private readonly services = new Tally()
  private readonly overall = new TimingCounts()
  // across the log
  private readonly cardOf = new Map<string, string>()
  private readonly seen = new Set<string>()
  private readonly announced = new Map<string, string>()
  /** Orders counted as ready: where, and whether by their load or by a counter handover. */
  private readonly ready = new Map<string, { readonly key: string; readonly loaded: boolean }>()

  constructor(readonly config: AnalyticsConfig) {
    this.schedule = weekSchedule(config.officeHours)
  }

  /** The summary of `records` (any order), built by the fold. */
  static fromRecords(records: ReadonlyArray<EventRecord>, config: AnalyticsConfig): SummaryAccumulator {
    const acc = new SummaryAccumulator(config)
    for (const r of inTimeOrder(records)) acc.add(r)
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
    if (ms !== this.lastMs) this.lastSeq = undefined
    this.lastMs = ms
    if (r.seq !== undefined) this.lastSeq = r.seq
    this.events += 1
    if (this.first === null) this.first = r.at
    this.last = r.at
    const tz = this.config.timeZone
    const local = localOf(r, tz)
    const month = local.monthKey
    if (this.firstMonth === null || month < this.firstMonth) this.firstMonth = month
    if (this.lastMonth === null || month > this.lastMonth) this.lastMonth = month
    let site = this.sites.get(r.site)
    if (site === undefined) {
      site = new SiteState()
      site.firstMonth = month
      this.sites.set(r.site, site)
    }
    const key = siteMonth(r.site, month)
    const t = this.t
    const e = r.event
    // readiness (usage.ts readyEvents)
    if (e._tag === "OrderAnnounced" && !this.announced.has(e.orderId)) this.announced.set(e.orderId, key)
    if (e._tag === "OrderLoaded") {
      const before = this.ready.get(e.orderId)
      if (before === undefined || !before.loaded) {
        // a handover counted before the order turned out to be loaded no longer counts
        if (before !== undefined) t.ready.add(before.key, -1)
        this.ready.set(e.orderId, { key, loaded: true })
        t.ready.add(key)
      }
    }
    if (e._tag === "CounterHandover" && !this.ready.has(e.orderId)) {
      const at = this.announced.get(e.orderId) ?? key
      this.ready.set(e.orderId, { key: at, loaded: false })
      t.ready.add(at)
    }
    if (e._tag === "PickupCompleted") t.terminal.add(key)
    if (e._tag === "CounterHandover") {
      t.counter.add(key)
      site.handoversByHour[local.hourOfWeek]! += 1
    }
    // uses (usage.ts terminalUses)
    if (e._tag === "CardSessionStarted") this.cardOf.set(e.sessionId, e.cardKey)
    if (e._tag === "PickupCompleted" || e._tag === "ApplicationSubmitted") {
      const cardKey = this.cardOf.get(e.sessionId) ?? null
      const first = cardKey !== null && !this.seen.has(cardKey)
      if (cardKey !== null) this.seen.add(cardKey)
      t.uses.add(key)
      if (e._tag === "ApplicationSubmitted") t.applications.add(key)
      if (cardKey !== null) {
        addTo(this.usersIn, key, cardKey)
        if (first) t.firsts.add(key)
        else addTo(this.returningIn, key, cardKey)
        const n = (site.perUser.get(cardKey) ?? 0) + 1
        site.perUser.set(cardKey, n)
        if (n === 2) site.repeatUsers += 1
      }
      site.uses += 1
      if (e._tag === "PickupCompleted") site.pickupUses += 1
      const c = classifyTime(local, this.schedule, this.config.officeHours)
      site.timing.count(local.hourOfWeek, c)
      this.overall.count(local.hourOfWeek, c)
    }
    if (e._tag === "ApplicationSubmitted") this.services.add(`${key}\u0000${e.serviceId}`)
    // summary.ts extraColumns
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
    // funnel.ts
    site.count.add(e._tag)
    switch (e._tag) {
      case "CardSessionStarted":
        if (!site.sessions.has(e.sessionId)) {
          site.sessions.add(e.sessionId)
          if (!site.used.has(e.sessionId)) site.sessionsWithoutUse += 1
        }
        break
      case "PickupCompleted":
      case "ApplicationSubmitted":
        if (!site.used.has(e.sessionId)) {
          site.used.add(e.sessionId)
          if (site.sessions.has(e.sessionId)) site.sessionsWithoutUse -= 1
          if (site.scanned.has(e.sessionId)) site.scannedWithoutUse -= 1
        }
        break
      case "AttachmentScanned":
        if (!site.scanned.has(e.sessionId)) {
          site.scanned.add(e.sessionId)
          if (!site.used.has(e.sessionId)) site.scannedWithoutUse += 1
        }
        break
      case "PickupAbandoned":
        site.steps[e.step] += 1
        site.reasons.add(e.reason)
        break
      case "PickupIdentifyFailed":
        site.identify.add(e.reason)
        break
      case "CodeRejected":
        if (e.reason === "wrong") {
          site.count.add("wrong")
          site.wrongPickups.add(`${e.sessionId}|${e.orderId}`)
        }
        if (e.reason === "expired") site.count.add("expired")
        break
      default:
        break
    }
    // feedback.ts
    if (e._tag === "FeedbackGiven") {
      site.ratings[e.rating - 1]! += 1
      site.recommend[e.recommend] += 1
      site.byContext[e.context] += 1
      site.ratingSum += e.rating
      site.responses += 1
    }
    // reliability.ts
    if (e._tag === "AlarmRaised") site.alarms[e.kind] += 1
    if (e._tag === "DeviceStatusChanged") {
      if (!e.online) {
        site.offline[e.device] += 1
        if (!site.since.has(e.device)) site.since.set(e.device, ms)
      } else if (site.since.has(e.device)) {
        site.offlineHours[e.device] += (ms - site.since.get(e.device)!) / 3_600_000
        site.since.delete(e.device)
      }
    }
    return true
  }

  /** Equal to `summarise` over every record added. */
  summary(): LogSummary {
    const config = this.config
    const t = this.t
    const sites = [...this.sites.keys()].sort()
    const months = this.firstMonth === null || this.lastMonth === null ? [] : monthRange(this.firstMonth, this.lastMonth)
    const siteMonths = sites.flatMap((site) =>
      months.map((month): SiteMonthRow => {
        const key = siteMonth(site, month)
        const pickupsTerminal = t.terminal.get(key)
        const pickupsCounter = t.counter.get(key)
        return {
          site,
          month,
          documentsReady: t.ready.get(key),
          pickupsTerminal,
          pickupsCounter,
          terminalShare: ratio(pickupsTerminal, pickupsTerminal + pickupsCounter),
          uses: t.uses.get(key),
          applications: t.applications.get(key),
          users: this.usersIn.get(key)?.size ?? 0,
          firstTimeUsers: t.firsts.get(key),
          returningUsers: this.returningIn.get(key)?.size ?? 0,
          counterMinutesSaved: pickupsTerminal * config.queue.minutesPerHandover,
          pickupsAbandoned: t.abandoned.get(key),
          codeEntries: t.entries.get(key),
          wrongCodes: t.wrong.get(key),
          deviceFailures: t.failures.get(key),
          alarms: t.alarms.get(key),
          feedbackResponses: t.feedback.get(key),
          meanRating: ratio(t.ratings.get(key), t.feedback.get(key)),
          recommendYes: t.yes.get(key)
        }
      })
    )
    const weeks = this.first !== null && this.last !== null ? (Date.parse(this.last) - Date.parse(this.first)) / WEEK : 0
    const state = (site: string) => this.sites.get(site)!
    const siteTotals = sites.map((site): SiteTotals => {
      const s = state(site)
      const rows = siteMonths.filter((r) => r.site === site)
      const pickupsTerminal = sum(rows.map((r) => r.pickupsTerminal))
      const pickupsCounter = sum(rows.map((r) => r.pickupsCounter))
      return {
        site,
        firstMonth: s.firstMonth,
        documentsReady: sum(rows.map((r) => r.documentsReady)),
        pickupsTerminal,
        pickupsCounter,
        terminalShare: ratio(pickupsTerminal, pickupsTerminal + pickupsCounter),
        uses: s.uses,
        applications: sum(rows.map((r) => r.applications)),
        pickupShareOfUses: ratio(s.pickupUses, s.uses),
        users: s.perUser.size,
        repeatUsers: s.repeatUsers,
        repeatRate: ratio(s.repeatUsers, s.perUser.size),
        counterMinutesSaved: sum(rows.map((r) => r.counterMinutesSaved))
      }
    })
    const fractions = openFractions(this.schedule)
    const queue = sites.map((site) =>
      queueRelief({
        site,
        counterByHour: [...state(site).handoversByHour],
        terminalPickups: siteTotals.find((s) => s.site === site)?.pickupsTerminal ?? 0,
        documentsReady: siteTotals.find((s) => s.site === site)?.documentsReady ?? 0,
        weeks,
        openFractions: fractions,
        config: queueOf(config, site)
      })
    )
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
      funnels: sites.map((site) => funnelOf(site, state(site))),
      applications: this.services.entries().map(([key, count]) => {
        const [site, month, serviceId] = key.split("\u0000") as [string, string, string]
        return { site, month, serviceId, count }
      }),
      feedback: sites.map((site) => feedbackOf(site, state(site))),
      reliability: sites.map((site) => reliabilityOf(site, state(site), endMs)),
      queue
    }
  }
}

const addTo = (map: Map<string, Set<string>>, key: string, card: string) => {
  const set = map.get(key) ?? new Set<string>()
  set.add(card)
  map.set(key, set)
}

const funnelOf = (site: string, s: SiteState): Funnel => {
  const count = s.count
  const codeEntries = count.get("CodeVerified") + count.get("CodeRejected")
  const pickupsStarted = count.get("PickupStarted")
  return {
    site,
    sessions: s.sessions.size,
    pickupsStarted,
    codesVerified: count.get("CodeVerified"),
    oldDocumentsReceived: count.get("OldDocumentReceived"),
    pickupsCompleted: count.get("PickupCompleted"),
    pickupsAbandoned: count.get("PickupAbandoned"),
    abandonedByStep: { ...s.steps },
    abandonedByReason: s.reasons.entries().map(([reason, n]) => ({ reason, count: n })),
    identifyFailed: s.identify.entries().map(([reason, n]) => ({ reason, count: n })),
    sessionsWithoutUse: s.sessionsWithoutUse,
    applicationsNotSubmitted: s.scannedWithoutUse,
    codeEntries,
    wrongCodes: count.get("wrong"),
    expiredCodes: count.get("expired"),
    wrongCodeRate: ratio(count.get("wrong"), codeEntries),
    pickupsWithWrongCode: s.wrongPickups.size,
    shareOfPickupsWithWrongCode: ratio(s.wrongPickups.size, pickupsStarted),
    ordersLocked: count.get("OrderLocked")
  }
}

const feedbackOf = (site: string, s: SiteState): FeedbackSummary => ({
  site,
  responses: s.responses,
  meanRating: ratio(s.ratingSum, s.responses),
  ratings: [...s.ratings],
  recommend: { ...s.recommend },
  recommendShare: ratio(s.recommend.yes, s.responses),
  byContext: { ...s.byContext }
})

const reliabilityOf = (site: string, s: SiteState, endMs: number): Reliability => {
  const hours = { ...s.offlineHours }
  for (const [device, t] of s.since) hours[device] += Math.max(0, endMs - t) / 3_600_000
  const count = s.count
  const failures = Object.values(s.offline).reduce((a, b) => a + b, 0) +
    count.get("CompartmentOpenFailed") + count.get("CardReadFailed") +
    count.get("NotificationFailed") + count.get("ApplicationDeliveryFailed")
  return {
    site,
    offline: { ...s.offline },
    offlineHours: hours,
    doorOpenFailures: count.get("CompartmentOpenFailed"),
    cardReadFailures: count.get("CardReadFailed"),
    smsFailures: count.get("NotificationFailed"),
    deliveryFailures: count.get("ApplicationDeliveryFailed"),
    compartmentsOutOfService: count.get("CompartmentOutOfService"),
    deviceFailures: failures,
    alarms: { ...s.alarms },
    alarmsTotal: count.get("AlarmRaised")
  }
}

/** What `analyseReplicate` answers for a log without a survey, from its summary. */
export const replicateOfSummary = (replicate: number, summary: LogSummary, config: AnalyticsConfig): ReplicateResult => ({
  replicate,
  summary,
  survey: null,
  observation: observe(summary, null, config),
  skipped: 0
})

/** The report of one terminal's log from its running summary: `buildReport` of one replicate. */
export const reportOf = (acc: SummaryAccumulator, generatedAt: string, source: ReportSource): Report =>
  buildReport({ generatedAt, source, config: acc.config, replicates: [replicateOfSummary(1, acc.summary(), acc.config)] })
