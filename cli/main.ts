/**
 * The `amtomat` command.
 */
import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { defaultTeardown } from "@effect/platform/Runtime"
import { Console, Effect, Layer } from "effect"
import { county } from "../county/cli.ts"
import { decodeCommand } from "../hardware-sim/cli/decode.ts"
import { retention, staff } from "../kiosk/cli/admin.ts"
import { audit } from "../kiosk/cli/audit.ts"
import { events } from "../kiosk/cli/events.ts"
import { serve } from "../kiosk/cli/serve.ts"
import { VERSION } from "../kiosk/composition.ts"
import { scenario } from "../scenarios/cli/scenario.ts"
import { report } from "./report.ts"
import { scenarioCountyLayer } from "./scenarioCounty.ts"
import { twin } from "./twin.ts"

const amtomat = Command.make("amtomat").pipe(
  Command.withDescription("amtomat: the municipal self-service terminal, its digital twin and research harness"),
  Command.withSubcommands([serve, county, events, audit, retention, staff, twin, decodeCommand, report, scenario])
)

const cli = Command.run(amtomat, { name: "amtomat", version: VERSION })

cli(process.argv).pipe(
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
