/**
 * The running summary (`SummaryAccumulator`, analytics/summary.ts), the one
 * implementation of the log summary that `summarise` folds with and the live
 * dashboard keeps between requests:
 * - on small hand-built logs, the exact figures worked out by hand;
 * - for random logs (support/build.ts pieces with colliding ids, and fixture
 *   replicates with random seeds), feeding the records in chunks, reading the
 *   summary after each as the dashboard does when new events arrive, answers
 *   what feeding them at once answers; a deliberately broken accumulator that
 *   forgets across chunks makes that property fail;
 * - out-of-order records are refused, and the report is `buildReport` of the
 *   replicate `analyseReplicate` answers.
 */
import fc from "fast-check"
import { isDeepStrictEqual } from "node:util"
import { describe, expect, it } from "vitest"
import { type AnalyticsConfig, defaultAnalyticsConfig } from "../../analytics/config.ts"
import { reportOf, SummaryAccumulator } from "../../analytics/incremental.ts"
import { openFractions, weekSchedule } from "../../analytics/officeHours.ts"
import { queueRelief } from "../../analytics/queue.ts"
import { type EventRecord, inTimeOrder } from "../../analytics/records.ts"
import { analyseReplicate, buildReport } from "../../analytics/run.ts"
import { type LogSummary, summarise } from "../../analytics/summary.ts"
import { alarmId, announced, app, application, box, counter, loaded, ord, pickupEvents, rec, ses } from "../../analytics/synthetic/build.ts"
import { fixtureEvents, statusQuo } from "../../analytics/synthetic/fixture.ts"
import type { TerminalEvent } from "../../core/domain/events.ts"

const START = Date.UTC(2024, 0, 1)
const SPAN = 400 * 86_400_000 // a year and more: both daylight-saving changes, holidays, a year boundary
const sites = ["Mayen", "Mendig", "Vallendar"] as const
const cards = ["card-a", "card-b", "card-c", "card-d"] as const

/** Small id pools, so orders are loaded after a handover, sessions reused, cards come back. */
const piece = fc.record({
  kind: fc.integer({ min: 0, max: 19 }),
  t: fc.integer({ min: 0, max: SPAN }),
  site: fc.constantFrom(...sites),
  s: fc.integer({ min: 1, max: 8 }),
  o: fc.integer({ min: 1, max: 8 }),
  card: fc.constantFrom(...cards),
  n: fc.integer({ min: 0, max: 4 }),
  flag: fc.boolean()
})

const one = (at: string, site: string, event: TerminalEvent) => [rec(at, site, event)]

