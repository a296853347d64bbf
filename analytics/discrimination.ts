/**
 * discrimination.json, as `amtomat scenario discriminate --out DIR` writes it
 * and the report shows it: per model variant, per pattern, whether the
 * pattern rejects the variant. Read leniently: a file that does not fit is a
 * warning in the report, not a failure.
 */
import { Either, ParseResult, Schema } from "effect"

export const DiscriminationRow = Schema.Struct({
  variant: Schema.String,
  name: Schema.String,
  change: Schema.String,
  contradicts: Schema.NullOr(Schema.String),
  verdicts: Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.Boolean) }),
  rejectedBy: Schema.Array(Schema.String)
})

export const Discrimination = Schema.Struct({
  scenario: Schema.String,
  seed: Schema.Number,
  replicates: Schema.Number,
  rows: Schema.Array(DiscriminationRow),
  calibratedPasses: Schema.Boolean,
  notRejected: Schema.Array(Schema.String)
})
export type Discrimination = typeof Discrimination.Type

const decode = Schema.decodeUnknownEither(Discrimination, { onExcessProperty: "ignore" })

export const parseDiscrimination = (json: unknown): Either.Either<Discrimination, string> =>
  Either.mapLeft(decode(json), (e) => `discrimination.json: ${ParseResult.TreeFormatter.formatErrorSync(e)}`)
