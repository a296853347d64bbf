/**
 * The `amtomat` command.
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { VERSION } from "../runtime.ts"
import { audit, retention, staff } from "./admin.ts"
import { events } from "./events.ts"
import { serve } from "./serve.ts"

const amtomat = Command.make("amtomat").pipe(
  Command.withDescription("amtomat: the municipal self-service terminal, its digital twin and research harness"),
  Command.withSubcommands([serve, events, audit, retention, staff])
)

const cli = Command.run(amtomat, { name: "amtomat", version: VERSION })

cli(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
