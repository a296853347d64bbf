/**
 * The calibration targets P1..P8 of the pilot study, computed per replicate
 * and summarised across replicates (mean, 95% interval, band, pass).
 */
import type { ReplicateResult, SurveyRow } from "./engine/results.ts"
import { logit, ols, standardise } from "./stats/regression.ts"

export interface ReplicatePatterns {
  readonly bestShare: number
  readonly bestSite: string
  readonly worstShare: number
  readonly intending: number
  /** 1 when every demographic coefficient's (Bonferroni) 95% interval covers 0. */
  readonly demographicsNull: number
  readonly demographicCoefficients: Readonly<Record<string, number>>
  /** 1 when use has the largest standardised coefficient for recommending. */
  readonly useStrongest: number
  readonly recommendCoefficients: Readonly<Record<string, number>>
  readonly pickupShare: number
  readonly firstMonthsBest: number
  readonly repeatRate: number
  readonly districtShare: number
  /** Posters-only district share over this run's district share (NaN without the counterfactual). */
  readonly postersRatio: number
}

export interface PatternResult {
  readonly id: string
  readonly name: string
  readonly observed: number
  readonly interval: readonly [number, number]
  readonly band: readonly [number, number]
  readonly pass: boolean
  /** Replicates with a value. */
  readonly n: number
  readonly detail?: Readonly<Record<string, unknown>>
}

const districtShare = (r: ReplicateResult) => {
  const withTerminal = r.sites.filter((s) => s.startDay !== null)
  const t = withTerminal.reduce((a, s) => a + s.pickupsTerminal, 0)
  const c = withTerminal.reduce((a, s) => a + s.pickupsCounter, 0)
  return t + c > 0 ? t / (t + c) : 0
}

const demographics = (survey: ReadonlyArray<SurveyRow>) => {
  const names = ["age", "female", "tech"]
  const x = survey.map((r) => [r.ageBand, r.gender === "female" ? 1 : 0, r.techExperience])
  const y = survey.map((r) => r.usedTerminal)
  const level = 1 - 0.05 / names.length
  const fit = y.some((v) => v === 1) && y.some((v) => v === 0) ? logit(names, x, y, level) ?? ols(names, x, y, level) : undefined
  if (fit === undefined) return { covered: 1, coefficients: {} }
  const terms = fit.coefficients.slice(1)
  return {
    covered: terms.every((c) => c.lo <= 0 && c.hi >= 0) ? 1 : 0,
    coefficients: Object.fromEntries(terms.map((c) => [c.name, Number(c.estimate.toFixed(3))]))
  }
}

const recommending = (survey: ReadonlyArray<SurveyRow>) => {
  const cols = [standardise(survey.map((r) => r.usedTerminal)), standardise(survey.map((r) => r.trust)), standardise(survey.map((r) => r.ease))]
  const fit = ols(["use", "trust", "ease"], survey.map((_, i) => cols.map((c) => c[i]!)), survey.map((r) => r.recommends))
  if (fit === undefined) return { strongest: 0, coefficients: {} }
  const [use, trust, ease] = fit.coefficients.slice(1).map((c) => c.estimate) as [number, number, number]
  return {
    strongest: use > Math.abs(trust) && use > Math.abs(ease) ? 1 : 0,
    coefficients: { use: Number(use.toFixed(3)), trust: Number(trust.toFixed(3)), ease: Number(ease.toFixed(3)) }
  }
}

