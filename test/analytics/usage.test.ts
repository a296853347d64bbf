/**
 * Per site and month: documents ready, terminal vs. counter, share, uses,
 * first and repeat users, applications by service, minutes saved.
 */
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { parseNdjson } from "../../analytics/records.ts"
import { summarise } from "../../analytics/summary.ts"
import { announced, application, counter, loaded, pickupEvents, rec, ses, toNdjson } from "../../analytics/synthetic/build.ts"
import { applicationsByService, siteMonthUsage, terminalUses } from "../../analytics/usage.ts"

const config = defaultAnalyticsConfig
const usage = (records: Parameters<typeof siteMonthUsage>[0]) => siteMonthUsage(records, config.timeZone, config.queue)

describe("usage per site and month", () => {
  it("an empty log has no rows and a summary of nothing", () => {
    expect(usage([])).toEqual([])
    const s = summarise([], config)
    expect(s).toMatchObject({ events: 0, first: null, last: null, sites: [], months: [], siteMonths: [], siteTotals: [], queue: [] })
    expect(s.timingOverall).toMatchObject({ uses: 0, shareOutsideOfficeHours: null, shareWeekend: null })
    expect(s.timingOverall.hourOfWeek).toEqual(new Array(168).fill(0))
  })

  it("a one-event log: a counter handover is one document ready and a 0 % terminal share", () => {
    expect(usage([{ ...counter("2024-05-06T08:00:00Z", "Mayen", 1) }])).toEqual([{
      site: "Mayen",
      month: "2024-05",
      documentsReady: 1,
      pickupsTerminal: 0,
      pickupsCounter: 1,
      terminalShare: 0,
      uses: 0,
      applications: 0,
      users: 0,
      firstTimeUsers: 0,
      returningUsers: 0,
      counterMinutesSaved: 0
    }])
  })

  it("a one-event log: a pickup without its session start counts as a use without a known user", () => {
    const only = pickupEvents("2024-05-06T08:00:00Z", "Mayen", 1, 1, "card-a").filter((r) => r.event._tag === "PickupCompleted")
    expect(usage(only)).toEqual([{
      site: "Mayen",
      month: "2024-05",
      documentsReady: 0,
      pickupsTerminal: 1,
      pickupsCounter: 0,
      terminalShare: 1,
      uses: 1,
      applications: 0,
      users: 0,
      firstTimeUsers: 0,
      returningUsers: 0,
      counterMinutesSaved: 5
    }])
  })

  // Mayen: orders 1, 2 loaded in March; order 3 announced 28 March, collected at the counter in April;
  // order 4 handed over at the counter at 2024-03-31T22:30Z = 1 April 00:30 local (CEST), never announced.
  // Card a collects order 1 in March and order 2 in April (a repeat); card b files an application in April.
  // Mendig: one counter handover in April.
  const log = [
    ...loaded("2024-03-05T09:00:00Z", "Mayen", 1),
    ...loaded("2024-03-05T09:05:00Z", "Mayen", 2),
    announced("2024-03-28T09:00:00Z", "Mayen", 3),
    ...pickupEvents("2024-03-10T18:00:00Z", "Mayen", 1, 1, "card-a", 1),
    counter("2024-03-31T22:30:00Z", "Mayen", 4),
    counter("2024-04-02T08:00:00Z", "Mayen", 3),
    ...pickupEvents("2024-04-03T19:00:00Z", "Mayen", 2, 2, "card-a"),
    ...application("2024-04-04T07:00:00Z", "Mayen", 3, 1, "card-b", "dog-registration"),
    counter("2024-04-10T08:00:00Z", "Mendig", 5)
  ]

  it("counts a hand-built log month by month in local time", () => {
    const rows = usage(log)
    expect(rows.map((r) => `${r.site} ${r.month}`)).toEqual(["Mayen 2024-03", "Mayen 2024-04", "Mendig 2024-03", "Mendig 2024-04"])
    expect(rows[0]).toEqual({
      site: "Mayen",
      month: "2024-03",
      documentsReady: 3,
      pickupsTerminal: 1,
      pickupsCounter: 0,
      terminalShare: 1,
      uses: 1,
      applications: 0,
      users: 1,
      firstTimeUsers: 1,
      returningUsers: 0,
      counterMinutesSaved: 5
    })
    expect(rows[1]).toEqual({
      site: "Mayen",
      month: "2024-04",
      documentsReady: 1,
      pickupsTerminal: 1,
      pickupsCounter: 2,
      terminalShare: 1 / 3,
      uses: 2,
      applications: 1,
      users: 2,
      firstTimeUsers: 1,
      returningUsers: 1,
      counterMinutesSaved: 5
    })
    expect(rows[2]).toMatchObject({ documentsReady: 0, pickupsCounter: 0, terminalShare: null })
    expect(rows[3]).toMatchObject({ documentsReady: 1, pickupsCounter: 1, terminalShare: 0 })
  })

  it("tells first uses from repeats by the card key", () => {
    expect(terminalUses(log).map((u) => [u.kind, u.cardKey, u.first])).toEqual([
      ["pickup", "card-a", true],
      ["pickup", "card-a", false],
      ["application", "card-b", true]
    ])
  })

  it("counts applications by service and takes minutes per handover from the settings", () => {
    expect(applicationsByService(log, config.timeZone)).toEqual([{ site: "Mayen", month: "2024-04", serviceId: "dog-registration", count: 1 }])
    const rows = siteMonthUsage(log, config.timeZone, { ...config.queue, minutesPerHandover: 7 })
    expect(rows.map((r) => r.counterMinutesSaved)).toEqual([7, 7, 0, 0])
  })

  it("sums per site: share, repeat rate, pickups among uses", () => {
    const totals = summarise(log, config).siteTotals
    expect(totals[0]).toMatchObject({
      site: "Mayen",
      firstMonth: "2024-03",
      documentsReady: 4,
      pickupsTerminal: 2,
      pickupsCounter: 2,
      terminalShare: 0.5,
      uses: 3,
      applications: 1,
      pickupShareOfUses: 2 / 3,
      users: 2,
      repeatUsers: 1,
      repeatRate: 0.5,
      counterMinutesSaved: 10
    })
    expect(totals[1]).toMatchObject({ site: "Mendig", firstMonth: "2024-04", terminalShare: 0, users: 0, repeatRate: null })
  })

  it("reads the same figures back from the NDJSON export, in any line order", () => {
    const text = toNdjson(log).split("\n").reverse().join("\n")
    const parsed = parseNdjson(text)
    expect(parsed.skipped).toEqual([])
    expect(summarise(parsed.records, config).siteMonths).toEqual(summarise(log, config).siteMonths)
  })

  it("skips lines that are not events of this version and says why", () => {
    const good = toNdjson([rec("2024-03-05T09:00:00Z", "Mayen", { _tag: "CardSessionEnded", sessionId: ses(1), reason: "timeout" })])
    const text =
      `${good}not json\n{"at":"2024-03-05T09:00:00Z","site":"Mayen","type":"FutureEvent"}\n{"at":"x","site":"Mayen","type":"CardReadFailed","reason":"r"}\n\n`
    const parsed = parseNdjson(text)
    expect(parsed.records).toHaveLength(1)
    expect(parsed.skipped.map((s) => s.line)).toEqual([2, 3, 4])
    expect(parsed.skipped[0]!.reason).toBe("not JSON")
    expect(parsed.skipped[1]!.reason).toMatch(/^FutureEvent/)
    expect(parsed.skipped[2]!.reason).toMatch(/"at"/)
  })
})
