/**
 * The study patterns of a scenario replicate: the engine's results as the
 * inputs of analytics/studyPatterns.ts, which holds the one implementation
 * of every pattern (the report computes them from the event log with the
 * same code). What only the engine knows comes from here: P7 from occasions,
 * P8 from the posters-only run of the same world.
 */
import { comparisonTable, lastDayOfMonth, type Observation, observe, type PatternInputs, type PatternRow } from "../analytics/studyPatterns.ts"
import type { Respondent } from "../analytics/survey.ts"
import type { ReplicateResult, SiteResult, SurveyRow } from "./engine/results.ts"

/** Months of service at the best site counted by P6 (the study: "in the first months"). */
export const P6_MONTHS = 5

export interface ReplicatePatterns {
  readonly observation: Observation
  /** The district's terminal share over the sites with a terminal (not a study pattern; policy figures use it). */
  readonly districtShare: number
}

export type PatternResult = PatternRow

const districtShare = (r: ReplicateResult) => {
  const withTerminal = r.sites.filter((s) => s.startDay !== null)
  const t = withTerminal.reduce((a, s) => a + s.pickupsTerminal, 0)
  const c = withTerminal.reduce((a, s) => a + s.pickupsCounter, 0)
  return t + c > 0 ? t / (t + c) : 0
}

/** A survey row as the report reads it back from survey.csv. */
export const respondentOf = (r: SurveyRow): Respondent => ({
  respondent: String(r.respondent),
  site: r.site,
  ageBand: String(r.ageBand),
  gender: r.gender,
  techExperience: String(r.techExperience),
  intention: r.intention,
  usedTerminal: r.usedTerminal === 1,
  uses: r.uses,
  trust: r.trust,
  perceivedValue: r.perceivedValue,
  ease: r.ease,
  recommends: r.recommends,
  staffRecommended: r.staffRecommended === 1,
  peerExposure: r.peerExposure
})

/** The engine's results as pattern inputs. */
export const inputsOf = (r: ReplicateResult & { readonly counterfactual: ReplicateResult | null }): PatternInputs => {
  const share = districtShare(r)
  return {
    sites: r.sites.filter((s: SiteResult) => s.startDay !== null).map((s) => ({
      site: s.name,
      months: s.months,
      lastMonthComplete: lastDayOfMonth(r.lastDay)
    })),
    uses: { pickups: r.tally.pickupsOk, all: r.tally.pickupsOk + r.tally.applicationsOk },
    repeatRate: r.tally.secondOccasions > 0 ? r.tally.repeatUses / r.tally.secondOccasions : null,
    survey: r.survey.length === 0 ? null : r.survey.map(respondentOf),
    equivalenceSurvey: r.equivalenceSurvey.length === 0 ? null : r.equivalenceSurvey.map(respondentOf),
    postersRatio: r.counterfactual === null || share === 0 ? null : districtShare(r.counterfactual) / share,
    p6Months: P6_MONTHS
  }
}

export const replicatePatterns = (r: ReplicateResult & { readonly counterfactual: ReplicateResult | null }): ReplicatePatterns => ({
  observation: observe(inputsOf(r)),
  districtShare: districtShare(r)
})

/** The comparison table across replicates (the same as the report's). */
export const summarisePatterns = (reps: ReadonlyArray<ReplicatePatterns>): ReadonlyArray<PatternResult> => comparisonTable(reps.map((r) => r.observation))
