/**
 * The card terminal at the door: reads a bank card to open a session. It
 * yields the terminal's opaque card identifier (ZVT tag 1F14), never a card
 * number.
 */
import type { Duration, Effect } from "effect"
import { Context } from "effect"
import type { CardError } from "../domain/errors.ts"

export interface CardRead {
  /** The opaque per-card identifier (1F14). Hashed with a key before it is stored anywhere. */
  readonly cardId: Uint8Array
}

export interface CardTerminalHealth {
  readonly ready: boolean
  readonly status: string
}

export class CardTerminal extends Context.Tag("amtomat/CardTerminal")<CardTerminal, {
  /** Waits up to `timeout` for a card and reads its identifier. Interrupting it aborts the read. */
  readonly readCard: (timeout: Duration.Duration) => Effect.Effect<CardRead, CardError>
  /** Cancels a running read and releases a retained card. */
  readonly abort: Effect.Effect<void, CardError>
  /** A status enquiry; doubles as the health check. */
  readonly health: Effect.Effect<CardTerminalHealth, CardError>
}>() {}
