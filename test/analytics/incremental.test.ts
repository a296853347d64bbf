/**
 * The running summary (analytics/incremental.ts) against the full
 * recomputation: for random event logs built from the test generators
 * (support/build.ts pieces with colliding ids, and fixture replicates with
 * random seeds), the summary read after every prefix and the report are
 * exactly what `summarise` and `buildReport` answer over all records so far.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type AnalyticsConfig, defaultAnalyticsConfig } from "../../analytics/config.ts"
import { reportOf, SummaryAccumulator } from "../../analytics/incremental.ts"
import { type EventRecord, inTimeOrder } from "../../analytics/records.ts"
import { analyseReplicate, buildReport } from "../../analytics/run.ts"
import { summarise } from "../../analytics/summary.ts"
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

/** Every record added in turn; the summary checked at a few prefixes and at the end. */
const checkPrefixes = (records: ReadonlyArray<EventRecord>, config: AnalyticsConfig, every: number) => {
  const acc = new SummaryAccumulator(config)
  records.forEach((r, i) => {
    expect(acc.add(r)).toBe(true)
    if (i % every === every - 1) same(acc.summary(), summarise(records.slice(0, i + 1), config))
  })
  same(acc.summary(), summarise(records, config))
  return acc
}

describe("the running summary equals summarise over all records", () => {
  it("on logs built from the test pieces, after every prefix", () => {
    fc.assert(
      fc.property(built, fc.constantFrom(...configs), (records, config) => {
        checkPrefixes(records, config, 1)
      }),
      { numRuns: 150 }
    )
  })

  it("on fixture replicates with random seeds", () => {
    fc.assert(
      fc.property(fixture, fc.constantFrom(...configs), (records, config) => {
        checkPrefixes(records, config, 97)
      }),
      { numRuns: 12 }
    )
  })

  it("the report equals buildReport of analyseReplicate over all records", () => {
    fc.assert(
      fc.property(fc.oneof(built, fixture), fc.constantFrom(...configs), (records, config) => {
        const acc = SummaryAccumulator.fromRecords(records, config)
        const source = { kind: "db" as const, path: "test / T1", scenario: null }
        same(
          reportOf(acc, "2024-06-01T00:00:00.000Z", source),
          buildReport({ generatedAt: "2024-06-01T00:00:00.000Z", source, config, replicates: [analyseReplicate(1, records, null, config)] })
        )
      }),
      { numRuns: 40 }
    )
  })

  it("refuses a record older than the last one; built from records in any order it still matches", () => {
    fc.assert(
      fc.property(built.filter((rs) => rs.length > 1), fc.boolean(), fc.func(fc.integer()), (records, keepSeq, key) => {
        const shuffled = records
          .map((r, i) => ({ r: keepSeq ? r : { at: r.at, site: r.site, terminal: r.terminal, event: r.event }, k: key(i) }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r)
        same(SummaryAccumulator.fromRecords(shuffled, defaultAnalyticsConfig).summary(), summarise(shuffled, defaultAnalyticsConfig))
        const acc = new SummaryAccumulator(defaultAnalyticsConfig)
        const last = records[records.length - 1]!
        const firstRecord = records[0]!
        acc.add(last)
        if (Date.parse(firstRecord.at) < Date.parse(last.at)) expect(acc.add(firstRecord)).toBe(false)
        expect(acc.size).toBe(Date.parse(firstRecord.at) < Date.parse(last.at) ? 1 : acc.size)
      }),
      { numRuns: 60 }
    )
  })

  it("an empty log", () => {
    same(new SummaryAccumulator(defaultAnalyticsConfig).summary(), summarise([], defaultAnalyticsConfig))
  })
})
