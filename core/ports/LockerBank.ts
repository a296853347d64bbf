/**
 * The locker bank: every lock channel on the RS-485 bus — the compartments and
 * the old-document intake slot — with their door and item sensors.
 */
import type { Effect, Stream } from "effect"
import { Context } from "effect"
import type { Channel, DoorState } from "../domain/compartment.ts"
import type { LockerError } from "../domain/errors.ts"

export interface ChannelStatus {
  readonly channel: Channel
  /** `unknown` when the board does not answer: never guessed. */
  readonly door: DoorState
  /** `null` when the board does not answer. */
  readonly item: boolean | null
}

export type LockerChange =
  | { readonly _tag: "DoorChanged"; readonly channel: Channel; readonly door: DoorState }
  | { readonly _tag: "ItemChanged"; readonly channel: Channel; readonly item: boolean | null }
  | { readonly _tag: "BoardOnline"; readonly board: number; readonly online: boolean }

export class LockerBank extends Context.Tag("amtomat/LockerBank")<LockerBank, {
  /**
   * Unlocks the channel and succeeds once its door reads open. Fails with
   * `Jammed` when the lock stays shut, `Offline`/`Timeout` when the board does
   * not answer. Never retries by itself: the workflow decides.
   */
  readonly open: (channel: Channel) => Effect.Effect<void, LockerError>
  /** The latest known state of one channel. */
  readonly status: (channel: Channel) => Effect.Effect<ChannelStatus, LockerError>
  /** A full snapshot of every configured channel (read from the boards). */
  readonly snapshot: Effect.Effect<ReadonlyArray<ChannelStatus>, LockerError>
  /** Every change of a door, an item sensor or a board's presence. */
  readonly changes: Stream.Stream<LockerChange>
}>() {}
