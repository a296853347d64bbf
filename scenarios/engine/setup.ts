/**
 * The occasions and the faults, scheduled at the start: document expiry
 * cycles (10 years, 6 when issued before 24) with the application some days
 * before expiry, other needs and holiday passports spread over the year by
 * the seasonality weights (a non-homogeneous Poisson process by thinning),
 * device faults as Poisson processes per terminal, outages from the file.
 */
import type { FaultKind } from "./interactions.ts"
import type { Rng } from "./rng.ts"
import { Ev, type State } from "./state.ts"

export const faultKinds: ReadonlyArray<FaultKind> = ["jam", "locker-offline", "sms-outage", "card-offline"]

/** Fault events carry (slot, kind, on) packed into one number. */
export const packFault = (slot: number, kind: number, on: boolean) => (slot * 4 + kind) * 2 + (on ? 1 : 0)
export const unpackFault = (b: number) => ({ on: (b & 1) === 1, kind: faultKinds[(b >> 1) & 3]!, slot: b >> 3 })

/** Document events carry (kind, needs old document) packed into one number. */
export const packDoc = (kind: number, needsOld: boolean) => kind * 2 + (needsOld ? 1 : 0)

const seasonalDay = (st: State, rng: Rng): number => {
  const w = st.scenario.demand.seasonality
  const max = Math.max(...w)
  if (max <= 0) return rng.int(st.days)
  for (;;) {
    const day = rng.int(st.days)
    if (rng.next() * max < w[st.calendar.month[day]!]!) return day
  }
}

const randomAdult = (st: State, site: number, rng: Rng): number => {
  const lo = st.pop.siteStart[site]!
  const size = st.pop.siteStart[site + 1]! - lo
  for (let k = 0; k < 100; k++) {
    const i = lo + rng.int(size)
    if (st.pop.age[i]! >= 1) return i
  }
  return lo + rng.int(size)
}

export const scheduleInitial = (st: State): void => {
  const { scenario, pop } = st
  const d = scenario.demand
  const specs = [d.idCard, d.passport]
  for (let i = 0; i < pop.size; i++) {
    if (pop.age[i] === 0) continue
    const s = pop.site[i]!
    const rng = st.siteRng[s]!
    for (let k = 0; k < 2; k++) {
      const spec = specs[k]!
      if (!rng.chance(spec.holders)) continue
      const years = pop.age[i] === 1 ? spec.youngValidityYears : spec.validityYears
      const expiry = rng.uniform(0, years * 365.25)
      const day = Math.floor(expiry - rng.uniform(spec.leadDays[0], spec.leadDays[1]))
      if (day >= 0 && day < st.days) st.schedule(st.hours[s]!.timeOnOrAfter(day, rng.next()), Ev.Apply, i, packDoc(k, true))
    }
  }
  const years = st.days / 365.25
  for (let s = 0; s < scenario.sites.length; s++) {
    const rng = st.siteRng[s]!
    const population = scenario.sites[s]!.population
    const other = rng.poisson(population * d.otherNeedsPerResidentYear * years)
    for (let n = 0; n < other; n++) {
      const day = seasonalDay(st, rng)
      st.schedule(st.hours[s]!.timeOnOrAfter(day, rng.next()), Ev.Apply, randomAdult(st, s, rng), packDoc(rng.chance(0.7) ? 0 : 1, false))
    }
    const holiday = rng.poisson(population * d.passportExtraPerResidentYear * years)
    for (let n = 0; n < holiday; n++) {
      const day = seasonalDay(st, rng)
      st.schedule(st.hours[s]!.timeOnOrAfter(day, rng.next()), Ev.Apply, randomAdult(st, s, rng), packDoc(1, false))
    }
    scheduleFaults(st, s, rng)
  }
  st.schedule(120, Ev.Daily, 0)
}

const scheduleFaults = (st: State, s: number, rng: Rng): void => {
  const f = st.scenario.faults
  const from = st.startDay[s]!
  if (!isFinite(from) || from >= st.days) return
  const activeYears = (st.days - from) / 365.25
  const plan: ReadonlyArray<readonly [number, number, number]> = [
    [0, f.jamsPerYear, f.repairHours],
    [1, f.lockerOfflinePerYear, f.lockerOfflineHours],
    [2, f.smsOutagesPerYear, f.smsOutageHours],
    [3, f.cardOfflinePerYear, f.cardOfflineHours]
  ]
  for (const [kind, perYear, hours] of plan) {
    const n = rng.poisson(perYear * activeYears)
    for (let k = 0; k < n; k++) {
      const t = rng.uniform(from * 1440, st.end)
      const slot = kind === 0 ? rng.int(st.compartments[s]!) : 0
      st.schedule(t, Ev.Fault, s, packFault(slot, kind, true))
      st.schedule(t + hours * 60 * rng.uniform(0.5, 1.5), Ev.Fault, s, packFault(slot, kind, false))
    }
  }
  const name = st.scenario.sites[s]!.name
  for (const o of f.outages) {
    if (o.site !== name) continue
    st.schedule(Math.max(0, st.calendar.dayOf(o.from)) * 1440, Ev.Fault, s, packFault(0, 3, true))
    st.schedule((st.calendar.dayOf(o.to) + 1) * 1440, Ev.Fault, s, packFault(0, 3, false))
  }
}
