/**
 * Erlang C and the counter's waiting-time relief, against values worked out
 * by hand.
 */
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { erlangB, erlangC, meanWaitMinutes, queueRelief } from "../../analytics/queue.ts"
import { summarise } from "../../analytics/summary.ts"
import { counter, loaded, pickupEvents } from "../../analytics/synthetic/build.ts"

describe("Erlang B and C", () => {
  it("matches the closed forms for one and two servers", () => {
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12) // (1/2) / (1 + 1 + 1/2)
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12) // M/M/1: C = ρ
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12) // (a²/2! · 2/(2−a)) / (1 + a + a²/2! · 2/(2−a))
    expect(erlangC(3, 0)).toBe(0)
    expect(erlangC(2, 2)).toBe(1)
  })

  it("gives Wq = C(c,a)/(cμ − λ) in minutes, null when the counter cannot keep up", () => {
    expect(meanWaitMinutes(1, 6, 5)).toBeCloseTo(5, 10) // λ 6/h, μ 12/h: ρ/(μ−λ) = 0.5/6 h
    expect(meanWaitMinutes(2, 6, 10)).toBeCloseTo(60 / 18, 10) // μ 6/h, a 1: (1/3)/(12−6) h
    expect(meanWaitMinutes(2, 12, 10)).toBeNull()
    expect(meanWaitMinutes(2, 0, 10)).toBe(0)
  })
})

describe("waiting-time relief", () => {
  const oneHour = Array.from({ length: 168 }, (_, slot) => (slot === 10 ? 1 : 0)) // Monday 10–11 only
  const single = { servers: 1, serviceMinutes: 5, minutesPerHandover: 5, otherArrivalsPerHour: 0 }

  it("moves the terminal's pickups to the counter's busy hours", () => {
    const counterByHour = oneHour.map((f) => f * 4) // 4 counter handovers in two weeks
    const r = queueRelief({ site: "A", counterByHour, terminalPickups: 8, weeks: 2, openFractions: oneHour, config: single })
    expect(r.slots).toHaveLength(1)
    expect(r.slots[0]).toMatchObject({ slot: 10, openFraction: 1, arrivalsWith: 2, arrivalsWithout: 6 })
    expect(r.slots[0]!.waitWith).toBeCloseTo(1, 10) // ρ 1/6: (1/6)/(12−2) h = 1 min
    expect(r.slots[0]!.waitWithout).toBeCloseTo(5, 10) // ρ 1/2: (1/2)/(12−6) h = 5 min
    expect(r.reliefMinutesPerVisitor).toBeCloseTo(4, 10)
    expect(r.waitingMinutesSavedPerWeek).toBeCloseTo(6 * 5 - 2 * 1, 10)
    expect(r).toMatchObject({ handoversMovedPerWeek: 4, counterMinutesSavedPerWeek: 20, saturatedHoursWith: 0, saturatedHoursWithout: 0 })
  })

  it("adds one application visit per document ready, at the office's service minutes", () => {
    const counterByHour = oneHour.map((f) => f * 4)
    const config = { ...single, servers: 2, serviceMinutes: 10 }
    const r = queueRelief({ site: "A", counterByHour, terminalPickups: 8, documentsReady: 12, weeks: 2, openFractions: oneHour, config })
    // 6 applications (10 min) + 2 handovers (5 min) per hour: mean service 70/8 min;
    // without the terminal 4 more handovers: 6 × 10 + 6 × 5 = 90 minutes for 12 visitors
    expect(r.slots[0]).toMatchObject({ arrivalsWith: 8, arrivalsWithout: 12 })
    const [withTerminal, without] = [meanWaitMinutes(2, 8, 70 / 8), meanWaitMinutes(2, 12, 90 / 12)]
    expect(withTerminal).not.toBeNull()
    expect(without).not.toBeNull()
    expect(r.slots[0]!.waitWith).toBeCloseTo(withTerminal!, 12)
    expect(r.slots[0]!.waitWithout).toBeCloseTo(without!, 12)
    expect(r.reliefMinutesPerVisitor!).toBeGreaterThan(0)
  })

  it("spreads pickups by opening time when nothing was handed over at the counter", () => {
    const open = Array.from({ length: 168 }, (_, slot) => (slot === 8 ? 1 : slot === 9 ? 0.5 : 0))
    const r = queueRelief({ site: "A", counterByHour: new Array(168).fill(0), terminalPickups: 3, weeks: 1, openFractions: open, config: single })
    expect(r.slots.map((s) => s.arrivalsWithout)).toEqual([2, 2]) // 2 in the full hour, 1 in the half hour
  })

  it("reports saturation instead of a number", () => {
    const busy = { ...single, otherArrivalsPerHour: 12 } // λ = μ = 12/h
    const r = queueRelief({ site: "A", counterByHour: new Array(168).fill(0), terminalPickups: 0, weeks: 1, openFractions: oneHour, config: busy })
    expect(r).toMatchObject({ meanWaitWith: null, meanWaitWithout: null, reliefMinutesPerVisitor: null, saturatedHoursWith: 1 })
  })

  it("relief is negligible when the counter is over-staffed", () => {
    const staffed = { ...single, servers: 6, otherArrivalsPerHour: 2 }
    const r = queueRelief({ site: "A", counterByHour: oneHour.map((f) => f * 2), terminalPickups: 2, weeks: 1, openFractions: oneHour, config: staffed })
    expect(r.reliefMinutesPerVisitor!).toBeLessThan(0.001)
  })

  it("runs per site from a log, with the Mayen office hours", () => {
    const log = [
      ...loaded("2024-03-04T08:00:00Z", "Mayen", 1),
      counter("2024-03-05T09:00:00Z", "Mayen", 2), // Tue 10:00 CET
      ...pickupEvents("2024-03-11T08:00:00Z", "Mayen", 1, 1, "a") // exactly one week after the first event
    ]
    const [q] = summarise(log, defaultAnalyticsConfig).queue
    expect(q!.slots).toHaveLength(4 * 8 + 6) // Mon–Thu 07–11 and 13–15, Fri 07–12
    expect(q!.weeks).toBe(1)
    expect(q!.handoversMovedPerWeek).toBe(1)
    // All counter handovers fell on Tuesday 10–11, so the moved pickup goes there too.
    const tuesday10 = q!.slots.find((s) => s.slot === 24 + 10)!
    // Documents ready: 1 loaded + 1 never loaded but handed over = 2 applications a week, also on Tuesday 10–11.
    expect([tuesday10.arrivalsWith, tuesday10.arrivalsWithout]).toEqual([9 + 2 + 1, 9 + 2 + 2])
    expect(q!.slots.find((s) => s.slot === 10)).toMatchObject({ arrivalsWith: 9, arrivalsWithout: 9 })
  })
})