const expand = (p: typeof piece extends fc.Arbitrary<infer A> ? A : never): ReadonlyArray<EventRecord> => {
  const at = new Date(START + p.t).toISOString()
  const { site, s, o, card, n, flag } = p
  switch (p.kind) {
    case 0:
    case 1:
      return pickupEvents(at, site, s, o, card, n % 3)
    case 2:
      return loaded(at, site, o)
    case 3:
      return [announced(at, site, o)]
    case 4:
    case 5:
      return [counter(at, site, o)]
    case 6:
      return application(at, site, s, o, card, ["dog-registration", "bulky-waste", "water-pipe-burst"][n % 3]!)
    case 7:
      return one(at, site, {
        _tag: "PickupAbandoned",
        sessionId: ses(s),
        orderId: flag ? ord(o) : null,
        step: (["identify", "code", "intake", "open", "take", "close"] as const)[n % 6]!,
        reason: flag ? "timeout" : "no-old-document"
      })
    case 8:
      return one(at, site, { _tag: "PickupIdentifyFailed", sessionId: ses(s), reason: (["unknown", "not_ready", "locked", "throttled"] as const)[n % 4]! })
    case 9:
      return one(at, site, { _tag: "CodeRejected", sessionId: ses(s), orderId: ord(o), reason: (["wrong", "expired", "used"] as const)[n % 3]!, attempt: 1 })
    case 10:
      return one(at, site, {
        _tag: "FeedbackGiven",
        sessionId: ses(s),
        context: (["pickup", "application", "other"] as const)[n % 3]!,
        rating: 1 + n,
        recommend: (["yes", "no", "unsure"] as const)[n % 3]!
      })
    case 11:
      return one(at, site, {
        _tag: "AlarmRaised",
        alarmId: alarmId(o),
        kind: (["door_left_open", "jam", "device_offline", "storage"] as const)[n % 4]!,
        compartmentId: flag ? box(o) : null,
        detail: "x"
      })
    case 12:
    case 13:
      return one(at, site, { _tag: "DeviceStatusChanged", device: (["locker", "card", "sms", "scanner", "authority"] as const)[n]!, online: flag, detail: "x" })
    case 14:
      return one(at, site, { _tag: "CompartmentOpenFailed", compartmentId: flag ? box(o) : null, attempt: 1, reason: "x" })
    case 15:
      return one(at, site, flag ? { _tag: "CardReadFailed", reason: "x" } : { _tag: "NotificationFailed", orderId: ord(o), kind: "ready", reason: "x" })
    case 16:
      return one(
        at,
        site,
        flag ? { _tag: "ApplicationDeliveryFailed", applicationId: app(o), attempts: 3, reason: "x" } : { _tag: "OrderLocked", orderId: ord(o) }
      )
    case 17:
      return one(at, site, { _tag: "AttachmentScanned", sessionId: ses(s), pages: 1, bytes: 100 })
    case 18:
      return one(at, site, { _tag: "CardSessionStarted", sessionId: ses(s), cardKey: card })
    default:
      return one(
        at,
        site,
        flag
          ? { _tag: "CompartmentOutOfService", compartmentId: box(o), reason: "x", by: null }
          : { _tag: "PickupCompleted", sessionId: ses(s), orderId: ord(o), documentKind: "id-card", durationMs: 1000 }
      )
  }
}

/** A log in time order, numbered like a terminal's (seq follows time). */
const numbered = (records: ReadonlyArray<EventRecord>): ReadonlyArray<EventRecord> => inTimeOrder(records).map((r, i) => ({ ...r, seq: i + 1 }))

const built = fc.array(piece, { minLength: 0, maxLength: 60 }).map((ps) => numbered(ps.flatMap(expand)))

const fixture = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), months: fc.integer({ min: 1, max: 3 }), replicate: fc.integer({ min: 1, max: 3 }) })
  .map(({ seed, months, replicate }) =>
    numbered(fixtureEvents({
      ...statusQuo,
      seed,
      months,
      sites: statusQuo.sites.map((s) => ({ ...s, ordersPerMonth: Math.ceil(s.ordersPerMonth / 8) }))
    }, replicate))
  )

const configs: ReadonlyArray<AnalyticsConfig> = [
  defaultAnalyticsConfig,
  {
    ...defaultAnalyticsConfig,
    timeZone: "Europe/London",
    queue: { ...defaultAnalyticsConfig.queue, minutesPerHandover: 3.5 },
    siteQueues: { Mayen: { minutesPerHandover: 7, servers: 1, serviceMinutes: 12, otherArrivalsPerHour: 4.5 } }
  }
]

const same = (a: unknown, b: unknown) => {
  expect(a).toStrictEqual(b)
  expect(JSON.stringify(a)).toBe(JSON.stringify(b))
}

const config = defaultAnalyticsConfig
const noDevices = { locker: 0, card: 0, sms: 0, scanner: 0, authority: 0 }
const noSteps = { identify: 0, code: 0, intake: 0, open: 0, take: 0, close: 0 }
const noAlarms = {
  door_left_open: 0,
  jam: 0,
  device_offline: 0,
  delivery_failed: 0,
  order_locked: 0,
  reconciliation: 0,
  sms_failed: 0,
  intake_left_open: 0,
  intake_blocked: 0,
  storage: 0,
  order_recalled: 0
}
const week = (slots: Record<number, number>) => Array.from({ length: 168 }, (_, i) => slots[i] ?? 0)
const device = (at: string, site: string, d: "locker" | "scanner", online: boolean) =>
  rec(at, site, { _tag: "DeviceStatusChanged", device: d, online, detail: "test" })

