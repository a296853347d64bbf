/**
 * P3 at the study's n: what "no age, gender or technology effect" can mean
 * for a survey of this size. The study reports no measurable effect; a
 * survey of ~300 with ~25 users can only miss effects below what it can
 * detect. For each demographic term of the linear probability model of use
 * (analytics/survey.ts, `demographicFit`):
 *
 * - detected: its Bonferroni 95% interval excludes 0 (what P3 counts);
 * - equivalent: two one-sided tests (TOST, 90% interval) place it within
 *   ± the smallest effect of interest, so "no effect" is shown, not only
 *   "no effect found";
 * - mde80: the effect this survey detects with 80% power;
 * - n80: the survey size at which an effect of the smallest size of interest
 *   is detected with 80% power (the standard error shrinks as 1/√n);
 * - nEquivalent80: the survey size at which a term with no effect at all is
 *   shown equivalent with 80% power. P3 (`equivalenceShare`) is judged only
 *   on a survey at least that large: a smaller one cannot show "no effect".
 *
 * The smallest effect of interest is an assumption, stated: 3 percentage
 * points of use probability per age band, per step of technology experience,
 * or between genders — about a third of a typical site's use rate, and
 * smaller than an odds ratio of 0.5 per band gives at that rate (≈ 4 points).
 */
import { normalQuantile } from "./stats.ts"
import { demographicFit, type Respondent } from "./survey.ts"

export const SMALLEST_EFFECT = 0.03
const POWER = 0.8

export interface TermPower {
  readonly name: string
  readonly estimate: number
  readonly se: number
  readonly detected: boolean
  readonly equivalent: boolean
  readonly mde80: number
  readonly n80: number
  readonly nEquivalent80: number
}

export interface DemographicPower {
  readonly n: number
  readonly smallestEffect: number
  readonly terms: ReadonlyArray<TermPower>
}

/** Per demographic term: detected, shown equivalent, and the power of a survey of this size; null when the model cannot be fitted. */
export const demographicPower = (rows: ReadonlyArray<Respondent>, smallestEffect = SMALLEST_EFFECT): DemographicPower | null => {
  const fit = demographicFit(rows)
  if (fit === null || fit.coefficients.length === 0) return null
  const k = fit.coefficients.length
  const zDetect = normalQuantile(1 - 0.025 / k)
  const zEquiv = normalQuantile(0.95)
  const zPower = normalQuantile(POWER)
  // TOST with a true effect of 0: shown when |estimate| < δ − z(0.95)·se, which holds with
  // probability 0.8 when δ / se ≥ z(0.95) + z(0.9)
  const zEquivPower = zEquiv + normalQuantile(1 - (1 - POWER) / 2)
  return {
    n: fit.n,
    smallestEffect,
    terms: fit.coefficients.map((c) => {
      const mde80 = (zDetect + zPower) * c.se
      return {
        name: c.name,
        estimate: c.estimate,
        se: c.se,
        detected: Math.abs(c.estimate) > zDetect * c.se,
        equivalent: Math.abs(c.estimate) + zEquiv * c.se < smallestEffect,
        mde80,
        n80: Math.ceil(fit.n * (mde80 / smallestEffect) ** 2),
        nEquivalent80: Math.ceil(fit.n * (zEquivPower * c.se / smallestEffect) ** 2)
      }
    })
  }
}

/**
 * P3: the share of demographic terms shown equivalent to no effect (TOST, ±
 * the smallest effect of interest); null when the model cannot be fitted or
 * the survey is too small to show equivalence for every term with 80% power.
 */
export const equivalenceShare = (rows: ReadonlyArray<Respondent>, smallestEffect = SMALLEST_EFFECT): number | null => {
  const power = demographicPower(rows, smallestEffect)
  if (power === null || power.terms.some((t) => power.n < t.nEquivalent80)) return null
  return power.terms.filter((t) => t.equivalent).length / power.terms.length
}
