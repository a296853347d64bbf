/**
 * `amtomat scenario calibrate`: searches the behaviour parameters and the
 * clerks' county-level distribution until every pattern (P1–P11) holds, and
 * writes the accepted sets.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { join, resolve } from "node:path"
import { calibrate } from "../calibrate.ts"
import { loadScenario } from "../schema/load.ts"
import { progressBar } from "./format.ts"
import { workers } from "./sweep.ts"

const ref = Args.text({ name: "preset|file" }).pipe(Args.withDefault("pilot-myk"), Args.withDescription("the scenario to calibrate (default pilot-myk)"))
const samples = Options.integer("samples").pipe(Options.withDefault(40), Options.withDescription("parameter sets to try (Latin hypercube)"))
const replicates = Options.integer("replicates").pipe(Options.withDefault(3), Options.withDescription("replicates per parameter set"))
const seed = Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("root seed of the search"))
const out = Options.directory("out").pipe(Options.optional, Options.withDescription("where accepted.json and calibrated.yaml go (default ./calibration)"))

export const calibrateCommand = Command.make("calibrate", { ref, samples, replicates, seed, workers, out }, (opts) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario(opts.ref)
    const target = Option.getOrElse(Option.map(opts.out, (d) => resolve(d)), () => resolve("calibration"))
    const bar = progressBar("calibrate", true)
    const { accepted, ranked } = yield* calibrate({
      scenario,
      source: opts.ref,
      samples: opts.samples,
      replicates: opts.replicates,
      seed: opts.seed,
      workers: opts.workers,
      out: target,
      onProgress: bar
    })
    yield* Console.log(
      `${accepted.length} of ${ranked.length} parameter sets hold every pattern (P1–P11) together; wrote ${join(target, "accepted.json")}${
        accepted.length > 0 ? ` and ${join(target, "calibrated.yaml")}` : ""
      }`
    )
    const best = ranked[0]
    if (best !== undefined) {
      yield* Console.log(`closest set (distance ${best.distance.toFixed(3)}${best.allPass ? ", accepted" : ", not accepted"}):`)
      for (const [k, v] of Object.entries(best.values)) yield* Console.log(`  ${k}: ${v.toFixed(3)}`)
      const shown = (p: (typeof best.patterns)[number]) =>
        p.observed.mean === null ? "n/a" : p.unit === "share" ? `${(p.observed.mean * 100).toFixed(1)} %` : p.observed.mean.toFixed(3)
      yield* Console.log(`  patterns: ${best.patterns.map((p) => `${p.id} ${shown(p)}${p.pass === false ? " (fails)" : ""}`).join(", ")}`)
    }
  })).pipe(Command.withDescription("search the behaviour parameters and the clerks' distribution until every pattern holds; writes the accepted sets"))
