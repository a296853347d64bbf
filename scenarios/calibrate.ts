/**
 * `scenario calibrate`: a Latin-hypercube search over the behaviour
 * parameters and the county-level distribution of the clerks' propensity
 * (`calibrationSpace`), each point run with replicates; a point is accepted
 * when every pattern (P1–P11) holds together (ABC rejection). Accepted sets are written ranked by how centrally they
 * sit in the bands, with the best as a scenario patch (`extends`).
 */
import { Effect } from "effect"
import { join } from "node:path"
import { stringify } from "yaml"
import { writeJson, writeText } from "./output/files.ts"
import type { PatternResult } from "./patterns.ts"
import type { Scenario } from "./schema/scenario.ts"
import type { Parameter } from "./sweep/spec.ts"
import { runSweep } from "./sweep/sweep.ts"

/**
 * The default search space around the shipped pilot-myk values. The patterns do not
 * pin the strength of word of mouth; the study's finding 4 says it is a real
 * channel, so the peer weight stays in a range where one recommending friend
 * among eight adds about 1–3 to the log-odds of choosing the terminal.
 */
export const calibrationSpace: ReadonlyArray<Parameter> = [
  { path: "behaviour.choice.intercept", min: -6.5, max: -4.8, integer: false },
  { path: "behaviour.choice.staff", min: 3.8, max: 5.6, integer: false },
  { path: "behaviour.choice.peer", min: 8, max: 24, integer: false },
  { path: "behaviour.choice.habit", min: 4, max: 6.5, integer: false },
  { path: "behaviour.recommend.use", min: 2.5, max: 4.5, integer: false },
  { path: "behaviour.intention.intercept", min: -0.3, max: 0.6, integer: false },
  // the county-level distribution every site draws its clerks' propensity from
  { path: "staffPropensity.logitMean", min: -3, max: -1.5, integer: false },
  { path: "staffPropensity.logitSd", min: 1.5, max: 3, integer: false }
]

/**
 * Distance of a pattern table from the centres of its bands (0 = every
 * pattern central): per pattern the distance from the centre in half-band
 * widths, capped at 4; a one-sided band's open end is closed at 1 for a share
 * and at twice its bound otherwise. A pattern no replicate could observe
 * (n/a: one site, no survey) is left out.
 */
export const distance = (patterns: ReadonlyArray<PatternResult>): number => {
  const scored = patterns.filter((p) => p.observed.mean !== null)
  return scored.reduce((s, p) => {
    const lo = p.low ?? 0
    const hi = p.high ?? (p.unit === "share" ? 1 : Math.max(1, 2 * lo))
    const centre = (lo + hi) / 2
    const half = Math.max(1e-9, (hi - lo) / 2)
    return s + Math.min(4, Math.abs(p.observed.mean! - centre) / half)
  }, 0) / Math.max(1, scored.length)
}

export interface CalibrateOptions {
  readonly scenario: Scenario
  readonly source: string
  readonly samples: number
  readonly replicates: number
  readonly seed: number
  readonly workers: number
  readonly out: string
  readonly parameters?: ReadonlyArray<Parameter>
  readonly onProgress?: (done: number, total: number) => void
}

export const calibrate = (options: CalibrateOptions) =>
  Effect.gen(function*() {
    const parameters = options.parameters ?? calibrationSpace
    const report = yield* runSweep({
      spec: {
        scenario: options.source,
        design: "lhs",
        parameters,
        samples: options.samples,
        levels: 4,
        trajectories: 1,
        replicates: options.replicates,
        seed: options.seed
      },
      scenario: options.scenario,
      out: join(options.out, "sweep"),
      workers: options.workers,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
    })
    const ranked = [...report.points].map((p) => ({ ...p, distance: distance(p.patterns) })).sort((a, b) => a.distance - b.distance)
    const accepted = ranked.filter((p) => p.allPass)
    yield* writeJson(join(options.out, "accepted.json"), {
      scenario: options.scenario.name,
      samples: options.samples,
      replicates: options.replicates,
      seed: options.seed,
      accepted
    })
    const best = accepted[0]
    if (best !== undefined) {
      const patch: Record<string, unknown> = { extends: options.source, name: `${options.scenario.name}-calibrated` }
      for (const [path, value] of Object.entries(best.values)) {
        const segs = path.split(".")
        if (segs[0] === "sites") continue
        let at = patch
        for (const s of segs.slice(0, -1)) at = (at[s] ??= {}) as Record<string, unknown>
        at[segs[segs.length - 1]!] = Math.round(value * 1000) / 1000
      }
      const sites = Object.entries(best.values).filter(([p]) => p.startsWith("sites."))
      if (sites.length > 0) {
        patch["sites"] = sites.map(([p, v]) => ({
          name: options.scenario.sites[Number(p.split(".")[1])]!.name,
          [p.split(".")[2]!]: { [p.split(".")[3]!]: Math.round(v * 1000) / 1000 }
        }))
      }
      yield* writeText(join(options.out, "calibrated.yaml"), `# Best accepted parameter set (distance ${best.distance.toFixed(3)})\n${stringify(patch)}`)
    }
    return { report, accepted, ranked }
  })