describe("the summary of small logs, worked out by hand", () => {
  // Wednesday 10 April 2024 in Mayen (CEST, UTC+2; office open 07:30–12:00 and 13:00–16:00).
  // Four documents ready: orders 1–3 loaded, order 5 only announced and handed over at the counter.
  // Three pickups at the terminal: card a at 09:00 local, card b at 13:00 (one wrong code first),
  // card a again at 19:00 for order 3, after card c gave up on it at the intake slot at 17:00.
  // The locker offline from 11:00 to 12:30 local: 1.5 hours. One rating (4, would recommend).
  const A = "Mayen"
  const day = [
    ...loaded("2024-04-10T06:00:00Z", A, 1),
    ...loaded("2024-04-10T06:00:00Z", A, 2),
    ...loaded("2024-04-10T06:00:00Z", A, 3),
    announced("2024-04-10T06:00:00Z", A, 5),
    ...pickupEvents("2024-04-10T07:00:00Z", A, 1, 1, "card-a"),
    counter("2024-04-10T08:00:00Z", A, 5),
    device("2024-04-10T09:00:00Z", A, "locker", false),
    device("2024-04-10T10:30:00Z", A, "locker", true),
    ...pickupEvents("2024-04-10T11:00:00Z", A, 2, 2, "card-b", 1),
    rec("2024-04-10T11:01:00Z", A, { _tag: "FeedbackGiven", sessionId: ses(2), context: "pickup", rating: 4, recommend: "yes" }),
    rec("2024-04-10T15:00:00Z", A, { _tag: "CardSessionStarted", sessionId: ses(3), cardKey: "card-c" }),
    rec("2024-04-10T15:00:00Z", A, { _tag: "PickupStarted", sessionId: ses(3), orderId: ord(3) }),
    rec("2024-04-10T15:00:00Z", A, { _tag: "CodeVerified", sessionId: ses(3), orderId: ord(3) }),
    rec("2024-04-10T15:01:00Z", A, { _tag: "PickupAbandoned", sessionId: ses(3), orderId: ord(3), step: "intake", reason: "no-old-document" }),
    rec("2024-04-10T15:01:00Z", A, { _tag: "CardSessionEnded", sessionId: ses(3), reason: "timeout" }),
    ...pickupEvents("2024-04-10T17:00:00Z", A, 4, 3, "card-a")
  ]

  it("a day with three pickups, one abandoned, one counter handover and an outage of 1.5 hours", () => {
    const s = summarise(day, config)
    expect(s).toMatchObject({ events: 35, first: "2024-04-10T06:00:00Z", last: "2024-04-10T17:00:00Z", sites: [A], months: ["2024-04"] })
    expect(s.siteMonths).toStrictEqual([{
      site: A,
      month: "2024-04",
      documentsReady: 4,
      pickupsTerminal: 3,
      pickupsCounter: 1,
      terminalShare: 0.75,
      uses: 3,
      applications: 0,
      users: 2,
      firstTimeUsers: 2,
      returningUsers: 1,
      counterMinutesSaved: 15,
      pickupsAbandoned: 1,
      codeEntries: 5,
      wrongCodes: 1,
      deviceFailures: 1,
      alarms: 0,
      feedbackResponses: 1,
      meanRating: 4,
      recommendYes: 1
    }])
    expect(s.siteTotals).toStrictEqual([{
      site: A,
      firstMonth: "2024-04",
      documentsReady: 4,
      pickupsTerminal: 3,
      pickupsCounter: 1,
      terminalShare: 0.75,
      uses: 3,
      applications: 0,
      pickupShareOfUses: 1,
      users: 2,
      repeatUsers: 1,
      repeatRate: 0.5,
      counterMinutesSaved: 15
    }])
    // Wednesday is day 2: hours 2 × 24 + 9, + 13 and + 19; only the one at 19:00 is outside office hours
    const timing = {
      uses: 3,
      hourOfWeek: week({ 57: 1, 61: 1, 67: 1 }),
      outsideOfficeHours: 1,
      weekend: 0,
      holiday: 0,
      weekendOrHoliday: 0,
      shareOutsideOfficeHours: 1 / 3,
      shareWeekend: 0,
      shareHoliday: 0,
      shareWeekendOrHoliday: 0
    }
    expect(s.timing).toStrictEqual([{ site: A, ...timing }])
    expect(s.timingOverall).toStrictEqual({ site: "all", ...timing })
    expect(s.funnels).toStrictEqual([{
      site: A,
      sessions: 4,
      pickupsStarted: 4,
      codesVerified: 4,
      oldDocumentsReceived: 3,
      pickupsCompleted: 3,
      pickupsAbandoned: 1,
      abandonedByStep: { ...noSteps, intake: 1 },
      abandonedByReason: [{ reason: "no-old-document", count: 1 }],
      identifyFailed: [],
      sessionsWithoutUse: 1,
      applicationsNotSubmitted: 0,
      codeEntries: 5,
      wrongCodes: 1,
      expiredCodes: 0,
      wrongCodeRate: 0.2,
      pickupsWithWrongCode: 1,
      shareOfPickupsWithWrongCode: 0.25,
      ordersLocked: 0
    }])
    expect(s.reliability).toStrictEqual([{
      site: A,
      offline: { ...noDevices, locker: 1 },
      offlineHours: { ...noDevices, locker: 1.5 },
      doorOpenFailures: 0,
      cardReadFailures: 0,
      smsFailures: 0,
      deliveryFailures: 0,
      compartmentsOutOfService: 0,
      deviceFailures: 1,
      alarms: noAlarms,
      alarmsTotal: 0
    }])
    expect(s.feedback).toStrictEqual([{
      site: A,
      responses: 1,
      meanRating: 4,
      ratings: [0, 0, 0, 1, 0],
      recommend: { yes: 1, no: 0, unsure: 0 },
      recommendShare: 1,
      byContext: { pickup: 1, application: 0, other: 0 }
    }])
    expect(s.applications).toStrictEqual([])
    // the counter model gets the handover at 10:00 local, the day's pickups and documents, 11 hours of log
    expect(s.queue).toStrictEqual([queueRelief({
      site: A,
      counterByHour: week({ 58: 1 }),
      terminalPickups: 3,
      documentsReady: 4,
      weeks: 11 / 168,
      openFractions: openFractions(weekSchedule(config.officeHours)),
      config: config.queue
    })])
  })

  it("local months, a first use at another site, a handover before the load, an outage still open at the end", () => {
    // Card a's first use is in Mendig on 31 May. Order 7 is handed over at the counter in Mayen late on
    // 31 May and only then loaded, on 1 June: it is ready at its load. Card a's pickup in Mayen at
    // 22:30 UTC is 00:30 local on 1 June: a June use, by a returning user. The scanner goes offline
    // at 10:00 UTC on 1 June and is still offline when the log ends at 16:00: 6 hours.
    const log = [
      ...pickupEvents("2024-05-31T12:00:00Z", "Mendig", 1, 1, "card-a"),
      announced("2024-05-31T21:30:00Z", "Mayen", 7),
      counter("2024-05-31T21:45:00Z", "Mayen", 7),
      ...pickupEvents("2024-05-31T22:30:00Z", "Mayen", 2, 2, "card-a"),
      ...loaded("2024-06-01T08:00:00Z", "Mayen", 7),
      device("2024-06-01T10:00:00Z", "Mayen", "scanner", false),
      ...application("2024-06-01T16:00:00Z", "Mendig", 3, 1, "card-b", "dog-registration")
    ]
    const s = summarise(log, config)
    expect(s.sites).toEqual(["Mayen", "Mendig"])
    expect(s.months).toEqual(["2024-05", "2024-06"])
    const row = (site: string, month: string) => s.siteMonths.find((r) => r.site === site && r.month === month)
    expect(row("Mayen", "2024-05")).toMatchObject({ documentsReady: 0, pickupsTerminal: 0, pickupsCounter: 1, terminalShare: 0, uses: 0, users: 0 })
    expect(row("Mayen", "2024-06")).toMatchObject({
      documentsReady: 1,
      pickupsTerminal: 1,
      pickupsCounter: 0,
      terminalShare: 1,
      uses: 1,
      users: 1,
      firstTimeUsers: 0,
      returningUsers: 1,
      deviceFailures: 1
    })
    expect(row("Mendig", "2024-05")).toMatchObject({ pickupsTerminal: 1, uses: 1, users: 1, firstTimeUsers: 1, returningUsers: 0 })
    expect(row("Mendig", "2024-06")).toMatchObject({ uses: 1, applications: 1, users: 1, firstTimeUsers: 1 })
    expect(s.siteTotals.map((t) => [t.site, t.firstMonth, t.documentsReady, t.uses, t.users, t.repeatUsers, t.pickupShareOfUses])).toEqual([
      ["Mayen", "2024-05", 1, 1, 1, 0, 1],
      ["Mendig", "2024-05", 0, 2, 2, 0, 0.5]
    ])
    expect(s.applications).toEqual([{ site: "Mendig", month: "2024-06", serviceId: "dog-registration", count: 1 }])
    expect(s.funnels.map((f) => [f.site, f.sessions, f.sessionsWithoutUse, f.applicationsNotSubmitted])).toEqual([["Mayen", 1, 0, 0], ["Mendig", 2, 0, 0]])
    expect(s.reliability[0]).toMatchObject({
      site: "Mayen",
      offline: { ...noDevices, scanner: 1 },
      offlineHours: { ...noDevices, scanner: 6 },
      deviceFailures: 1
    })
    expect(s.reliability[1]).toMatchObject({ site: "Mendig", offlineHours: noDevices, deviceFailures: 0 })
  })

  it("an empty log: nothing, and every share null", () => {
    const s = new SummaryAccumulator(config).summary()
    expect(s).toStrictEqual({
      events: 0,
      first: null,
      last: null,
      sites: [],
      months: [],
      siteMonths: [],
      siteTotals: [],
      timing: [],
      timingOverall: {
        site: "all",
        uses: 0,
        hourOfWeek: week({}),
        outsideOfficeHours: 0,
        weekend: 0,
        holiday: 0,
        weekendOrHoliday: 0,
        shareOutsideOfficeHours: null,
        shareWeekend: null,
        shareHoliday: null,
        shareWeekendOrHoliday: null
      },
      funnels: [],
      applications: [],
      feedback: [],
      reliability: [],
      queue: []
    })
    same(summarise([], config), s)
  })
})

