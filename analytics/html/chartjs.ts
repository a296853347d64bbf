/**
 * chart.js's UMD bundle, read from the installed package, to be inlined into
 * report pages (no CDN: the pages work offline). A static asset of this
 * installation, read once and kept; read with node:fs so that the HTTP app
 * (the dashboard) needs nothing more from its context than before.
 */
import { Data, Effect } from "effect"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

/** chart.js is not installed where this build expects it. */
export class ChartJsMissing extends Data.TaggedError("ChartJsMissing")<{ readonly message: string }> {}

let cached: string | undefined

/** The text of chart.umd.min.js. */
export const loadChartJs = Effect.suspend(() =>
  cached !== undefined
    ? Effect.succeed(cached)
    : Effect.try({
      try: () => {
        const path = join(dirname(createRequire(import.meta.url).resolve("chart.js")), "chart.umd.min.js")
        cached = readFileSync(path, "utf8")
        return cached
      },
      catch: (cause) =>
        new ChartJsMissing({ message: `reading chart.js (is it installed? npm install): ${cause instanceof Error ? cause.message : String(cause)}` })
    })
)
