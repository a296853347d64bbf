/**
 * The crash harness's terminal and twins: `serve`, `staff` and `twin`, bundled once with
 * esbuild so that hundreds of restarts take a second each, not four.
 */
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { twin } from "../../cli/twin.ts"
import { staff } from "../../kiosk/cli/admin.ts"
import { serve } from "../../kiosk/cli/serve.ts"

const cli = Command.run(Command.make("amtomat").pipe(Command.withSubcommands([serve, staff, twin])), { name: "amtomat", version: "crash" })
cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
