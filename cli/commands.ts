/**
 * The command tree of `amtomat`: every package's commands under one root (run by main.ts,
 * read by argv.ts's checks and by the tests).
 */
import { Command } from "@effect/cli"
import { county } from "../county/cli.ts"
import { decodeCommand } from "../hardware-sim/cli/decode.ts"
import { retention, staff } from "../kiosk/cli/admin.ts"
import { audit } from "../kiosk/cli/audit.ts"
import { events } from "../kiosk/cli/events.ts"
import { serve } from "../kiosk/cli/serve.ts"
import { scenario } from "../scenarios/cli/scenario.ts"
import { report } from "./report.ts"
import { twin } from "./twin.ts"

export const amtomat = Command.make("amtomat").pipe(
  Command.withDescription("amtomat: the municipal self-service terminal, its digital twin and research harness"),
  Command.withSubcommands([serve, county, events, audit, retention, staff, twin, decodeCommand, report, scenario])
)
