/**
 * A whole terminal for tests (kiosk/harness/twinTerminal.ts) with fixed keys,
 * and what only tests need: the test clock, refusals.
 */
import { type Duration, Effect, TestClock } from "effect"
import { PickupFailed } from "../../core/domain/errors.ts"
import { twinTerminal, type TwinTerminalOptions } from "../../kiosk/harness/twinTerminal.ts"

export * from "../../kiosk/harness/twinTerminal.ts"

/** The audit key every test terminal's event log is keyed with. */
export const testAuditKey = new Uint8Array(Buffer.from("a0".repeat(32), "hex"))

export type TestTerminalOptions = TwinTerminalOptions

export const testTerminal = (options: TestTerminalOptions = {}) =>
  twinTerminal({ cardKey: Buffer.from("00112233445566778899aabbccddeeff", "hex"), auditKey: testAuditKey, ...options })

/** Lets forked fibers run and pending sleeps fire. */
export const tick = (by: Duration.DurationInput = "1 second") => TestClock.adjust(by)

/** The PickupFailed an effect must fail with (any other outcome fails the test). */
export const refusal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(
    Effect.flip(effect),
    (e) => e instanceof PickupFailed ? Effect.succeed(e) : Effect.dieMessage(`expected a PickupFailed, got ${JSON.stringify(e)}`)
  )