export const replicatePatterns = (r: ReplicateResult & { readonly counterfactual: ReplicateResult | null }): ReplicatePatterns => {
  const sites = r.sites.filter((s) => s.startDay !== null)
  const best = sites.reduce((a, s) => (s.terminalShare > a.terminalShare ? s : a), sites[0]!)
  const worst = sites.reduce((a, s) => (s.terminalShare < a.terminalShare ? s : a), sites[0]!)
  const demo = demographics(r.survey)
  const rec = recommending(r.survey)
  const share = districtShare(r)
  return {
    bestShare: best.terminalShare,
    bestSite: best.name,
    worstShare: worst.terminalShare,
    intending: r.survey.length === 0 ? NaN : r.survey.filter((x) => x.intention > 0.5).length / r.survey.length,
    demographicsNull: demo.covered,
    demographicCoefficients: demo.coefficients,
    useStrongest: rec.strongest,
    recommendCoefficients: rec.coefficients,
    pickupShare: r.tally.pickupsOk + r.tally.applicationsOk > 0 ? r.tally.pickupsOk / (r.tally.pickupsOk + r.tally.applicationsOk) : NaN,
    firstMonthsBest: best.pickupsFirst5Months,
    repeatRate: r.tally.secondOccasions > 0 ? r.tally.repeatUses / r.tally.secondOccasions : NaN,
    districtShare: share,
    postersRatio: r.counterfactual === null || share === 0 ? NaN : districtShare(r.counterfactual) / share
  }
}

const meanOf = (xs: ReadonlyArray<number>) => {
  const v = xs.filter((x) => !isNaN(x))
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length
}

/** Mean and a normal 95% interval of the mean across replicates. */
export const meanInterval = (xs: ReadonlyArray<number>): { mean: number; interval: readonly [number, number] } => {
  const v = xs.filter((x) => !isNaN(x))
  const m = meanOf(v)
  if (v.length < 2) return { mean: m, interval: [m, m] }
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1))
  const h = (1.96 * sd) / Math.sqrt(v.length)
  return { mean: m, interval: [m - h, m + h] }
}

const r4 = (x: number) => (isNaN(x) ? NaN : Math.round(x * 1e4) / 1e4)

export const summarisePatterns = (reps: ReadonlyArray<ReplicatePatterns>): ReadonlyArray<PatternResult> => {
  const make = (
    id: string,
    name: string,
    xs: ReadonlyArray<number>,
    band: readonly [number, number],
    detail?: Record<string, unknown>,
    extra = true
  ): PatternResult => {
    const { mean, interval } = meanInterval(xs)
    const pass = !isNaN(mean) && mean >= band[0] && mean <= band[1] && extra
    const n = xs.filter((x) => !isNaN(x)).length
    return { id, name, observed: r4(mean), interval: [r4(interval[0]), r4(interval[1])], band, pass, n, ...(detail === undefined ? {} : { detail }) }
  }
  const worst = meanInterval(reps.map((r) => r.worstShare))
  const sites = [...new Set(reps.map((r) => r.bestSite))]
  const coefficientMeans = (pick: (r: ReplicatePatterns) => Readonly<Record<string, number>>) => {
    const keys = [...new Set(reps.flatMap((r) => Object.keys(pick(r))))]
    return Object.fromEntries(keys.map((k) => [k, r4(meanOf(reps.map((r) => pick(r)[k] ?? NaN)))]))
  }
  return [
    make(
      "P1",
      "best site share (worst below 2%)",
      reps.map((r) => r.bestShare),
      [0.2, 0.35],
      { bestSite: sites, worst: r4(worst.mean), worstBand: [0, 0.02] },
      worst.mean < 0.02
    ),
    make("P2", "share intending to use (survey)", reps.map((r) => r.intending), [0.55, 0.7]),
    make("P3", "replicates where no demographic effect is found", reps.map((r) => r.demographicsNull), [0.8, 1], {
      coefficients: coefficientMeans((r) => r.demographicCoefficients)
    }),
    make("P4", "replicates where use drives recommending most", reps.map((r) => r.useStrongest), [0.8, 1], {
      coefficients: coefficientMeans((r) => r.recommendCoefficients)
    }),
    make("P5", "pickups among terminal transactions", reps.map((r) => r.pickupShare), [0.8, 1]),
    make("P6", "terminal pickups at the best site, first 5 months", reps.map((r) => r.firstMonthsBest), [100, 300]),
    make("P7", "repeat use at a second occasion", reps.map((r) => r.repeatRate), [0.7, 1]),
    make("P8", "posters-only share / this scenario's share", reps.map((r) => r.postersRatio), [0, 0.25], {
      districtShare: r4(meanOf(reps.map((r) => r.districtShare)))
    })
  ]
}
