/**
 * Sweeps: jobs run on worker threads (TypeScript through tsx's loader), the
 * results equal an in-thread run, and a rerun into the same folder resumes
 * instead of starting over. Calibration ranks and accepts parameter sets.
 */
import { Deferred, Effect, Fiber } from "effect"
import { existsSync, mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { calibrate } from "../../scenarios/calibrate.ts"
import { type Job, jobsOf } from "../../scenarios/sweep/jobs.ts"
import { runPool } from "../../scenarios/sweep/pool.ts"
import type { SweepSpec } from "../../scenarios/sweep/spec.ts"
import { runSweep } from "../../scenarios/sweep/sweep.ts"
import { preset } from "./support.ts"

const scenario = preset("single-terminal-demo")
const spec: SweepSpec = {
  scenario: "single-terminal-demo",
  design: "grid",
  parameters: [{ path: "sites.*.staff.recommend", values: [0.05, 0.8], integer: false }],
  samples: 2,
  levels: 2,
  trajectories: 1,
  replicates: 2,
  seed: 3
}
const temp = () => mkdtempSync(join(tmpdir(), "amtomat-sweep-"))

describe("sweeps", () => {
  it("runs on two worker threads, equals the in-thread run, and resumes", async () => {
    const out = temp()
    const parallel = await Effect.runPromise(runSweep({ spec, scenario, out, workers: 2 }))
    expect(parallel.jobs).toBe(4)
    expect(parallel.ran).toBe(4)
    const inThread = await Effect.runPromise(runSweep({ spec, scenario, out: temp(), workers: 0 }))
    expect(parallel.points.map((p) => p.patterns)).toEqual(inThread.points.map((p) => p.patterns))
    // one site: no spread between sites (P1 n/a); the district share follows the staff
    const results = readFileSync(join(out, "results.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l))
    const share = (point: number) => results.filter((r) => r.point === point).reduce((a, r) => a + r.patterns.districtShare, 0)
    expect(parallel.points[0]!.patterns.find((p) => p.id === "P1-best")).toMatchObject({ pass: null })
    expect(share(1)).toBeGreaterThan(3 * share(0))
    const again = await Effect.runPromise(runSweep({ spec, scenario, out, workers: 2 }))
    expect(again.ran).toBe(0)
    expect(again.resumed).toBe(4)
    expect(readFileSync(join(out, "results.ndjson"), "utf8").trim().split("\n")).toHaveLength(4)
  }, 60_000)

  it("the first failing job fails the whole sweep, on workers as in this thread", async () => {
    const bad: Job = { id: "9/1", point: 9, replicate: 1, seed: 3, values: { "no.such.parameter": 1 } }
    const good = jobsOf([{ "sites.*.staff.recommend": 0.1 }], 3, 3)
    for (const workers of [0, 2]) {
      const seen: Array<string> = []
      const result = await Effect.runPromise(
        Effect.either(runPool(scenario, [good[0]!, bad, ...good.slice(1)], workers, (r) => Effect.sync(() => seen.push(r.id))))
      )
      expect(result, `workers: ${workers}`).toMatchObject({ _tag: "Left", left: { _tag: "SweepError", message: expect.stringMatching(/^job 9\/1: /) } })
      expect(seen.length, `workers: ${workers}`).toBeLessThan(3)
    }
  }, 60_000)

  it("results come back in the jobs' order; interrupted, the pool stops (its workers terminated) and reports nothing more", async () => {
    const jobs = jobsOf([{ "sites.*.staff.recommend": 0.1 }, { "sites.*.staff.recommend": 0.6 }], 2, 3)
    const results = await Effect.runPromise(runPool(scenario, jobs, 2, () => Effect.void))
    expect(results.map((r) => r.id)).toEqual(jobs.map((j) => j.id))
    const many = jobsOf(Array.from({ length: 8 }, (_, i) => ({ "sites.*.staff.recommend": i / 10 })), 1, 3)
    const { after, later } = await Effect.runPromise(Effect.gen(function*() {
      const first = yield* Deferred.make<void>()
      const seen: Array<string> = []
      const fiber = yield* Effect.fork(
        runPool(scenario, many, 2, (r) => Effect.zipRight(Effect.sync(() => seen.push(r.id)), Deferred.succeed(first, undefined)))
      )
      yield* Deferred.await(first)
      // returns once the pool's finalizer has awaited every worker's termination
      yield* Fiber.interrupt(fiber)
      const after = seen.length
      yield* Effect.sleep("500 millis")
      return { after, later: seen.length }
    }))
    expect(after).toBeLessThan(many.length)
    expect(later).toBe(after)
  }, 60_000)

  it("refuses to mix a different sweep into a results folder", async () => {
    const out = temp()
    await Effect.runPromise(runSweep({ spec: { ...spec, replicates: 1 }, scenario, out, workers: 0 }))
    const other = await Effect.runPromise(Effect.either(runSweep({ spec: { ...spec, seed: 4, replicates: 1 }, scenario, out, workers: 0 })))
    expect(other._tag).toBe("Left")
  })

  it("Morris screening names staff propensity as what moves the terminal share", async () => {
    const report = await Effect.runPromise(runSweep({
      spec: {
        ...spec,
        design: "morris",
        parameters: [
          { path: "sites.*.staff.recommend", min: 0, max: 0.8, integer: false },
          { path: "behaviour.humanErrors.mistypeCode", min: 0, max: 0.2, integer: false }
        ],
        trajectories: 3,
        levels: 4,
        replicates: 1
      },
      scenario,
      out: temp(),
      workers: 0
    }))
    const share = report.morris!.filter((m) => m.outcome === "districtShare").sort((a, b) => b.muStar - a.muStar)
    expect(share[0]!.parameter).toBe("sites.*.staff.recommend")
  })

  it("calibration writes accepted sets ranked by distance, and the best as a scenario patch", async () => {
    const out = temp()
    const pilotShort = preset("single-terminal-demo")
    const { ranked } = await Effect.runPromise(calibrate({
      scenario: pilotShort,
      source: "single-terminal-demo",
      samples: 3,
      replicates: 1,
      seed: 1,
      workers: 0,
      out,
      parameters: [{ path: "behaviour.choice.staff", min: 3, max: 5, integer: false }]
    }))
    expect(ranked).toHaveLength(3)
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.distance).toBeGreaterThanOrEqual(ranked[i - 1]!.distance)
    expect(existsSync(join(out, "accepted.json"))).toBe(true)
  })
})
