/**
 * Parameter sensitivity from a sweep, for the tornado chart.
 *
 * Input format: `sensitivity.json` in a run directory (optional; the report
 * draws a tornado chart per pattern when it is there):
 *
 * ```
 * DIR/
 *   sensitivity.json     Morris elementary-effects screening of a sweep, one
 *                        object or an array of objects, one per pattern:
 *                        { "pattern": "P1-best",                  pattern id or observable name
 *                          "parameters": [
 *                            { "name": "staffRecommendProbability",  parameter as in the scenario file
 *                              "muStar": 0.21,                        mean absolute elementary effect (μ*)
 *                              "sigma": 0.05 }, … ] }                 standard deviation of the effects (σ)
 * ```
 *
 * μ* ranks a parameter's overall influence on the pattern's observable, σ its
 * non-linearity or interactions. Both are in the observable's units.
 */
import { Either, ParseResult, Schema } from "effect"

export const MorrisIndex = Schema.Struct({
  name: Schema.String,
  muStar: Schema.Number,
  sigma: Schema.Number
})
export const Sensitivity = Schema.Struct({
  pattern: Schema.String,
  parameters: Schema.Array(MorrisIndex)
})
export type Sensitivity = typeof Sensitivity.Type

const decode = Schema.decodeUnknownEither(Schema.Union(Sensitivity, Schema.Array(Sensitivity)))

/** Parses sensitivity.json (one pattern or an array); parameters sorted by μ*, largest first. */
export const parseSensitivity = (json: unknown): Either.Either<ReadonlyArray<Sensitivity>, string> =>
  Either.match(decode(json), {
    onLeft: (e) => Either.left(`sensitivity.json: ${ParseResult.TreeFormatter.formatErrorSync(e)}`),
    onRight: (v) => {
      const list: ReadonlyArray<Sensitivity> = Array.isArray(v) ? v : [v as Sensitivity]
      return Either.right(list.map((s) => ({
        pattern: s.pattern,
        parameters: [...s.parameters].sort((a, b) => b.muStar - a.muStar || (a.name < b.name ? -1 : 1))
      })))
    }
  })
