/**
 * Scenario benchmarks: pilot-myk in model fidelity (wall time per replicate
 * with its posters-only counterfactual, simulated resident-days per second,
 * peak memory), a 100-replicate sweep on two worker threads (replicates per
 * minute), and single-terminal-demo in full fidelity (simulated pickups per
 * second through the real workflows on SQLite with durable commits).
 */
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { runFullReplicate } from "../scenarios/full/run.ts"
import { runModelReplicate } from "../scenarios/model/run.ts"
import { loadScenario } from "../scenarios/schema/load.ts"
import { runSweep } from "../scenarios/sweep/sweep.ts"

const mib = (kib: number) => Math.round(kib / 1024)

export const pilotModelBench = (replicates: number) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario("pilot-myk")
    const times: Array<number> = []
    let residentDays = 0
    for (let k = 1; k <= replicates; k++) {
      const t0 = performance.now()
      const r = runModelReplicate(scenario, { rootSeed: 1, replicate: k, counterfactual: true })
      times.push(performance.now() - t0)
      residentDays = r.residentDays
    }
    const sorted = [...times].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)]!
    return {
      bench: "scenario.pilot-myk.model",
      replicates,
      secondsPerReplicate: Number((median / 1000).toFixed(3)),
      note: "median; each replicate includes its posters-only counterfactual run (P8) and the survey",
      residentDaysPerSecond: Math.round(residentDays / (median / 1000)),
      peakRssMiB: mib(process.resourceUsage().maxRSS)
    }
  })

export const sweepBench = (replicates: number, workers: number) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario("pilot-myk")
    const report = yield* runSweep({
      spec: {
        scenario: "pilot-myk",
        design: "grid",
        parameters: [{ path: "behaviour.choice.staff", values: [scenario.behaviour.choice.staff], integer: false }],
        samples: 1,
        levels: 2,
        trajectories: 1,
        replicates,
        seed: 1
      },
      scenario,
      out: mkdtempSync(join(tmpdir(), "amtomat-bench-sweep-")),
      workers
    })
    return { bench: "scenario.pilot-myk.sweep", replicates, workers, wallSeconds: report.wallSeconds, replicatesPerMinute: report.replicatesPerMinute }
  })

export const fullDemoBench = (durable: boolean) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario("single-terminal-demo")
    const t0 = performance.now()
    const r = yield* runFullReplicate(scenario, { rootSeed: 1, replicate: 1, durable })
    const seconds = (performance.now() - t0) / 1000
    const interactions = Object.values(r.interactions).reduce((a, b) => a + b, 0)
    return {
      bench: "scenario.single-terminal-demo.full",
      sqlite: durable ? "synchronous=FULL (as on a terminal)" : "synchronous=OFF (what the engine and workflows cost without durable commits)",
      simulatedDays: r.days,
      pickups: r.tally.pickupsOk,
      events: r.events.length,
      wallSeconds: Number(seconds.toFixed(2)),
      pickupsPerSecond: Number((r.tally.pickupsOk / seconds).toFixed(2)),
      interactionsPerSecond: Number((interactions / seconds).toFixed(1)),
      eventsPerSecond: Math.round(r.events.length / seconds)
    }
  })

export const scenarioBenches: ReadonlyArray<Effect.Effect<Record<string, unknown>, unknown>> = [
  pilotModelBench(5),
  sweepBench(100, 2),
  fullDemoBench(true),
  fullDemoBench(false)
]
