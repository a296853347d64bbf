/**
 * Local time (Europe/Berlin with daylight saving), Rhineland-Palatinate
 * holidays and the office hours of the Mayen citizens' office.
 */
import { describe, expect, it } from "vitest"
import { easterSunday, holidaysRhinelandPalatinate, isHolidayRP } from "../../analytics/holidays.ts"
import { classifyTime, mayenOfficeHours, openFractions, parseLunchBreak, weekSchedule } from "../../analytics/officeHours.ts"
import { localTime, monthRange } from "../../analytics/time.ts"

describe("local time in Europe/Berlin", () => {
  it("jumps from 02:00 to 03:00 on the last Sunday of March", () => {
    expect(localTime("2024-03-31T00:30:00Z")).toMatchObject({ date: "2024-03-31", hour: 1, minute: 30, weekday: 6, offsetMinutes: 60, hourOfWeek: 6 * 24 + 1 })
    expect(localTime("2024-03-31T01:30:00Z")).toMatchObject({ date: "2024-03-31", hour: 3, minute: 30, weekday: 6, offsetMinutes: 120, hourOfWeek: 6 * 24 + 3 })
  })

  it("lives through 02:00–03:00 twice on the last Sunday of October", () => {
    expect(localTime("2024-10-27T00:30:00Z")).toMatchObject({ hour: 2, offsetMinutes: 120 })
    expect(localTime("2024-10-27T01:30:00Z")).toMatchObject({ hour: 2, offsetMinutes: 60 })
    expect(localTime("2024-10-27T02:30:00Z")).toMatchObject({ hour: 3, offsetMinutes: 60 })
  })

  it("puts a late UTC evening into the next local day, week and month", () => {
    expect(localTime("2024-03-31T22:30:00Z")).toMatchObject({ date: "2024-04-01", monthKey: "2024-04", weekday: 0, hour: 0, hourOfWeek: 0 })
    expect(localTime("2024-01-31T23:30:00Z")).toMatchObject({ date: "2024-02-01", monthKey: "2024-02", hour: 0 })
    expect(localTime(Date.UTC(2023, 11, 31, 23, 0))).toMatchObject({ date: "2024-01-01", monthKey: "2024-01" })
  })

  it("lists months across a year end", () => {
    expect(monthRange("2023-11", "2024-02")).toEqual(["2023-11", "2023-12", "2024-01", "2024-02"])
    expect(monthRange("2024-05", "2024-05")).toEqual(["2024-05"])
  })

  it("refuses what is not a time", () => {
    expect(() => localTime("yesterday")).toThrow(RangeError)
  })
})

describe("public holidays of Rhineland-Palatinate", () => {
  it("finds Easter Sunday", () => {
    expect(["2000", "2019", "2024", "2025", "2026"].map((y) => easterSunday(Number(y)))).toEqual(
      ["2000-04-23", "2019-04-21", "2024-03-31", "2025-04-20", "2026-04-05"]
    )
  })

  it("lists the eleven holidays of 2024 and the moving ones of 2025", () => {
    expect(holidaysRhinelandPalatinate(2024).map((h) => h.date)).toEqual([
      "2024-01-01",
      "2024-03-29",
      "2024-04-01",
      "2024-05-01",
      "2024-05-09",
      "2024-05-20",
      "2024-05-30",
      "2024-10-03",
      "2024-11-01",
      "2024-12-25",
      "2024-12-26"
    ])
    const moving = holidaysRhinelandPalatinate(2025).filter((h) =>
      ["Karfreitag", "Ostermontag", "Christi Himmelfahrt", "Pfingstmontag", "Fronleichnam"].includes(h.name)
    )
    expect(moving.map((h) => h.date)).toEqual(["2025-04-18", "2025-04-21", "2025-05-29", "2025-06-09", "2025-06-19"])
  })

  it("has All Saints but not Reformation Day", () => {
    expect(isHolidayRP("2024-11-01")).toBe(true)
    expect(isHolidayRP("2024-10-31")).toBe(false)
    expect(isHolidayRP("2024-03-31")).toBe(false)
  })
})

describe("office hours of the Mayen citizens' office", () => {
  const schedule = weekSchedule(mayenOfficeHours)
  const at = (iso: string) => classifyTime(localTime(iso), schedule, mayenOfficeHours)

  it("opens Mon–Thu 07:30–16:00 with a lunch break and Fri 07:30–13:00", () => {
    expect(schedule[0]).toEqual([[450, 720], [780, 960]])
    expect(schedule[3]).toEqual([[450, 720], [780, 960]])
    expect(schedule[4]).toEqual([[450, 780]])
    expect(schedule[5]).toEqual([])
    expect(schedule[6]).toEqual([])
  })

  it("classifies times in local time, daylight saving included", () => {
    expect(at("2024-03-04T06:29:00Z")).toEqual({ inOfficeHours: false, weekend: false, holiday: false }) // Mon 07:29 CET
    expect(at("2024-03-04T06:30:00Z").inOfficeHours).toBe(true) // Mon 07:30 CET
    expect(at("2024-04-09T05:30:00Z").inOfficeHours).toBe(true) // Tue 07:30 CEST
    expect(at("2024-04-09T05:29:00Z").inOfficeHours).toBe(false) // Tue 07:29 CEST
    expect(at("2024-03-04T11:30:00Z").inOfficeHours).toBe(false) // Mon 12:30, lunch
    expect(at("2024-03-08T11:30:00Z").inOfficeHours).toBe(true) // Fri 12:30
    expect(at("2024-03-08T12:00:00Z").inOfficeHours).toBe(false) // Fri 13:00
    expect(at("2024-04-01T08:00:00Z")).toEqual({ inOfficeHours: false, weekend: false, holiday: true }) // Easter Monday 10:00
    expect(at("2024-03-09T09:00:00Z")).toEqual({ inOfficeHours: false, weekend: true, holiday: false }) // Saturday
  })

  it("knows how much of each hour of the week the counter is open", () => {
    const f = openFractions(schedule)
    expect([f[7], f[8], f[12], f[15], f[16], f[4 * 24 + 12], f[5 * 24 + 10]]).toEqual([0.5, 1, 0, 1, 0, 1, 0])
    expect(f.reduce((a, b) => a + b, 0)).toBe(4 * 7.5 + 5.5)
  })

  it("takes the lunch break from the command line", () => {
    expect(parseLunchBreak("none").lunchBreak).toBeNull()
    expect(weekSchedule(parseLunchBreak("12:30-13:15"))[0]).toEqual([[450, 750], [795, 960]])
    expect(() => parseLunchBreak("noon")).toThrow(/HH:MM-HH:MM/)
    expect(() => parseLunchBreak("13:00-12:00")).toThrow(/not after/)
  })
})
