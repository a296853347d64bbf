import { type Duration, Effect, Schedule } from "effect"

/**
 * Re-runs `check` every 20 ms until it succeeds or `within` has passed, for
 * adapters whose state shows up only after their next poll. Contract suites
 * run on every adapter, byte-level drivers included, so they use real time.
 */
export const eventually = <A, E, R>(check: Effect.Effect<A, E, R>, within: Duration.DurationInput = "5 seconds") =>
  Effect.retry(check, Schedule.spaced("20 millis").pipe(Schedule.upTo(within)))

export const expectTrue = (ok: boolean, what: string) => (ok ? Effect.void : Effect.fail(new Error(`not yet: ${what}`)))
