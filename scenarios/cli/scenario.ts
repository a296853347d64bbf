/**
 * `amtomat scenario`: run a preset or scenario file (model or full
 * fidelity), sweep a parameter design, calibrate the behaviour parameters,
 * check a file.
 */
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Either, Option } from "effect"
import { join, resolve } from "node:path"
import { parseSensitivity } from "../../analytics/sensitivity.ts"
import { CommandError } from "../../core/domain/errors.ts"
import { discriminate, discriminationTable } from "../discriminate.ts"
import { ScenarioCounty } from "../full/county.ts"
import { parameterMarkdown, parameterTable } from "../parameters.ts"
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
  ),
  county: Options.boolean("county").pipe(
    Options.withDescription("full fidelity: run the sites as terminals of a county (one per replicate) and check its report against the run's")
  )
}, (opts) =>
  Effect.gen(function*() {
    if (opts.replicates < 1) return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--replicates: at least 1" }))
    if (opts.county && opts.fidelity !== "full") {
      return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--county needs --fidelity full (the model has no terminals to replicate)" }))
    }
    const county = opts.county ? yield* Effect.serviceOption(ScenarioCounty) : Option.none()
    if (opts.county && Option.isNone(county)) {
      return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--county: this build of the command has no county server" }))
    }
    const scenario = variantById(opts.variant).apply(yield* loadScenario(opts.ref))
    const summary = yield* runScenario({
      scenario,
      seed: Option.getOrElse(opts.seed, () => scenario.seed),
      replicates: opts.replicates,
      fidelity: opts.fidelity,
      out: Option.getOrUndefined(Option.map(opts.out, (d) => resolve(d))),
      onReplicate: progress(scenario.name, !opts.json),
      county: Option.getOrUndefined(county)
    })
    yield* Console.log(opts.json ? JSON.stringify(runJson(summary)) : report(summary))
    // on standard error, so --json stays one JSON object on standard output
    if (Option.isSome(opts.out)) {
      yield* Console.error(`wrote the run directory ${resolve(opts.out.value)} (summary.json, manifest.json, replicates/; amtomat report ${opts.out.value})`)
    }
  })).pipe(Command.withDescription("run a scenario: replicates, the pattern table P1..P11, per-site figures"))

const only = Options.choice("variant", variantIds).pipe(Options.repeated, Options.withDescription("only these variants (repeatable; default all)"))

const discriminateCommand = Command.make(
  "discriminate",
  {
    ref,
    seed,
    replicates: Options.integer("replicates").pipe(Options.withDefault(5), Options.withDescription("replicates per variant")),
    only,
    json,
    out: Options.directory("out").pipe(
      Options.optional,
      Options.withDescription("also write discrimination.json into this folder (a run directory: the report shows it)")
    )
  },
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
      const record = { ...d, rows: d.rows.map(({ patterns: _, ...row }) => row) }
      if (Option.isSome(opts.out)) {
        const fs = yield* FileSystem.FileSystem
        const target = resolve(opts.out.value)
        yield* fs.makeDirectory(target, { recursive: true }).pipe(
          Effect.zipRight(fs.writeFileString(join(target, "discrimination.json"), `${JSON.stringify(record, null, 2)}\n`)),
          Effect.mapError(() => new CommandError({ reason: "Failed", message: `--out: cannot write ${join(target, "discrimination.json")}` }))
        )
        yield* Console.error(`wrote ${join(target, "discrimination.json")}`)
      }
      if (opts.json) return yield* Console.log(JSON.stringify(record))
      yield* Console.log(`scenario ${d.scenario}: ${d.replicates} replicate(s) per variant, seed ${d.seed}\n`)
      yield* Console.log(discriminationTable(d))
      yield* Console.log(
        `\n${d.calibratedPasses ? "the calibrated world passes every pattern" : "the calibrated world FAILS a pattern"}; ${
          d.notRejected.length === 0 ? "every contradicted variant is rejected" : `NOT rejected: ${d.notRejected.join(", ")}`
        }`
      )
    })
).pipe(Command.withDescription("the discrimination table: which pattern rejects which model variant, over replicates"))

const sensitivityFile = Options.file("sensitivity").pipe(
  Options.optional,
  Options.withDescription("a Morris sweep's sensitivity.json: adds each pattern's μ* per parameter")
)

const parametersCommand = Command.make("parameters", { ref, sensitivity: sensitivityFile, json }, (opts) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario(opts.ref)
    const fs = yield* FileSystem.FileSystem
    const sensitivity = yield* Option.match(opts.sensitivity, {
      onNone: () => Effect.succeed([]),
      onSome: (file) =>
        fs.readFileString(file).pipe(
          Effect.mapError(() => new CommandError({ reason: "NotFound", message: `--sensitivity: cannot read ${file}` })),
          Effect.flatMap((text) =>
            Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => new CommandError({ reason: "BadInput", message: `${file}: not JSON` }) })
          ),
          Effect.flatMap((json) =>
            Either.match(parseSensitivity(json), {
              onLeft: (message) => Effect.fail(new CommandError({ reason: "BadInput", message })),
              onRight: Effect.succeed
            })
          )
        )
    })
    const rows = parameterTable(scenario, sensitivity)
    yield* Console.log(opts.json ? JSON.stringify(rows) : parameterMarkdown(rows))
  })).pipe(Command.withDescription("the parameter table: value, unit, range and provenance of every model parameter"))

const check = Command.make("check", { ref }, (opts) =>
  Effect.gen(function*() {
    const scenario = yield* loadScenario(opts.ref)
    yield* Console.log(`${scenario.name}: valid (${scenario.sites.length} sites, ${scenario.duration} from ${scenario.start})`)
  })).pipe(Command.withDescription("validate a scenario file; errors name the path and the problem"))

export const scenario = Command.make("scenario").pipe(
  Command.withDescription("scenarios: months of terminal life in seconds, and the adoption model"),
  Command.withSubcommands([run, discriminateCommand, parametersCommand, sweepCommand, calibrateCommand, check])
)
