/**
 * Parameter designs — full grid, Latin hypercube, Morris trajectories — and
 * Morris screening: the elementary effects of each parameter on each
 * outcome, summarised as μ* (mean absolute effect) and σ.
 */
import { deriveSeed, Rng } from "../engine/rng.ts"
import type { Parameter } from "./spec.ts"

export type Point = Readonly<Record<string, number>>

const scale = (p: Parameter, u: number) => {
  const v = p.min! + u * (p.max! - p.min!)
  return p.integer ? Math.round(v) : v
}

export const gridDesign = (params: ReadonlyArray<Parameter>, levels: number): ReadonlyArray<Point> => {
  const axes = params.map((p) => p.values ?? Array.from({ length: levels }, (_, i) => scale(p, i / (levels - 1))))
  let points: Array<Record<string, number>> = [{}]
  params.forEach((p, j) => {
    points = points.flatMap((pt) => axes[j]!.map((v) => ({ ...pt, [p.path]: v })))
  })
  return points
}

export const latinHypercube = (params: ReadonlyArray<Parameter>, n: number, rng: Rng): ReadonlyArray<Point> => {
  const strata = params.map(() => {
    const perm = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      ;[perm[i], perm[j]] = [perm[j]!, perm[i]!]
    }
    return perm
  })
  return Array.from({ length: n }, (_, i) => Object.fromEntries(params.map((p, j) => [p.path, scale(p, (strata[j]![i]! + rng.next()) / n)])))
}

export interface MorrisPlan {
  readonly points: ReadonlyArray<Point>
  /** Per trajectory: the parameter changed at each step and the signed step in unit scale. */
  readonly steps: ReadonlyArray<ReadonlyArray<{ readonly param: string; readonly delta: number }>>
}

/** r trajectories of k+1 points on a p-level grid (Morris 1991), Δ = p / (2(p − 1)). */
export const morrisDesign = (params: ReadonlyArray<Parameter>, r: number, levels: number, rng: Rng): MorrisPlan => {
  const delta = levels / (2 * (levels - 1))
  const points: Array<Point> = []
  const steps: Array<Array<{ param: string; delta: number }>> = []
  for (let t = 0; t < r; t++) {
    const x = params.map(() => rng.int(Math.floor(levels / 2)) / (levels - 1))
    const order = params.map((_, i) => i)
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const up = params.map(() => rng.chance(0.5))
    const current = up.map((u, i) => (u ? x[i]! : x[i]! + delta))
    const emit = () => points.push(Object.fromEntries(params.map((p, i) => [p.path, scale(p, current[i]!)])))
    emit()
    const traj: Array<{ param: string; delta: number }> = []
    for (const i of order) {
      const d = up[i] ? delta : -delta
      current[i] = current[i]! + d
      traj.push({ param: params[i]!.path, delta: d })
      emit()
    }
    steps.push(traj)
  }
  return { points, steps }
}

export interface MorrisEffect {
  readonly parameter: string
  readonly outcome: string
  readonly muStar: number
  readonly mu: number
  readonly sigma: number
}

/** Elementary effects from outcome means per design point (in the plan's order). */
export const morrisScreening = (plan: MorrisPlan, outcomes: ReadonlyArray<Readonly<Record<string, number>>>): ReadonlyArray<MorrisEffect> => {
  const effects = new Map<string, Array<number>>()
  let at = 0
  for (const traj of plan.steps) {
    for (const [s, step] of traj.entries()) {
      const before = outcomes[at + s]!
      const after = outcomes[at + s + 1]!
      for (const outcome of Object.keys(after)) {
        const ee = (after[outcome]! - before[outcome]!) / step.delta
        if (!isFinite(ee)) continue
        const key = `${step.param}\u0000${outcome}`
        const list = effects.get(key) ?? []
        list.push(ee)
        effects.set(key, list)
      }
    }
    at += traj.length + 1
  }
  return [...effects].map(([key, ees]) => {
    const [parameter, outcome] = key.split("\u0000") as [string, string]
    const mu = ees.reduce((a, b) => a + b, 0) / ees.length
    const muStar = ees.reduce((a, b) => a + Math.abs(b), 0) / ees.length
    const sigma = Math.sqrt(ees.reduce((a, b) => a + (b - mu) ** 2, 0) / Math.max(1, ees.length - 1))
    return { parameter, outcome, muStar, mu, sigma }
  })
}

export const designRng = (seed: number) => new Rng(deriveSeed(seed, "design"))
