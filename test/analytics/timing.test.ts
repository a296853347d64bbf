/**
 * Hour-of-week profile and the shares outside office hours, on weekends and
 * holidays, over a log spanning both daylight-saving changes of 2024.
 */
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { summarise } from "../../analytics/summary.ts"
import { pickupEvents } from "../../analytics/synthetic/build.ts"
import { timingBySite, timingOverall } from "../../analytics/timing.ts"
import { terminalUses } from "../../analytics/usage.ts"

const config = defaultAnalyticsConfig

// Each a completed pickup at Mayen (UTC → local Berlin time):
const times = [
  "2024-03-31T00:30:00Z", // Sun 01:30 CET (Easter Sunday: a weekend, not a listed holiday)
  "2024-03-31T01:30:00Z", // Sun 03:30 CEST: the hour 02 does not exist that night
  "2024-04-01T08:00:00Z", // Mon 10:00 CEST, Easter Monday: holiday, office closed
  "2024-04-02T08:00:00Z", // Tue 10:00: office open
  "2024-04-02T10:30:00Z", // Tue 12:30: lunch break
  "2024-04-05T10:30:00Z", // Fri 12:30: open (no lunch break on Friday)
  "2024-10-27T00:30:00Z", // Sun 02:30 CEST
  "2024-10-27T01:30:00Z" // Sun 02:30 CET: the same wall-clock hour again
]
const log = times.flatMap((t, i) => pickupEvents(t, "Mayen", i + 1, i + 1, `card-${i % 3}`))

describe("timing of uses", () => {
  it("builds the hour-of-week profile in local time across both DST changes", () => {
    const p = timingOverall(terminalUses(log), config)
    const hits = p.hourOfWeek.flatMap((n, slot) => (n > 0 ? [[slot, n]] : []))
    expect(hits).toEqual([
      [10, 1], // Mon 10
      [24 + 10, 1], // Tue 10
      [24 + 12, 1], // Tue 12
      [4 * 24 + 12, 1], // Fri 12
      [6 * 24 + 1, 1], // Sun 01
      [6 * 24 + 2, 2], // Sun 02, twice in October
      [6 * 24 + 3, 1] // Sun 03
    ])
  })

  it("counts uses outside office hours, on weekends and on holidays", () => {
    expect(timingOverall(terminalUses(log), config)).toMatchObject({
      site: "all",
      uses: 8,
      outsideOfficeHours: 6,
      weekend: 4,
      holiday: 1,
      weekendOrHoliday: 5,
      shareOutsideOfficeHours: 0.75,
      shareWeekend: 0.5,
      shareHoliday: 0.125,
      shareWeekendOrHoliday: 0.625
    })
  })

  it("without a lunch break, Tuesday 12:30 is inside office hours", () => {
    const noLunch = { ...config, officeHours: { ...config.officeHours, lunchBreak: null } }
    expect(timingOverall(terminalUses(log), noLunch).outsideOfficeHours).toBe(5)
  })

  it("profiles each site on its own, an unused site included", () => {
    const profiles = timingBySite(terminalUses(log), ["Mayen", "Mendig"], config)
    expect(profiles.map((p) => [p.site, p.uses, p.shareOutsideOfficeHours])).toEqual([["Mayen", 8, 0.75], ["Mendig", 0, null]])
  })

  it("a one-event log has one use in one slot", () => {
    const p = timingOverall(terminalUses(pickupEvents("2024-07-06T12:00:00Z", "Mayen", 1, 1, "c")), config) // Sat 14:00 CEST
    expect(p.hourOfWeek[5 * 24 + 14]).toBe(1)
    expect(p).toMatchObject({ uses: 1, outsideOfficeHours: 1, weekend: 1, holiday: 0 })
  })

  it("buckets months in local time across the March change: the summary has every month from March to October", () => {
    const s = summarise(log, config)
    expect(s.months).toEqual(["2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10"])
    expect(s.siteMonths.filter((r) => r.pickupsTerminal > 0).map((r) => [r.month, r.pickupsTerminal])).toEqual([
      ["2024-03", 2],
      ["2024-04", 4],
      ["2024-10", 2]
    ])
  })
})
