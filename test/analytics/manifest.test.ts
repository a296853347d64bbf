/**
 * What the report reads from a run's manifest: the scenario name and each
 * site's counter, as the scenario engine writes them.
 */
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { openWeek, scenarioName, siteQueuesFromManifest } from "../../analytics/manifest.ts"

const mayenHours = {
  mon: ["07:30-12:00", "13:00-16:00"],
  tue: ["07:30-12:00", "13:00-16:00"],
  wed: ["07:30-12:00", "13:00-16:00"],
  thu: ["07:30-12:00", "13:00-16:00"],
  fri: ["07:30-13:00"],
  sat: [],
  sun: []
}

describe("run manifest", () => {
  it("finds the scenario's name in the usual places", () => {
    expect(scenarioName({ scenario: "pilot-myk" })).toBe("pilot-myk")
    expect(scenarioName({ scenario: { name: "staff-everywhere" } })).toBe("staff-everywhere")
    expect(scenarioName({ name: "x" })).toBe("x")
    expect(scenarioName(null)).toBeNull()
    expect(scenarioName([1])).toBeNull()
  })

  it("adds up opening hours: Mon–Thu 7.5 h, Fri 5.5 h", () => {
    expect(openWeek(mayenHours)).toEqual({ minutes: 4 * 450 + 330, days: 5 })
    expect(openWeek({ mon: ["8-12"] })).toBeNull()
    expect(openWeek("always")).toBeNull()
  })

  it("takes each site's counter and turns visits per day into arrivals per open hour", () => {
    const manifest = {
      scenario: "pilot-myk",
      parameters: {
        sites: [
          { name: "Mayen", counter: { servers: 3, serviceMinutes: 12, otherVisitsPerDay: 20, hours: mayenHours } },
          { name: "Mendig", counter: { servers: 2, otherVisitsPerDay: 10, hours: { mon: ["08:00-12:00"], tue: ["08:00-12:00"] } } },
          { name: "Bendorf", counter: { servers: 0, otherVisitsPerDay: 20 } },
          { name: "Vallendar" }
        ]
      }
    }
    const queues = siteQueuesFromManifest(manifest, defaultAnalyticsConfig)
    expect(Object.keys(queues)).toEqual(["Mayen", "Mendig", "Bendorf"])
    expect(queues["Mayen"]).toMatchObject({ servers: 3, serviceMinutes: 12, minutesPerHandover: 5 })
    expect(queues["Mayen"]!.otherArrivalsPerHour).toBeCloseTo((20 * 5) / 35.5, 12)
    expect(queues["Mendig"]).toMatchObject({ servers: 2, serviceMinutes: 10, otherArrivalsPerHour: (10 * 2) / 8 })
    // no valid servers, no hours: the report's settings and its office hours (Mayen, 35.5 h on 5 days)
    expect(queues["Bendorf"]!.servers).toBe(2)
    expect(queues["Bendorf"]!.otherArrivalsPerHour).toBeCloseTo((20 * 5) / 35.5, 12)
    expect(siteQueuesFromManifest({ parameters: {} }, defaultAnalyticsConfig)).toEqual({})
  })
})
