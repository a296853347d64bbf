/**
 * chart.js's UMD bundle, read from the installed package, to be inlined into
 * report pages (no CDN: the pages work offline). A static asset of this
 * installation, read with node:fs so that the HTTP app (the dashboard) needs
 * nothing more from its context than before.
 *
 * `loadChartJs` reads the file each time it runs and keeps nothing: a program
 * that wants it more than once reads it once where it is composed (the
 * dashboard when its routes are built, `amtomat report` once per page), or
 * memoises it there with `Effect.cached`.
 */
import { Data, Effect } from "effect"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/** chart.js is not installed where this build expects it. */
export class ChartJsMissing extends Data.TaggedError("ChartJsMissing")<{ readonly message: string }> {}

/** The text of chart.umd.min.js. */
export const loadChartJs: Effect.Effect<string, ChartJsMissing> = Effect.try({
  try: () => readFileSync(join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js"), "utf8"),
  catch: (cause) =>
    new ChartJsMissing({ message: `reading chart.js (is it installed? npm install): ${cause instanceof Error ? cause.message : String(cause)}` })
})
