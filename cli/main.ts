/**
 * The `amtomat` command.
 */
import { CliConfig, Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { defaultTeardown } from "@effect/platform/Runtime"
import { Console, Effect, Layer } from "effect"
import { VERSION } from "../kiosk/composition.ts"
import { checkArgs, helpFor } from "./argv.ts"
import { amtomat } from "./commands.ts"
import { scenarioCountyLayer } from "./scenarioCounty.ts"

const cli = Command.run(amtomat, { name: "amtomat", version: VERSION })

// Help under the command's full path, and a wrong option, value or command as one sentence, before
// the parser (whose own messages name neither the option nor what was meant).
const given = process.argv.slice(2)
const help = helpFor(amtomat, "amtomat", given, CliConfig.defaultConfig)
const wrong = help === undefined ? checkArgs(amtomat, "amtomat", given) : undefined

const main = help !== undefined
  ? Console.log(help)
  : wrong !== undefined
  ? Effect.zipRight(Console.error(wrong), Effect.sync(() => void (process.exitCode = 1)))
  : cli(process.argv)

main.pipe(
  // A command's own error says what was wrong in one line; no stack trace for a wrong path or value.
  Effect.catchIf(
    (e): e is Error => e instanceof Error && !ValidationError.isValidationError(e),
    (e) =>
      Effect.zipRight(
        Console.error(`amtomat: ${e.message}`),
        Effect.sync(() => {
          process.exitCode = 1
        })
      )
  ),
  // A wrong option or argument: @effect/cli has printed what was wrong already.
  Effect.catchIf(ValidationError.isValidationError, () =>
    Effect.sync(() => {
      process.exitCode = 1
    })),
  Effect.provide(Layer.merge(NodeContext.layer, scenarioCountyLayer)),
  NodeRuntime.runMain({
    disableErrorReporting: false,
    // A command that reported its own failure (decode: bad frames) sets the exit code and succeeds.
    teardown: (exit, onExit) => defaultTeardown(exit, (code) => onExit(code === 0 ? Number(process.exitCode ?? 0) : code))
  })
)