/** What the dashboard holds between requests: records go in, the summary is read after each batch. */
interface Running {
  add(r: EventRecord): boolean
  summary(): LogSummary
}

/**
 * A broken running summary: it forgets everything it folded whenever its
 * summary is read, as if every request started a fresh accumulator.
 */
class Forgetful implements Running {
  private acc: SummaryAccumulator
  constructor(private readonly config: AnalyticsConfig) {
    this.acc = new SummaryAccumulator(config)
  }
  add(r: EventRecord): boolean {
    return this.acc.add(r)
  }
  summary(): LogSummary {
    const s = this.acc.summary()
    this.acc = new SummaryAccumulator(this.config)
    return s
  }
}

/** A log and where to cut it into consecutive chunks (some may be empty). */
const split = fc.oneof(built, fixture).chain((records) =>
  fc.array(fc.integer({ min: 0, max: records.length }), { maxLength: 8 }).map((cuts) => {
    const ends = [...cuts].sort((a, b) => a - b)
    const chunks = [...ends, records.length].map((end, i) => records.slice(i === 0 ? 0 : ends[i - 1]!, end))
    return { records, chunks }
  })
)

/** Whether feeding the chunks one after another, reading the summary after each, ends where feeding all at once does. */
const chunkedIsWhole = (
  make: (config: AnalyticsConfig) => Running,
  { chunks, records }: { readonly chunks: ReadonlyArray<ReadonlyArray<EventRecord>>; readonly records: ReadonlyArray<EventRecord> },
  config: AnalyticsConfig
): boolean => {
  const once = make(config)
  for (const r of records) once.add(r)
  const running = make(config)
  const read = chunks.map((chunk) => {
    for (const r of chunk) running.add(r)
    return running.summary()
  })
  return isDeepStrictEqual(read[read.length - 1], once.summary())
}

