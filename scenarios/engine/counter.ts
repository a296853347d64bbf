/**
 * The counter as a queue: c servers, opening hours, arrivals that vary over
 * the week and the year. Expected waiting time per hour of the week from
 * Erlang C, Wq = C(c, a) / (cμ − λ); the relief a terminal brings is the
 * difference with its pickups taken off the counter.
 */
import type { Scenario } from "../schema/scenario.ts"
import type { Site } from "../schema/sites.ts"
import { type Calendar, Hours } from "./calendar.ts"

/** Cap for a saturated hour (λ ≥ cμ), minutes. */
export const SATURATED_MINUTES = 180

/** Erlang C: the probability that an arrival waits, with c servers and offered load a = λ/μ. */
export const erlangC = (c: number, a: number): number => {
  if (a <= 0) return 0
  if (a >= c) return 1
  let term = 1
  let sum = 1
  for (let k = 1; k < c; k++) {
    term *= a / k
    sum += term
  }
  const top = term * (a / c) * (c / (c - a))
  return top / (sum + top)
}

/** Mean wait in the queue, minutes; λ per hour, service minutes, c servers. */
export const waitMinutes = (lambdaPerHour: number, serviceMinutes: number, c: number): number => {
  const mu = 60 / serviceMinutes
  if (lambdaPerHour <= 0) return 0
  if (lambdaPerHour >= c * mu) return SATURATED_MINUTES
  return Math.min(SATURATED_MINUTES, (erlangC(c, lambdaPerHour / mu) / (c * mu - lambdaPerHour)) * 60)
}

/** Expected ID-document applications per resident and year under the demand settings. */
export const documentsPerResidentYear = (scenario: Scenario): number => {
  const d = scenario.demand
  const bands = scenario.demographics.ageBands
  const total = bands.reduce((a, b) => a + b, 0)
  const young = bands[1]! / total
  const older = (bands[2]! + bands[3]! + bands[4]!) / total
  const cycle = (doc: typeof d.idCard) => young / doc.youngValidityYears + older / doc.validityYears
  return d.idCard.holders * cycle(d.idCard) + d.passport.holders * cycle(d.passport) + d.otherNeedsPerResidentYear + d.passportExtraPerResidentYear
}

export interface WaitTable {
  /** [month * 168 + hourOfWeek]: expected wait in minutes with every pickup at the counter; -1 when closed. */
  readonly full: Float32Array
  /** The same with the given share of pickups at the terminal. */
  readonly relieved: (terminalShare: number) => Float32Array
}

export const waitTable = (scenario: Scenario, site: Site, calendar: Calendar): WaitTable => {
  const hours = new Hours(site.counter.hours, calendar)
  const openHoursPerWeek = Math.max(1, hours.weeklyMinutes / 60)
  const openDaysPerWeek = [0, 1, 2, 3, 4, 5, 6].filter((d) => [...Array(24).keys()].some((h) => hours.openAtWeekMinute(d * 1440 + h * 60 + 30))).length
  const season = scenario.demand.seasonality
  const meanSeason = season.reduce((a, b) => a + b, 0) / 12 || 1
  const docsPerWeek = (site.population * documentsPerResidentYear(scenario)) / 52.18
  const otherPerWeek = site.counter.otherVisitsPerDay * openDaysPerWeek
  const build = (pickupShareAtCounter: number) => {
    const out = new Float32Array(12 * 168)
    for (let m = 0; m < 12; m++) {
      const k = (season[m]! / meanSeason) * 0.5 + 0.5
      const visitsPerWeek = docsPerWeek * k * (1 + pickupShareAtCounter) + otherPerWeek
      const lambda = visitsPerWeek / openHoursPerWeek
      for (let h = 0; h < 168; h++) {
        // Mornings run busier than afternoons: a simple weekly profile around the mean.
        const hourOfDay = h % 24
        const shape = hourOfDay < 10 ? 1.3 : hourOfDay < 12 ? 1.1 : 0.75
        out[m * 168 + h] = hours.openAtWeekMinute(h * 60 + 30) ? waitMinutes(lambda * shape, site.counter.serviceMinutes, site.counter.servers) : -1
      }
    }
    return out
  }
  return { full: build(1), relieved: (share) => build(1 - share) }
}

/** Mean over open hours of a wait table. */
export const meanOpenWait = (table: Float32Array): number => {
  let s = 0
  let n = 0
  for (const w of table) {
    if (w >= 0) {
      s += w
      n++
    }
  }
  return n === 0 ? 0 : s / n
}
