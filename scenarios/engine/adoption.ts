/**
 * The adoption model's formulas, pure: the choice at the counter, trust,
 * willingness to recommend, and intention (for the survey only — intention
 * creates no use by itself; use needs an occasion).
 */
import type { Behaviour } from "../schema/scenario.ts"
import { logistic } from "./rng.ts"

export interface ChoiceInputs {
  readonly value: number
  readonly staff: boolean
  readonly peer: number
  readonly trust: number
  readonly used: boolean
  /** visibility − effort of the site's access conditions. */
  readonly access: number
  readonly waitMinutes: number
  readonly posters: number
  readonly age: number
  readonly female: boolean
  readonly tech: number
}

/** Probability of choosing the terminal for the pickup. Demographic terms are zero by default. */
export const choiceProbability = (b: Behaviour["choice"], x: ChoiceInputs): number =>
  logistic(
    b.intercept + b.value * x.value + (x.staff ? b.staff : 0) + b.peer * x.peer + b.trust * (x.trust - 0.5) + (x.used ? b.habit : 0) +
      b.access * x.access + b.wait * x.waitMinutes + b.posters * x.posters + b.age * (x.age - 2) + (x.female ? b.gender : 0) +
      b.tech * (x.tech - 1)
  )

/** Willingness to recommend: driven by having used it more than by trust or ease. */
export const recommendProbability = (b: Behaviour["recommend"], used: boolean, trust: number, ease: number): number =>
  logistic(b.intercept + (used ? b.use : 0) + b.trust * (trust - 0.5) + b.ease * ease)

export interface IntentionInputs {
  readonly value: number
  readonly trust: number
  readonly peer: number
  readonly used: boolean
  readonly staff: boolean
  readonly aware: boolean
}

export const intention = (b: Behaviour["intention"], x: IntentionInputs): number =>
  logistic(
    b.intercept + b.value * x.value + b.trust * (x.trust - 0.5) + b.peer * x.peer + (x.used ? b.use : 0) + (x.staff ? b.staff : 0) +
      (x.aware ? b.aware : 0)
  )

export const trustAfterSuccess = (b: Behaviour["trust"], t: number) => t + b.success * (1 - t)
/** A device failure costs trust fully, the citizen's own slip a third of it. */
export const trustAfterFailure = (b: Behaviour["trust"], t: number, device: boolean) => t - b.failure * (device ? 1 : 0.3) * t
export const trustAfterPeer = (b: Behaviour["trust"], t: number) => t + b.peer * (1 - t)
export const trustAfterStaff = (b: Behaviour["trust"], t: number) => t + b.staff * (1 - t)
