/**
 * The residents as agents, in typed arrays (a district of 126,000 fits in a
 * few megabytes): home site, household, demographics, the traits of the
 * adoption model and its state. Residents of a site occupy one index range;
 * a household is a run of consecutive indices.
 */
import type { Scenario } from "../schema/scenario.ts"
import { cumulativeOf, type Rng } from "./rng.ts"

export interface Population {
  readonly size: number
  /** Residents of site s are [siteStart[s], siteStart[s + 1]). */
  readonly siteStart: Int32Array
  readonly site: Uint8Array
  readonly household: Int32Array
  /** Age band 0..4: 0-15, 16-23, 24-44, 45-64, 65+. */
  readonly age: Uint8Array
  readonly female: Uint8Array
  /** Prior technology experience 0..2. */
  readonly tech: Uint8Array
  /** Perceived value trait (time saved, flexibility), standard normal. */
  readonly value: Float32Array
  /** Perceived ease trait, standard normal. */
  readonly ease: Float32Array
  readonly trust: Float32Array
  readonly aware: Uint8Array
  readonly staffRecommended: Uint8Array
  /** Recommendations received from contacts. */
  readonly peerRecs: Uint16Array
  /** Successful terminal uses. */
  readonly uses: Uint16Array
  readonly failures: Uint16Array
  /** Willing to recommend (set after a use). */
  readonly recommends: Uint8Array
  /** Document occasions while the home terminal was in service. */
  readonly occasions: Uint16Array
  readonly firstUseDay: Int32Array
}

export const makePopulation = (scenario: Scenario, rng: Rng): Population => {
  const sizes = scenario.sites.map((s) => s.population)
  const n = sizes.reduce((a, b) => a + b, 0)
  const siteStart = new Int32Array(sizes.length + 1)
  for (let s = 0; s < sizes.length; s++) siteStart[s + 1] = siteStart[s]! + sizes[s]!
  const p: Population = {
    size: n,
    siteStart,
    site: new Uint8Array(n),
    household: new Int32Array(n),
    age: new Uint8Array(n),
    female: new Uint8Array(n),
    tech: new Uint8Array(n),
    value: new Float32Array(n),
    ease: new Float32Array(n),
    trust: new Float32Array(n),
    aware: new Uint8Array(n),
    staffRecommended: new Uint8Array(n),
    peerRecs: new Uint16Array(n),
    uses: new Uint16Array(n),
    failures: new Uint16Array(n),
    recommends: new Uint8Array(n),
    occasions: new Uint16Array(n),
    firstUseDay: new Int32Array(n).fill(-1)
  }
  const d = scenario.demographics
  const ages = cumulativeOf(d.ageBands)
  const techs = cumulativeOf(d.techExperience)
  const t = scenario.behaviour.trust
  const extra = Math.max(0, scenario.network.meanHouseholdSize - 1)
  let hh = -1
  let left = 0
  for (let s = 0; s < sizes.length; s++) {
    left = 0
    for (let i = siteStart[s]!; i < siteStart[s + 1]!; i++) {
      if (left === 0) {
        hh++
        left = Math.min(6, 1 + rng.poisson(extra))
      }
      left--
      p.site[i] = s
      p.household[i] = hh
      p.age[i] = rng.pickCumulative(ages)
      p.female[i] = rng.chance(d.female) ? 1 : 0
      p.tech[i] = rng.pickCumulative(techs)
      p.value[i] = rng.normal()
      p.ease[i] = rng.normal()
      p.trust[i] = Math.min(1, Math.max(0, t.initialMean + t.initialSd * rng.normal()))
    }
  }
  return p
}

/** A copy whose state can change without touching the original (traits and network stay shared in meaning). */
export const clonePopulation = (p: Population): Population => ({
  size: p.size,
  siteStart: p.siteStart,
  site: p.site,
  household: p.household,
  age: p.age,
  female: p.female,
  tech: p.tech,
  value: p.value,
  ease: p.ease,
  trust: p.trust.slice(),
  aware: p.aware.slice(),
  staffRecommended: p.staffRecommended.slice(),
  peerRecs: p.peerRecs.slice(),
  uses: p.uses.slice(),
  failures: p.failures.slice(),
  recommends: p.recommends.slice(),
  occasions: p.occasions.slice(),
  firstUseDay: p.firstUseDay.slice()
})
