/**
 * The counter queue, modelled per hour of the week as M/M/c (Erlang C):
 * `Wq = C(c, a) / (cμ − λ)`, a = λ/μ, with c servers, arrival rate λ per hour
 * and service rate μ = 60 / mean service minutes.
 *
 * Waiting-time relief compares the counter as observed with the counter as it
 * would be without the terminal. Observed: other business, one in-person
 * application per document ready (ID documents must be applied for at the
 * counter; same service minutes as other business) and the counter handovers
 * in the log. Without the terminal every terminal pickup comes to the counter
 * as well. Applications and moved pickups are spread over the open hours like
 * the observed counter handovers (evenly by opening time when there are
 * none). Relief is large near saturation and negligible when the counter is
 * over-staffed.
 */
import type { QueueConfig } from "./config.ts"

/** Erlang B blocking probability, by the stable recursion B(k) = aB(k−1) / (k + aB(k−1)). */
export const erlangB = (servers: number, offered: number): number => {
  let b = 1
  for (let k = 1; k <= servers; k++) b = (offered * b) / (k + offered * b)
  return b
}

/** Erlang C: probability that an arrival has to wait; 1 when the offered load reaches the servers. */
export const erlangC = (servers: number, offered: number): number => {
  if (offered <= 0) return 0
  if (offered >= servers) return 1
  const b = erlangB(servers, offered)
  return (servers * b) / (servers - offered * (1 - b))
}

/** Mean wait in the queue in minutes; null when the queue is unstable (λ ≥ cμ). */
export const meanWaitMinutes = (servers: number, arrivalsPerHour: number, serviceMinutes: number): number | null => {
  if (arrivalsPerHour <= 0) return 0
  const mu = 60 / serviceMinutes
  const spare = servers * mu - arrivalsPerHour
  if (spare <= 0) return null
  return (erlangC(servers, arrivalsPerHour / mu) / spare) * 60
}

export interface QueueSlot {
  /** weekday × 24 + hour, Monday = 0 */
  readonly slot: number
  readonly openFraction: number
  /** Arrivals per open hour as observed, and without the terminal. */
  readonly arrivalsWith: number
  readonly arrivalsWithout: number
  /** Mean minutes in the queue; null = the counter cannot keep up. */
  readonly waitWith: number | null
  readonly waitWithout: number | null
}

export interface QueueRelief {
  readonly site: string
  readonly weeks: number
  readonly servers: number
  /** The open hours of the week only. */
  readonly slots: ReadonlyArray<QueueSlot>
  /** Mean wait per counter visitor, weighted by arrivals; null when some hour is saturated. */
  readonly meanWaitWith: number | null
  readonly meanWaitWithout: number | null
  /** meanWaitWithout − meanWaitWith */
  readonly reliefMinutesPerVisitor: number | null
  /** Counter waiting minutes saved per week, all visitors together. */
  readonly waitingMinutesSavedPerWeek: number | null
  readonly handoversMovedPerWeek: number
  readonly counterMinutesSavedPerWeek: number
  readonly saturatedHoursWith: number
  readonly saturatedHoursWithout: number
}

export interface QueueInput {
  readonly site: string
  /** Counter handovers per hour of the week (168), summed over the log. */
  readonly counterByHour: ReadonlyArray<number>
  readonly terminalPickups: number
  /** Documents ready over the log: each was applied for at the counter once. */
  readonly documentsReady?: number
  readonly weeks: number
  /** Open share of each hour of the week (168), see `openFractions`. */
  readonly openFractions: ReadonlyArray<number>
  readonly config: QueueConfig
}

const otherRate = (config: QueueConfig, slot: number): number =>
  typeof config.otherArrivalsPerHour === "number" ? config.otherArrivalsPerHour : config.otherArrivalsPerHour[slot] ?? 0

export const queueRelief = (input: QueueInput): QueueRelief => {
  const { config, openFractions: open } = input
  const weeks = Math.max(1, input.weeks)
  const openSlots = open.map((f, slot) => ({ f, slot })).filter((s) => s.f > 0)
  const observed = openSlots.reduce((sum, s) => sum + (input.counterByHour[s.slot] ?? 0), 0)
  const weight = (slot: number, f: number) => observed > 0 ? (input.counterByHour[slot] ?? 0) / observed : f / openSlots.reduce((sum, s) => sum + s.f, 0)
  const counterPerWeek = input.counterByHour.reduce((a, b) => a + b, 0) / weeks
  const terminalPerWeek = input.terminalPickups / weeks
  const applicationsPerWeek = (input.documentsReady ?? 0) / weeks
  const mixMinutes = (other: number, handovers: number) =>
    other + handovers > 0 ? (other * config.serviceMinutes + handovers * config.minutesPerHandover) / (other + handovers) : config.serviceMinutes
  let visitorsWith = 0
  let visitorsWithout = 0
  let waitedWith: number | null = 0
  let waitedWithout: number | null = 0
  let saturatedWith = 0
  let saturatedWithout = 0
  const slots = openSlots.map(({ f, slot }): QueueSlot => {
    const other = otherRate(config, slot) + (applicationsPerWeek * weight(slot, f)) / f
    const handovers = (counterPerWeek * weight(slot, f)) / f
    const moved = (terminalPerWeek * weight(slot, f)) / f
    const waitWith = meanWaitMinutes(config.servers, other + handovers, mixMinutes(other, handovers))
    const waitWithout = meanWaitMinutes(config.servers, other + handovers + moved, mixMinutes(other, handovers + moved))
    visitorsWith += (other + handovers) * f
    visitorsWithout += (other + handovers + moved) * f
    if (waitWith === null) saturatedWith += 1
    else if (waitedWith !== null) waitedWith += (other + handovers) * f * waitWith
    if (waitWith === null) waitedWith = null
    if (waitWithout === null) saturatedWithout += 1
    else if (waitedWithout !== null) waitedWithout += (other + handovers + moved) * f * waitWithout
    if (waitWithout === null) waitedWithout = null
    return { slot, openFraction: f, arrivalsWith: other + handovers, arrivalsWithout: other + handovers + moved, waitWith, waitWithout }
  })
  const meanWith = waitedWith === null ? null : visitorsWith > 0 ? waitedWith / visitorsWith : 0
  const meanWithout = waitedWithout === null ? null : visitorsWithout > 0 ? waitedWithout / visitorsWithout : 0
  return {
    site: input.site,
    weeks,
    servers: config.servers,
    slots,
    meanWaitWith: meanWith,
    meanWaitWithout: meanWithout,
    reliefMinutesPerVisitor: meanWith === null || meanWithout === null ? null : meanWithout - meanWith,
    waitingMinutesSavedPerWeek: waitedWith === null || waitedWithout === null ? null : waitedWithout - waitedWith,
    handoversMovedPerWeek: terminalPerWeek,
    counterMinutesSavedPerWeek: terminalPerWeek * config.minutesPerHandover,
    saturatedHoursWith: saturatedWith,
    saturatedHoursWithout: saturatedWithout
  }
}