const chunksProperty = (make: (config: AnalyticsConfig) => Running) =>
  fc.property(split, fc.constantFrom(...configs), (log, config) => chunkedIsWhole(make, log, config))

const accumulator = (config: AnalyticsConfig) => new SummaryAccumulator(config)

describe("fed in chunks, as the dashboard feeds new events", () => {
  it("any split of a log gives the summary of feeding it at once", () => {
    fc.assert(chunksProperty(accumulator), { numRuns: 150 })
  })

  it("the check can fail: an accumulator that forgets across chunks is caught", () => {
    const result = fc.check(chunksProperty((c) => new Forgetful(c)), { numRuns: 150, seed: 20240101 })
    expect(result.failed).toBe(true)
    // the counterexample has events in two chunks at least, and the real accumulator passes on it
    const [log, config] = result.counterexample!
    expect(log.chunks.filter((c) => c.length > 0).length).toBeGreaterThanOrEqual(2)
    expect(chunkedIsWhole((c) => new Forgetful(c), log, config)).toBe(false)
    expect(chunkedIsWhole(accumulator, log, config)).toBe(true)
  })

  it("the report read after the chunks is the report of the whole log", () => {
    fc.assert(
      fc.property(split, ({ chunks, records }) => {
        const acc = new SummaryAccumulator(config)
        for (const chunk of chunks) for (const r of chunk) acc.add(r)
        const source = { kind: "db" as const, path: "test / T1", scenario: null }
        same(
          reportOf(acc, "2024-06-01T00:00:00.000Z", source),
          buildReport({ generatedAt: "2024-06-01T00:00:00.000Z", source, config, replicates: [analyseReplicate(1, records, null, config)] })
        )
      }),
      { numRuns: 30 }
    )
  })
})

describe("records out of time order", () => {
  it("are refused and leave the summary as it was; fromRecords sorts any order first", () => {
    fc.assert(
      fc.property(built.filter((rs) => rs.length > 1), fc.boolean(), fc.func(fc.integer()), (records, keepSeq, key) => {
        const first = records[0]!
        const last = records[records.length - 1]!
        const acc = new SummaryAccumulator(config)
        for (const r of records) expect(acc.add(r)).toBe(true)
        const before = acc.summary()
        if (Date.parse(first.at) < Date.parse(last.at)) {
          expect(acc.accepts(first)).toBe(false)
          expect(acc.add(first)).toBe(false)
          expect(acc.size).toBe(records.length)
          same(acc.summary(), before)
        }
        const shuffled = records
          .map((r, i) => ({ r: keepSeq ? r : { at: r.at, site: r.site, terminal: r.terminal, event: r.event }, k: key(i) }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r)
        const sorted = new SummaryAccumulator(config)
        for (const r of inTimeOrder(shuffled)) sorted.add(r)
        same(SummaryAccumulator.fromRecords(shuffled, config).summary(), sorted.summary())
      }),
      { numRuns: 60 }
    )
  })
})
