/**
 * The engine's state, shared by its parts: calendar, sites, residents and
 * network, the event calendar, documents, daily tallies and the random
 * streams (one per site, one for the district: network, survey).
 */
import type { Scenario } from "../schema/scenario.ts"
import { durationDays } from "../schema/sites.ts"
import { Calendar, Hours } from "./calendar.ts"
import { type WaitTable, waitTable } from "./counter.ts"
import { EventQueue } from "./heap.ts"
import { type Graph, makeNetwork } from "./network.ts"
import { clonePopulation, makePopulation, type Population } from "./population.ts"
import { cumulativeOf, deriveSeed, logistic, Rng } from "./rng.ts"

/** Hour-of-day weights of visits to the 24/7 terminal: evenings and lunchtime, little at night. */
const terminalHours = cumulativeOf([0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 1, 1.2, 1.1, 1.1, 1.3, 1.5, 1.3, 1.2, 1.4, 1.7, 2, 2, 1.8, 1.4, 1, 0.6, 0.3])

export const Ev = { Apply: 0, Ready: 1, TerminalPickup: 2, CounterPickup: 3, Return: 4, Application: 5, Fault: 6, Daily: 7 } as const
export type Ev = typeof Ev[keyof typeof Ev]

/** Daily tallies per site: the columns of daily.csv, plus new users (for the Bass fit). */
export const Metric = { documentsReady: 0, pickupsTerminal: 1, pickupsCounter: 2, terminalUses: 3, applications: 4, failures: 5, newUsers: 6 } as const
export const METRICS = 7

export type Variant = "as-given" | "posters-only"

export interface StateOptions {
  readonly rootSeed: number
  readonly replicate: number
  readonly variant: Variant
}

/** What two runs of the same replicate share: see Simulation.world. */
export interface World {
  readonly pop: Population
  readonly graph: Graph
  readonly queue: EventQueue<Ev>
  readonly rng: Rng
  readonly siteRng: ReadonlyArray<Rng>
}

export const streamSeeds = (scenario: Scenario, rootSeed: number, replicate: number) => ({
  district: deriveSeed(rootSeed, "replicate", replicate, "district"),
  sites: scenario.sites.map((s) => deriveSeed(rootSeed, "replicate", replicate, "site", s.name))
})

/**
 * Each site's propensity to recommend at the start of a replicate: the
 * site's own value, or a draw from the county-level distribution (a stream
 * per site and replicate, so the other random streams stay as they are).
 */
export const staffPropensities = (scenario: Scenario, rootSeed: number, replicate: number): Float64Array => {
  const county = scenario.staffPropensity
  return Float64Array.from(scenario.sites, (site) =>
    county === null
      ? site.staff.recommend
      : logistic(county.logitMean + county.logitSd * new Rng(deriveSeed(rootSeed, "replicate", replicate, "staff", site.name)).normal()))
}

export class State {
  readonly days: number
  readonly end: number
  readonly calendar: Calendar
  readonly hours: ReadonlyArray<Hours>
  /** First day of terminal service per site; Infinity without a terminal. */
  readonly startDay: ReadonlyArray<number>
  readonly compartments: ReadonlyArray<number>
  readonly waits: ReadonlyArray<WaitTable>
  readonly rng: Rng
  readonly siteRng: ReadonlyArray<Rng>
  readonly pop: Population
  readonly graph: Graph
  readonly queue: EventQueue<Ev>
  readonly staffP: Float64Array
  readonly posters: Float64Array
  /** visibility − effort per site. */
  readonly access: Float64Array
  readonly daily: Float64Array
  // Documents, one entry per application.
  readonly docResident: Array<number> = []
  readonly docKind: Array<number> = []
  /** 0 counter, 1 terminal. */
  readonly docChannel: Array<number> = []
  readonly docNeedsOld: Array<boolean> = []
  readonly docTries: Array<number> = []
  readonly docLoadedAt: Array<number> = []
  readonly docReturned: Array<boolean> = []
  readonly tally = {
    choices: 0,
    staffRecommendations: 0,
    secondOccasions: 0,
    repeatUses: 0,
    pickupsOk: 0,
    applicationsOk: 0,
    pickupAttempts: 0,
    /** First successful uses, and how many of those residents a clerk had recommended it to / a contact had told. */
    firstUses: 0,
    firstUsesStaff: 0,
    firstUsesPeer: 0
  }
  now = 0

