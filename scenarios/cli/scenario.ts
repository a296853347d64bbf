/**
 * `amtomat scenario`: run a preset or scenario file (model or full
 * fidelity), sweep a parameter design, calibrate the behaviour parameters,
 * check a file.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { resolve } from "node:path"
import { CommandError } from "../../core/domain/errors.ts"
import { discriminate, discriminationTable } from "../discriminate.ts"
import { runScenario } from "../run.ts"
import { loadScenario, presetNames } from "../schema/load.ts"
import { variantById, variantIds, variants } from "../variants.ts"
import { calibrateCommand } from "./calibrate.ts"
import { progress, report, runJson } from "./format.ts"
import { sweepCommand } from "./sweep.ts"

const ref = Args.text({ name: "preset|file" }).pipe(Args.withDescription(`a preset (${presetNames().join(", ")}) or a YAML/JSON scenario file`))
const seed = Options.integer("seed").pipe(Options.optional, Options.withDescription("root seed (default: the scenario's seed)"))
const replicates = Options.integer("replicates").pipe(Options.withDefault(5), Options.withDescription("replicates, each with its own derived seeds"))
const fidelity = Options.choice("fidelity", ["model", "full"]).pipe(
  Options.withDefault("model" as const),
  Options.withDescription("model: outcome distributions (fast); full: the real workflows against the twins (the digital twin proper)")
)
const out = Options.directory("out").pipe(
  Options.optional,
  Options.withDescription("write the run directory (events, daily tables, survey, manifest; docs/run-format.md)")
)
const json = Options.boolean("json").pipe(Options.withDescription("print one JSON object instead of tables"))

const run = Command.make("run", {
  ref,
  seed,
  replicates,
  fidelity,
  out,
  json,
  variant: Options.choice("variant", variantIds).pipe(
    Options.withDefault("as-given" as const),
    Options.withDescription("run a model variant: a world without one part of the study's mechanism (docs/model-odd.md, Variants)")
  )
}, (opts) =>
  Effect.gen(function*() {
    if (opts.replicates < 1) return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--replicates: at least 1" }))
    const scenario = variantById(opts.variant).apply(yield* loadScenario(opts.ref))
    const summary = yield* runScenario({
      scenario,
      seed: Option.getOrElse(opts.seed, () => scenario.seed),
      replicates: opts.replicates,
      fidelity: opts.fidelity,
      out: Option.getOrUndefined(Option.map(opts.out, (d) => resolve(d))),
      onReplicate: progress(scenario.name, !opts.json)
    })
    yield* Console.log(opts.json ? JSON.stringify(runJson(summary)) : report(summary))
  })).pipe(Command.withDescription("run a scenario: replicates, the pattern table P1..P11, per-site figures"))

const only = Options.choice("variant", variantIds).pipe(Options.repeated, Options.withDescription("only these variants (repeatable; default all)"))

const discriminateCommand = Command.make(
  "discriminate",
  { ref, seed, replicates: replicates.pipe(Options.withDefault(3)), only, json },
  (opts) =>
    Effect.gen(function*() {
      if (opts.replicates < 1) return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--replicates: at least 1" }))
      const scenario = yield* loadScenario(opts.ref)
      const chosen = opts.only.length === 0 ? variants : variants.filter((v) => v.id === "as-given" || opts.only.includes(v.id))
      const d = yield* discriminate({
        scenario,
        seed: Option.getOrElse(opts.seed, () => scenario.seed),
        replicates: opts.replicates,
        variants: chosen,
        onVariant: progress(`${scenario.name} variants`, !opts.json)
      })
      if (opts.json) return yield* Console.log(JSON.stringify({ ...d, rows: d.rows.map(({ patterns: _, ...row }) => row) }))
      yield* Console.log(`scenario ${d.scenario}: ${d.replicates} replicate(s) per variant, seed ${d.seed}\n`)
      yield* Console.log(discriminationTable(d))
      yield* Console.log(
        `\n${d.calibratedPasses ? "the calibrated world passes every pattern" : "the calibrated world FAILS a pattern"}; ${
          d.notRejected.length === 0 ? "every contradicted variant is rejected" : `NOT rejected: ${d.notRejected.join(", ")}`
        }`
      )
    })
).pipe(Command.withDescription("the discrimination table: which pattern rejects which model variant, over replicates"))

const check = Command.make("check", { ref }, (opts) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario(opts.ref)
    yield* Console.log(`${scenario.name}: valid (${scenario.sites.length} sites, ${scenario.duration} from ${scenario.start})`)
  })).pipe(Command.withDescription("validate a scenario file; errors name the path and the problem"))

export const scenario = Command.make("scenario").pipe(
  Command.withDescription("scenarios: months of terminal life in seconds, and the adoption model"),
  Command.withSubcommands([run, discriminateCommand, sweepCommand, calibrateCommand, check])
)
