/**
 * Writing a report folder: report.json, the CSV tables and report.html.
 */
import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import { join } from "node:path"
import { loadChartJs } from "../../analytics/html/chartjs.ts"
import { renderCompare } from "../../analytics/html/comparePage.ts"
import { renderReport } from "../../analytics/html/page.ts"
import type { Report } from "../../analytics/run.ts"
import { compareTables, type CsvFile, reportTables } from "../../analytics/tables.ts"
import type { Comparison } from "../../analytics/twoRuns.ts"
import { ioError, ReportError } from "./errors.ts"

const chartJsText = Effect.mapError(loadChartJs, (e) => new ReportError({ reason: "Io", message: e.message }))

const writeAll = (dir: string, files: ReadonlyArray<CsvFile>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    yield* fs.makeDirectory(dir, { recursive: true }).pipe(Effect.mapError(ioError(`creating ${dir}`)))
    for (const f of files) yield* fs.writeFileString(join(dir, f.name), f.content).pipe(Effect.mapError(ioError(`writing ${f.name}`)))
    return files.map((f) => f.name)
  })

export const writeReport = (dir: string, report: Report) =>
  Effect.gen(function*() {
    const chartJs = yield* chartJsText
    return yield* writeAll(dir, [
      { name: "report.json", content: JSON.stringify(report, null, 1) + "\n" },
      ...reportTables(report),
      { name: "report.html", content: renderReport(report, { chartJs }) }
    ])
  })

export const writeComparison = (dir: string, comparison: Comparison) =>
  Effect.gen(function*() {
    const chartJs = yield* chartJsText
    return yield* writeAll(dir, [
      { name: "report.json", content: JSON.stringify(comparison, null, 1) + "\n" },
      ...compareTables(comparison),
      { name: "report.html", content: renderCompare(comparison, { chartJs }) }
    ])
  })
