/**
 * Reading the report's inputs: a scenario run directory (docs/run-format.md),
 * one replicate at a time, or a terminal's own SQLite database through
 * SqlClient and the EventLog, opened read-only.
 */
import { FileSystem } from "@effect/platform"
import { DateTime, Effect, Either, Layer } from "effect"
import { join } from "node:path"
import type { AnalyticsConfig } from "../../analytics/config.ts"
import { type Discrimination, parseDiscrimination } from "../../analytics/discrimination.ts"
import { scenarioName, siteQueuesFromManifest } from "../../analytics/manifest.ts"
import type { EventRecord } from "../../analytics/records.ts"
import { parseNdjson } from "../../analytics/records.ts"
import { analyseReplicate, buildReport, patternsFromSummary, type ReplicateResult, type Report } from "../../analytics/run.ts"
import { parseSensitivity, type Sensitivity } from "../../analytics/sensitivity.ts"
import { parseSurvey } from "../../analytics/survey.ts"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { AuditKey, EventLog } from "../../core/persistence/EventLog.ts"
import { hasTable } from "../../core/persistence/sqliteFile.ts"
import { readOnlyDatabaseLayer } from "../../kiosk/databaseReadOnly.ts"
import { ioError, ReportError } from "./errors.ts"

const now = Effect.map(DateTime.now, DateTime.formatIso)

const readOptional = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false)))) return null
    return yield* fs.readFileString(path).pipe(Effect.mapError(ioError(`reading ${path}`)))
  })

const readJson = (path: string) =>
  Effect.flatMap(readOptional(path), (text) =>
    text === null
      ? Effect.succeed(null as unknown)
      : Effect.try({ try: () => JSON.parse(text) as unknown, catch: () => new ReportError({ reason: "BadInput", message: `${path} is not JSON` }) }))

/** The replicate folders of a run, numerically ordered; a folder holding events.ndjson itself counts as one replicate. */
const replicateDirs = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const root = join(dir, "replicates")
    if (yield* fs.exists(root).pipe(Effect.orElseSucceed(() => false))) {
      const names = yield* fs.readDirectory(root).pipe(Effect.mapError(ioError(`listing ${root}`)))
      const numbered = names.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b))
      return numbered.map((n) => ({ replicate: Number(n), path: join(root, n) }))
    }
    if (yield* fs.exists(join(dir, "events.ndjson")).pipe(Effect.orElseSucceed(() => false))) return [{ replicate: 1, path: dir }]
    return []
  })

/** Reads and analyses one replicate; its event log is dropped afterwards. */
const readReplicate = (replicate: number, path: string, config: AnalyticsConfig, warnings: Array<string>) =>
  Effect.gen(function*() {
    const events = yield* readOptional(join(path, "events.ndjson"))
    if (events === null) return yield* new ReportError({ reason: "BadInput", message: `${path}: no events.ndjson` })
    const parsed = parseNdjson(events)
    if (parsed.skipped.length > 0) {
      const first = parsed.skipped[0]!
      warnings.push(`replicate ${replicate}: ${parsed.skipped.length} line(s) of events.ndjson skipped (line ${first.line}: ${first.reason})`)
    }
    const survey = (name: string) => Effect.map(readOptional(join(path, name)), (text) => text === null ? null : parseSurvey(text))
    return analyseReplicate(
      replicate,
      parsed.records,
      yield* survey("survey.csv"),
      config,
      parsed.skipped.length,
      yield* survey("survey-equivalence.csv")
    )
  })

