/**
 * A sweep job is (design point, replicate): the scenario with the point's
 * parameter values, run in model fidelity with the posters-only
 * counterfactual, reduced to the per-replicate pattern observables.
 */
import { Clock, Effect } from "effect"
import { patterns } from "../../analytics/studyPatterns.ts"
import { runModelReplicate } from "../model/run.ts"
import { type ReplicatePatterns, replicatePatterns } from "../patterns.ts"
import type { Scenario } from "../schema/scenario.ts"
import type { Point } from "./design.ts"
import { applyParameters } from "./spec.ts"

export interface Job {
  readonly id: string
  readonly point: number
  readonly replicate: number
  readonly seed: number
  readonly values: Point
}

export interface JobResult {
  readonly id: string
  readonly point: number
  readonly replicate: number
  readonly values: Point
  readonly patterns: ReplicatePatterns
  readonly millis: number
}

export const jobsOf = (points: ReadonlyArray<Point>, replicates: number, seed: number): ReadonlyArray<Job> =>
  points.flatMap((values, point) => Array.from({ length: replicates }, (_, k) => ({ id: `${point}/${k + 1}`, point, replicate: k + 1, seed, values })))

/** Runs one job (synchronously under the hood: the model path has no I/O). */
export const runJob = (scenario: Scenario, job: Job) =>
  Effect.gen(function*() {
    const varied = yield* applyParameters(scenario, job.values)
    const t0 = yield* Clock.currentTimeMillis
    const result = runModelReplicate(varied, { rootSeed: job.seed, replicate: job.replicate, counterfactual: true })
    const millis = (yield* Clock.currentTimeMillis) - t0
    const out: JobResult = { id: job.id, point: job.point, replicate: job.replicate, values: job.values, patterns: replicatePatterns(result), millis }
    return out
  })

/** The numeric observables screened and summarised per point: every pattern by its id (NaN where it cannot apply), and the district share. */
export const observables = (p: ReplicatePatterns): Readonly<Record<string, number>> => ({
  ...Object.fromEntries(patterns.map((spec) => [spec.id, p.observation[spec.id] ?? NaN])),
  districtShare: p.districtShare
})
