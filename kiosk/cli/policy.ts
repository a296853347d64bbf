/**
 * `amtomat serve --policy FILE`: policy values from a JSON file replace the
 * defaults of core/domain/config.ts. The merged policy is decoded against
 * Policy, so a typo in a name or a value out of range stops the start
 * with a message that names it.
 */
import { Effect, Option, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import { defaultPolicy, Policy } from "../../core/domain/config.ts"
import { CommandError } from "../../core/domain/errors.ts"

const decode = Schema.decodeUnknownEither(Policy, { onExcessProperty: "error", errors: "all" })

/** The policy: defaults, then the file's values, then `--site` when it was given (not the default). */
export const loadPolicy = (file: Option.Option<string>, site: string) =>
  Effect.gen(function*() {
    const fromFile = Option.isNone(file) ? {} : yield* Effect.try({
      try: () => JSON.parse(readFileSync(file.value, "utf8")) as unknown,
      catch: (e) => new CommandError({ reason: "BadOption", message: `--policy ${file.value}: ${e instanceof Error ? e.message : String(e)}` })
    })
    if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile)) {
      return yield* Effect.fail(
        new CommandError({ reason: "BadOption", message: `--policy ${Option.getOrElse(file, () => "")}: must be a JSON object of policy values` })
      )
    }
    const merged: Record<string, unknown> = { ...defaultPolicy, ...fromFile }
    if (site !== defaultPolicy.site || !("site" in fromFile)) merged["site"] = site
    const decoded = decode(merged)
    if (decoded._tag === "Left") {
      const why = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
        .map((issue) => `  ${issue.path.join(".") || "(policy)"}: ${issue.message}`)
        .join("\n")
      return yield* Effect.fail(new CommandError({ reason: "BadOption", message: `--policy ${Option.getOrElse(file, () => "")}: not a valid policy:\n${why}` }))
    }
    return decoded.right
  })
