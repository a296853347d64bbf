/**
 * The locker twin as a person standing at the terminal sees it: every lock
 * by its slot (a compartment's number or the intake), with its door, its
 * contents and its faults. One mapping for the twin control API and the twin
 * panel, so both name the slots the same way.
 */
import { Effect, Option } from "effect"
import { type Channel, channelKey, type TerminalLayout } from "../../core/domain/compartment.ts"
import type { LockerTwinControl } from "./LockerTwin.ts"

export type Slot = "intake" | number

export interface LockView {
  /** The compartment's number, or "intake"; 0 for a lock the layout does not use. */
  readonly slot: Slot
  readonly board: number
  readonly lock: number
  readonly doorOpen: boolean
  readonly item: boolean
  readonly jammed: boolean
  readonly stuckSensor: boolean | null
  readonly boardOnline: boolean
}

/** Slots by channel key. */
export const slotsOf = (layout: TerminalLayout): ReadonlyMap<string, Slot> =>
  new Map<string, Slot>([
    [channelKey(layout.intake), "intake"],
    ...layout.compartments.map((c) => [channelKey(c.channel), c.id as number] as const)
  ])

/** The lock behind a slot; none for a compartment the layout does not have. */
export const channelOfSlot = (layout: TerminalLayout, slot: Slot): Option.Option<Channel> =>
  slot === "intake" ? Option.some(layout.intake) : Option.map(Option.fromNullable(layout.compartments.find((c) => c.id === slot)), (c) => c.channel)

/** Every lock of the twin, by slot. */
export const lockViews = (locker: LockerTwinControl, layout: TerminalLayout): Effect.Effect<ReadonlyArray<LockView>> => {
  const slots = slotsOf(layout)
  return Effect.gen(function*() {
    const offline = new Set(yield* locker.boardsOffline)
    return (yield* locker.locks).map((l) => ({
      slot: slots.get(channelKey(l.channel)) ?? 0,
      board: l.channel.board,
      lock: l.channel.lock,
      doorOpen: l.doorOpen,
      item: l.item,
      jammed: l.jammed,
      stuckSensor: l.stuckSensor,
      boardOnline: !offline.has(l.channel.board)
    }))
  })
}