  constructor(readonly scenario: Scenario, readonly options: StateOptions, world?: World) {
    this.days = durationDays(scenario.duration)
    this.end = this.days * 1440
    this.calendar = new Calendar(scenario.start, this.days, scenario.utcOffsetHours, scenario.holidays)
    this.hours = scenario.sites.map((s) => new Hours(s.counter.hours, this.calendar))
    this.startDay = scenario.sites.map((s) => (s.terminal === null ? Infinity : Math.max(0, this.calendar.dayOf(s.terminal.start))))
    this.compartments = scenario.sites.map((s) => s.terminal?.compartments ?? scenario.terminal.compartments)
    this.waits = scenario.sites.map((s) => waitTable(scenario, s, this.calendar))
    if (world === undefined) {
      const seeds = streamSeeds(scenario, options.rootSeed, options.replicate)
      this.rng = new Rng(seeds.district)
      this.siteRng = seeds.sites.map((s) => new Rng(s))
      this.pop = makePopulation(scenario, this.rng)
      this.graph = makeNetwork(scenario, this.pop, this.rng)
      this.queue = new EventQueue<Ev>()
    } else {
      this.rng = world.rng.clone()
      this.siteRng = world.siteRng.map((r) => r.clone())
      this.pop = clonePopulation(world.pop)
      this.graph = world.graph
      this.queue = world.queue.clone()
    }
    const postersOnly = options.variant === "posters-only"
    this.staffP = postersOnly ? new Float64Array(scenario.sites.length) : staffPropensities(scenario, options.rootSeed, options.replicate)
    this.posters = Float64Array.from(scenario.sites, (s) => (postersOnly ? 1 : s.posters))
    this.access = Float64Array.from(scenario.sites, (s) => (s.terminal === null ? 0 : s.terminal.access.visibility - s.terminal.access.effort))
    this.daily = new Float64Array((this.days + 1) * scenario.sites.length * METRICS)
  }

  count(site: number, metric: number, t: number = this.now, by = 1): void {
    const day = Math.min(this.days, Math.floor(t / 1440))
    this.daily[(day * this.scenario.sites.length + site) * METRICS + metric]! += by
  }

  active(site: number, t: number = this.now): boolean {
    return Math.floor(t / 1440) >= this.startDay[site]!
  }

  newDoc(resident: number, kind: number, needsOld: boolean): number {
    this.docResident.push(resident)
    this.docKind.push(kind)
    this.docChannel.push(0)
    this.docNeedsOld.push(needsOld)
    this.docTries.push(0)
    this.docLoadedAt.push(-1)
    this.docReturned.push(false)
    return this.docResident.length - 1
  }

  /** Expected counter wait (minutes) at time t at a site. */
  waitAt(site: number, t: number): number {
    const day = Math.min(this.days, Math.max(0, Math.floor(t / 1440)))
    const how = this.calendar.weekday[day]! * 24 + Math.floor((t - day * 1440) / 60)
    return Math.max(0, this.waits[site]!.full[this.calendar.month[day]! * 168 + how]!)
  }

  /** A visit to the terminal on the day of `from` (or the next), at an hour drawn from the 24-hour profile. */
  terminalTime(site: number, from: number): number {
    const rng = this.siteRng[site]!
    const day = Math.floor(from / 1440)
    const t = day * 1440 + (rng.pickCumulative(terminalHours) + rng.next()) * 60
    return t < from ? t + 1440 : t
  }

  /** A visit to the counter during opening hours, on the day of `from` or later. */
  counterTime(site: number, from: number): number {
    const t = this.hours[site]!.timeOnOrAfter(Math.floor(from / 1440), this.siteRng[site]!.next())
    return t < from ? this.hours[site]!.timeOnOrAfter(Math.floor(from / 1440) + 1, this.siteRng[site]!.next()) : t
  }

  schedule(t: number, kind: Ev, a = 0, b = 0): void {
    if (t < this.end && t >= this.now) this.queue.push(t, kind, a, b)
  }
}
