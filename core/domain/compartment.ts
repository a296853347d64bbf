/**
 * A compartment of the locker bank, and the intake slot for old documents.
 */
import { Context, Schema } from "effect"
import { CompartmentId, OrderId } from "./ids.ts"
import { HeightBand, SizeClass } from "./values.ts"

/** Where a lock sits on the RS-485 bus: board 0..15, lock 1..16. */
export const Channel = Schema.Struct({
  board: Schema.Int.pipe(Schema.between(0, 15)),
  lock: Schema.Int.pipe(Schema.between(1, 16))
})
export type Channel = typeof Channel.Type
export const channelKey = (c: Channel): string => `${c.board}:${c.lock}`

export const CompartmentState = Schema.Literal("free", "reserved", "loaded", "open", "out_of_service")
export type CompartmentState = typeof CompartmentState.Type

/** Never guessed: `unknown` when the board does not answer. */
export const DoorState = Schema.Literal("open", "closed", "unknown")
export type DoorState = typeof DoorState.Type

export const CompartmentLayout = Schema.Struct({
  id: CompartmentId,
  channel: Channel,
  size: SizeClass,
  band: HeightBand
})
export type CompartmentLayout = typeof CompartmentLayout.Type

export class Compartment extends Schema.Class<Compartment>("Compartment")({
  id: CompartmentId,
  channel: Channel,
  size: SizeClass,
  band: HeightBand,
  state: CompartmentState,
  door: DoorState,
  item: Schema.Boolean,
  orderId: Schema.NullOr(OrderId),
  outOfServiceReason: Schema.NullOr(Schema.String),
  /** While open: why (pickup, load, return). */
  purpose: Schema.NullOr(Schema.String)
}) {}

/** The terminal's physical layout: compartments plus the old-document intake slot. */
export const TerminalLayout = Schema.Struct({
  compartments: Schema.Array(CompartmentLayout).pipe(Schema.minItems(1)),
  intake: Channel
})
export type TerminalLayout = typeof TerminalLayout.Type

/** The demo layout: one board, 12 compartments plus the intake slot on lock 16. */
export const demoLayout: TerminalLayout = {
  compartments: Array.from({ length: 12 }, (_, i) => ({
    id: CompartmentId.make(i + 1),
    channel: { board: 0, lock: i + 1 },
    size: i < 6 ? "S" as const : i < 10 ? "M" as const : "L" as const,
    band: i % 3 === 2 ? "high" as const : "low" as const
  })),
  intake: { board: 0, lock: 16 }
}

/** The layout this terminal runs with, provided by the composition root. */
export class Layout extends Context.Tag("amtomat/Layout")<Layout, TerminalLayout>() {}
