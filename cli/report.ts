/**
 * `amtomat report <run-dir> | --db FILE | --compare A B [--out DIR]`: the
 * pilot study's figures from a scenario run or a terminal's own database, as
 * report.json, CSV tables and a standalone report.html (chart.js inlined).
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import { basename, resolve } from "node:path"
import { type AnalyticsConfig, defaultAnalyticsConfig } from "../analytics/config.ts"
import { parseLunchBreak } from "../analytics/officeHours.ts"
import type { PatternRow } from "../analytics/studyPatterns.ts"
import { compareReports } from "../analytics/twoRuns.ts"
import { ReportError } from "./report/errors.ts"
import { analyseDbFile, analyseRunDir } from "./report/read.ts"
import { writeComparison, writeReport } from "./report/write.ts"

const runs = Args.directory({ name: "run-dir" }).pipe(
  Args.between(0, 2),
  Args.withDescription("a scenario run directory (docs/run-format.md); two with --compare")
)
const db = Options.file("db").pipe(Options.optional, Options.withDescription("a terminal's SQLite database instead of a run directory (opened read-only)"))
const out = Options.directory("out").pipe(Options.optional, Options.withDescription("output folder (default: <run-dir>/report, or ./report)"))
const compare = Options.boolean("compare").pipe(Options.withDescription("compare two runs side by side: report --compare A B"))
const minutesPerHandover = Options.float("minutes-per-handover").pipe(Options.withDefault(5), Options.withDescription("counter minutes one handover takes"))
const servers = Options.integer("counter-servers").pipe(Options.withDefault(2), Options.withDescription("counter servers in the Erlang C model"))
const serviceMinutes = Options.float("service-minutes").pipe(
  Options.withDefault(10),
  Options.withDescription("mean counter minutes of the office's other business")
)
const arrivals = Options.float("counter-arrivals").pipe(Options.withDefault(9), Options.withDescription("other counter arrivals per open hour"))
const lunch = Options.text("lunch-break").pipe(Options.withDefault("12:00-13:00"), Options.withDescription("office lunch break Mon–Thu, HH:MM-HH:MM or none"))
const p6Months = Options.integer("p6-months").pipe(Options.withDefault(6), Options.withDescription("months after which P6 reads cumulative pickups"))
const timeZone = Options.text("time-zone").pipe(Options.withDefault("Europe/Berlin"), Options.withDescription("local time zone for office hours and months"))

const bad = (message: string) => new ReportError({ reason: "BadInput", message })

const configOf = (o: {
  readonly minutesPerHandover: number
  readonly servers: number
  readonly serviceMinutes: number
  readonly arrivals: number
  readonly lunch: string
  readonly p6Months: number
  readonly timeZone: string
}) =>
  Effect.gen(function*() {
    if (o.servers < 1) return yield* bad("--counter-servers must be at least 1")
    if (o.serviceMinutes <= 0 || o.minutesPerHandover < 0 || o.arrivals < 0) return yield* bad("counter times and arrivals must be positive")
    if (o.p6Months < 1) return yield* bad("--p6-months must be at least 1")
    const officeHours = yield* Effect.try({ try: () => parseLunchBreak(o.lunch), catch: (e) => bad(`--${String((e as Error).message)}`) })
    yield* Effect.try({ try: () => new Intl.DateTimeFormat("en", { timeZone: o.timeZone }), catch: () => bad(`--time-zone: unknown zone ${o.timeZone}`) })
    const config: AnalyticsConfig = {
      ...defaultAnalyticsConfig,
      timeZone: o.timeZone,
      officeHours,
      queue: { minutesPerHandover: o.minutesPerHandover, servers: o.servers, serviceMinutes: o.serviceMinutes, otherArrivalsPerHour: o.arrivals },
      p6Months: o.p6Months
    }
    return config
  })

const line = (p: PatternRow) => {
  const m = p.observed.mean
  const value = m === null ? "–" : p.unit === "share" ? `${(m * 100).toFixed(1)} %` : m.toFixed(p.unit === "count" ? 0 : 3)
  return `  ${p.id.padEnd(9)} ${value.padStart(9)}  band ${p.band.padEnd(8)} ${p.pass === null ? "not evaluated" : p.pass ? "pass" : "FAIL"}`
}

export const report = Command.make(
  "report",
  { runs, db, out, compare, minutesPerHandover, servers, serviceMinutes, arrivals, lunch, p6Months, timeZone },
  (opts) =>
    Effect.gen(function*() {
      const config = yield* configOf(opts)
      const dirs = opts.runs.map((d) => resolve(d))
      const outDir = (fallback: string) => resolve(Option.getOrElse(opts.out, () => fallback))
      if (opts.compare) {
        if (dirs.length !== 2 || Option.isSome(opts.db)) return yield* bad("--compare needs exactly two run directories: report --compare A B")
        const [a, b] = [yield* analyseRunDir(dirs[0]!, config), yield* analyseRunDir(dirs[1]!, config)]
        const comparison = compareReports(a, b, { a: a.source.scenario ?? basename(dirs[0]!), b: b.source.scenario ?? basename(dirs[1]!) }, b.generatedAt)
        const target = outDir("report-compare")
        const files = yield* writeComparison(target, comparison)
        yield* Console.log(`compared ${comparison.labels.a} (A) with ${comparison.labels.b} (B): ${files.length} files in ${target}`)
        return yield* Console.log(line(comparison.p8))
      }
      if (dirs.length > 1) return yield* bad("one run directory, or --compare A B")
      if (dirs.length === 1 && Option.isSome(opts.db)) return yield* bad("a run directory or --db, not both")
      if (dirs.length === 0 && Option.isNone(opts.db)) return yield* bad("name a run directory or --db FILE (see amtomat report --help)")
      const rep = dirs.length === 1 ? yield* analyseRunDir(dirs[0]!, config) : yield* analyseDbFile(resolve(Option.getOrThrow(opts.db)), config)
      const target = outDir(dirs.length === 1 ? resolve(dirs[0]!, "report") : "report")
      const files = yield* writeReport(target, rep)
      yield* Console.log(`report: ${rep.replicates.length} replicate(s), ${rep.sites.length} site(s), ${files.length} files in ${target}`)
      for (const w of rep.warnings) yield* Console.error(`warning: ${w}`)
      for (const p of rep.comparison) yield* Console.log(line(p))
    })
).pipe(Command.withDescription("the pilot study's figures from a scenario run or a terminal's database: report.json, CSV tables, report.html"))
