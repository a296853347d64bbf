/**
 * `scenario sweep`: a design of parameter points × replicates as a list of
 * (parameters, seed) jobs, run on worker threads, appended to
 * results.ndjson as they finish — rerunning the same sweep into the same
 * folder resumes where it stopped. Summaries per point; Morris screening
 * for Morris designs.
 */
import { Clock, Effect, Ref } from "effect"
import { appendFileSync, existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ensureDir, writeJson } from "../output/files.ts"
import { type PatternResult, summarisePatterns } from "../patterns.ts"
import type { Scenario } from "../schema/scenario.ts"
import { designRng, gridDesign, latinHypercube, morrisDesign, type MorrisEffect, morrisScreening, type Point } from "./design.ts"
import { type JobResult, jobsOf, observables } from "./jobs.ts"
import { runPool, SweepError } from "./pool.ts"
import type { SweepSpec } from "./spec.ts"

export interface PointSummary {
  readonly point: number
  readonly values: Point
  readonly replicates: number
  readonly patterns: ReadonlyArray<PatternResult>
  readonly allPass: boolean
}

export interface SweepReport {
  readonly jobs: number
  readonly ran: number
  readonly resumed: number
  readonly wallSeconds: number
  readonly replicatesPerMinute: number
  readonly points: ReadonlyArray<PointSummary>
  readonly morris: ReadonlyArray<MorrisEffect> | null
}

export interface SweepOptions {
  readonly spec: SweepSpec
  readonly scenario: Scenario
  readonly out: string
  readonly workers: number
  readonly onProgress?: (done: number, total: number) => void
}

export const designOf = (spec: SweepSpec) => {
  const rng = designRng(spec.seed)
  if (spec.design === "grid") return { points: gridDesign(spec.parameters, spec.levels), plan: null }
  if (spec.design === "lhs") return { points: latinHypercube(spec.parameters, spec.samples, rng), plan: null }
  const plan = morrisDesign(spec.parameters, spec.trajectories, spec.levels, rng)
  return { points: plan.points, plan }
}

/** Morris results in the report's sensitivity.json format: per pattern, parameters by μ*. */
export const sensitivityOf = (morris: ReadonlyArray<MorrisEffect>) =>
  [...new Set(morris.map((m) => m.outcome))].map((outcome) => ({
    pattern: outcome,
    parameters: morris.filter((m) => m.outcome === outcome).sort((a, b) => b.muStar - a.muStar).map((m) => ({
      name: m.parameter,
      muStar: m.muStar,
      sigma: m.sigma
    }))
  }))

const readResults = (file: string): ReadonlyArray<JobResult> =>
  existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as JobResult) : []

export const runSweep = (options: SweepOptions) =>
  Effect.gen(function*() {
    const { spec, scenario, out } = options
    const started = yield* Clock.currentTimeMillis
    const { points, plan } = designOf(spec)
    const jobs = jobsOf(points, spec.replicates, spec.seed)
    yield* ensureDir(out)
    const designFile = join(out, "design.json")
    const design = JSON.stringify({ spec, points })
    if (existsSync(designFile) && JSON.stringify(JSON.parse(readFileSync(designFile, "utf8"))) !== design) {
      return yield* new SweepError({ message: `${out} holds the results of a different sweep; choose another --out` })
    }
    yield* writeJson(designFile, JSON.parse(design))
    const resultsFile = join(out, "results.ndjson")
    const done = new Set(readResults(resultsFile).map((r) => r.id))
    const todo = jobs.filter((j) => !done.has(j.id))
    const finished = yield* Ref.make(done.size)
    yield* runPool(scenario, todo, options.workers, (r) =>
      Effect.try({
        try: () => appendFileSync(resultsFile, JSON.stringify(r) + "\n"),
        catch: (e) => new SweepError({ message: `${resultsFile}: ${e instanceof Error ? e.message : String(e)}` })
      }).pipe(
        Effect.zipRight(Ref.updateAndGet(finished, (n) => n + 1)),
        Effect.flatMap((n) => Effect.sync(() => options.onProgress?.(n, jobs.length)))
      ))
    const results = readResults(resultsFile)
    const byPoint = points.map((values, point) => {
      const reps = results.filter((r) => r.point === point).sort((a, b) => a.replicate - b.replicate)
      const patterns = summarisePatterns(reps.map((r) => r.patterns))
      return { point, values, replicates: reps.length, patterns, allPass: patterns.every((p) => p.pass !== false) }
    })
    const morris = plan === null ? null : morrisScreening(
      plan,
      points.map((_, point) => {
        const reps = results.filter((r) => r.point === point).map((r) => observables(r.patterns))
        return Object.fromEntries(Object.keys(reps[0] ?? {}).map((k) => [k, reps.reduce((a, r) => a + r[k]!, 0) / reps.length]))
      })
    )
    const wallSeconds = ((yield* Clock.currentTimeMillis) - started) / 1000
    const report: SweepReport = {
      jobs: jobs.length,
      ran: todo.length,
      resumed: jobs.length - todo.length,
      wallSeconds: Math.round(wallSeconds * 1000) / 1000,
      replicatesPerMinute: todo.length === 0 ? 0 : Math.round((todo.length / wallSeconds) * 60 * 10) / 10,
      points: byPoint,
      morris
    }
    yield* writeJson(join(out, "summary.json"), report)
    if (morris !== null) yield* writeJson(join(out, "sensitivity.json"), sensitivityOf(morris))
    return report
  })
