/**
 * `amtomat scenario sweep <file>`: a parameter design (grid, Latin hypercube
 * or Morris) with replicates, resumable, on worker threads.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option, Schema } from "effect"
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { parse as parseYaml } from "yaml"
import { CommandError } from "../../core/domain/errors.ts"
import { issuesOf, loadScenario } from "../schema/load.ts"
import { SweepSpec } from "../sweep/spec.ts"
import { runSweep } from "../sweep/sweep.ts"
import { progressBar } from "./format.ts"

const file = Args.file({ name: "file", exists: "yes" }).pipe(
  Args.withDescription("the sweep file (YAML or JSON): scenario, design, parameters, replicates, seed")
)
export const workers = Options.integer("workers").pipe(Options.withDefault(2), Options.withDescription("worker threads (0: run in this thread)"))
const out = Options.directory("out").pipe(Options.optional, Options.withDescription("results folder (default: beside the sweep file); rerun to resume"))
const json = Options.boolean("json").pipe(Options.withDescription("print the summary as JSON"))

export const sweepCommand = Command.make("sweep", { file, workers, out, json }, (opts) =>
  Effect.gen(function*() {
    const path = resolve(opts.file)
    const raw = yield* Effect.try({
      try: () => parseYaml(readFileSync(path, "utf8")) as unknown,
      catch: (e) => new CommandError({ reason: "BadInput", message: `${path}: not YAML: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` })
    })
    // as a scenario file's: one line per problem, with the path to it
    const spec = yield* Schema.decodeUnknown(SweepSpec, { onExcessProperty: "error", errors: "all" })(raw).pipe(
      Effect.mapError((e) =>
        new CommandError({
          reason: "BadInput",
          message: issuesOf(e).map((i) => `${path}: ${i.path === "" ? "" : `${i.path}: `}${i.message}`).join("\n")
        })
      )
    )
    const scenario = yield* loadScenario(spec.scenario, dirname(path))
    const target = Option.getOrElse(Option.map(opts.out, (d) => resolve(d)), () => path.replace(/\.(ya?ml|json)$/, "") + ".results")
    const bar = progressBar("sweep", !opts.json)
    const report = yield* runSweep({ spec, scenario, out: target, workers: opts.workers, onProgress: bar })
    if (opts.json) return yield* Console.log(JSON.stringify(report))
    yield* Console.log(
      `${report.jobs} jobs (${report.resumed} resumed, ${report.ran} run) in ${report.wallSeconds} s: ${report.replicatesPerMinute} replicates/min; results in ${target}`
    )
    yield* Console.log(`points where every applicable pattern holds: ${report.points.filter((p) => p.allPass).length} of ${report.points.length}`)
    if (report.morris !== null) {
      yield* Console.log("\nMorris screening (μ*: mean absolute elementary effect), largest first per outcome:")
      const outcomes = [...new Set(report.morris.map((m) => m.outcome))]
      for (const o of outcomes) {
        const top = report.morris.filter((m) => m.outcome === o).sort((a, b) => b.muStar - a.muStar)
        yield* Console.log(`  ${o}: ${top.map((m) => `${m.parameter} ${m.muStar.toPrecision(3)} (σ ${m.sigma.toPrecision(2)})`).join(", ")}`)
      }
    }
  })).pipe(Command.withDescription("sweep a parameter design with replicates on worker threads (resumable); Morris screening"))