/** Everything `amtomat report DIR` needs from a run directory. */
export const analyseRunDir = (dir: string, options: AnalyticsConfig) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false)))) {
      return yield* new ReportError({ reason: "NotFound", message: `no run directory at ${dir}` })
    }
    const dirs = yield* replicateDirs(dir)
    if (dirs.length === 0) {
      return yield* new ReportError({ reason: "BadInput", message: `${dir}: no replicates/<k>/events.ndjson (see docs/run-format.md)` })
    }
    const warnings: Array<string> = []
    const manifest = yield* readJson(join(dir, "manifest.json"))
    if (manifest === null) warnings.push("no manifest.json: scenario name and seeds unknown")
    // Each site's own counter from the manifest; the report's settings for the rest.
    const config: AnalyticsConfig = { ...options, siteQueues: { ...siteQueuesFromManifest(manifest, options), ...options.siteQueues } }
    const summary = yield* readJson(join(dir, "summary.json"))
    const sensitivityJson = yield* readJson(join(dir, "sensitivity.json"))
    let sensitivity: ReadonlyArray<Sensitivity> = []
    if (sensitivityJson !== null) {
      Either.match(parseSensitivity(sensitivityJson), { onLeft: (w) => warnings.push(w), onRight: (s) => (sensitivity = s) })
    }
    const discriminationJson = yield* readJson(join(dir, "discrimination.json"))
    let discrimination: Discrimination | null = null
    if (discriminationJson !== null) {
      Either.match(parseDiscrimination(discriminationJson), { onLeft: (w) => warnings.push(w), onRight: (d) => (discrimination = d) })
    }
    const replicates: Array<ReplicateResult> = []
    for (const d of dirs) replicates.push(yield* readReplicate(d.replicate, d.path, config, warnings))
    return buildReport({
      generatedAt: yield* now,
      source: { kind: "run", path: dir, scenario: scenarioName(manifest) },
      config,
      replicates,
      sensitivity,
      discrimination,
      fromSummary: patternsFromSummary(summary),
      warnings
    })
  })

/** Every event of the terminal's log, via the EventLog (requires SqlClient). */
export const eventRecords = Effect.gen(function*() {
  const log = yield* EventLog
  const logged = yield* log.read()
  return logged.map((e): EventRecord => ({ seq: e.seq, at: e.at, site: e.site, terminal: e.terminal, event: e.event }))
})

/** A report from the events of the SqlClient in context. */
export const analyseEvents = (source: Report["source"], config: AnalyticsConfig) =>
  Effect.gen(function*() {
    const records = yield* eventRecords
    return buildReport({ generatedAt: yield* now, source, config, replicates: [analyseReplicate(1, records, null, config)] })
  })

/**
 * `amtomat report --db FILE`: the database opened read-only, so a running
 * terminal is not disturbed and a copy on read-only media can be read
 * (readOnlyDatabaseLayer); missing, not a database, damaged or of another
 * schema version: one sentence.
 */
export const analyseDbFile = (file: string, config: AnalyticsConfig) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false)))) {
      return yield* new ReportError({ reason: "NotFound", message: `--db: no database at ${file}` })
    }
    const program = Effect.gen(function*() {
      if (!(yield* hasTable("events"))) return yield* new ReportError({ reason: "BadInput", message: `${file} has no event log (not an amtomat database?)` })
      return yield* analyseEvents({ kind: "db", path: file, scenario: null }, config)
    })
    const layer = EventLog.Default.pipe(
      Layer.provideMerge(readOnlyDatabaseLayer(file)),
      Layer.provide(Layer.merge(Layer.succeed(TerminalPolicy, defaultPolicy), AuditKey.forReading))
    )
    return yield* program.pipe(
      Effect.provide(layer),
      Effect.catchTag("DatabaseError", (e) => Effect.fail(new ReportError({ reason: e.reason === "Missing" ? "NotFound" : "BadInput", message: e.message }))),
      Effect.catchTag("SqlError", (e) => Effect.fail(new ReportError({ reason: "Io", message: `reading ${file}: ${e.message}` }))),
      // better-sqlite3 throws while opening a file that is not a database
      Effect.catchAllDefect((d) => Effect.fail(new ReportError({ reason: "BadInput", message: `${file}: ${d instanceof Error ? d.message : String(d)}` })))
    )
  })
