/**
 * The `amtomat` command.
 */
import { Command } from "@effect/cli"
import { defaultTeardown } from "@effect/platform/Runtime"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { VERSION } from "../runtime.ts"
import { decodeCommand } from "./decode.ts"
import { audit, retention, staff } from "./admin.ts"
import { events } from "./events.ts"
import { serve } from "./serve.ts"
import { twin } from "./twin.ts"

const amtomat = Command.make("amtomat").pipe(
  Command.withDescription("amtomat: the municipal self-service terminal, its digital twin and research harness"),
  Command.withSubcommands([serve, events, audit, retention, staff, twin, decodeCommand])
)

const cli = Command.run(amtomat, { name: "amtomat", version: VERSION })

cli(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: false,
    // A command that reported its own failure (decode: bad frames) sets the exit code and succeeds.
    teardown: (exit, onExit) => defaultTeardown(exit, (code) => onExit(code === 0 ? Number(process.exitCode ?? 0) : code))
  })
)
