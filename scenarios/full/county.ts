/**
 * A full-fidelity run's sites as terminals of a county: each site's terminal replicates its
 * event log with the terminal's own CountySync after every interaction, as a real terminal
 * does after every event. The county itself is supplied from outside (`ScenarioCounty`,
 * provided by the `amtomat` command from county/), since the scenario engine does not depend
 * on the county server; the run only sees the terminal's port and the rows the county holds.
 */
import { Context, type Effect, type Scope } from "effect"
import type { EventRow } from "../../core/persistence/EventLog.ts"
import type { CountyGateway } from "../../core/ports/CountyGateway.ts"

export interface RunCounty {
  /** Registers the site's terminal at the county and gives the terminal's link to it. */
  readonly join: (terminal: string, site: string) => Effect.Effect<Context.Tag.Service<typeof CountyGateway>>
  /** Every row the county holds, of every terminal. */
  readonly rows: Effect.Effect<ReadonlyArray<EventRow>>
}

export class ScenarioCounty extends Context.Tag("amtomat/scenarios/ScenarioCounty")<ScenarioCounty, {
  /** A fresh county for one replicate, its database in `folder`, for as long as the scope. */
  readonly open: (folder: string) => Effect.Effect<RunCounty, never, Scope.Scope>
}>() {}

/** The terminal id of site `s` (0-based) when the run's sites are a county's terminals. */
export const countyTerminalId = (s: number) => `T${s + 1}`
