/**
 * A pickup order: a finished document waiting for its owner.
 *
 * announced -> loaded (ready SMS) -> reminded -> collected
 *                                  \-> expired -> returned
 * `locked` (too many wrong codes) is a side state that staff release back to
 * loaded. `counter` means the citizen took the document at the counter instead.
 * `cancelled`: the office called off an order (from the county) before it was
 * loaded; one cancelled once in a compartment goes to expired and back.
 */
import { Schema } from "effect"
import { CompartmentId, OrderId, PickupNumber } from "./ids.ts"
import { DocumentKind, HeightBand, PhoneNumber, SizeClass, SmsPhoneInput } from "./values.ts"

export const OrderStatus = Schema.Literal(
  "announced",
  "loaded",
  "reminded",
  "locked",
  "collected",
  "expired",
  "returned",
  "counter",
  "cancelled"
)
export type OrderStatus = typeof OrderStatus.Type

/** States in which the document lies in a compartment and may be picked up. */
export const collectable: ReadonlyArray<OrderStatus> = ["loaded", "reminded"]
/** States in which the document is physically in a compartment. */
export const inCompartment: ReadonlyArray<OrderStatus> = ["loaded", "reminded", "locked", "expired"]
export const finalStatuses: ReadonlyArray<OrderStatus> = ["collected", "returned", "counter", "cancelled"]

export class PickupOrder extends Schema.Class<PickupOrder>("PickupOrder")({
  id: OrderId,
  pickupNumber: PickupNumber,
  documentKind: DocumentKind,
  phone: Schema.NullOr(PhoneNumber),
  requiresOldDocument: Schema.Boolean,
  size: SizeClass,
  preferBand: Schema.NullOr(HeightBand),
  status: OrderStatus,
  compartmentId: Schema.NullOr(CompartmentId),
  createdAt: Schema.String,
  loadedAt: Schema.NullOr(Schema.String),
  remindedAt: Schema.NullOr(Schema.String),
  closedAt: Schema.NullOr(Schema.String),
  failedAttempts: Schema.Int
}) {}

/** What staff send to announce an order. */
export const AnnounceOrder = Schema.Struct({
  documentKind: DocumentKind,
  phone: SmsPhoneInput,
  requiresOldDocument: Schema.Boolean,
  size: Schema.optionalWith(SizeClass, { default: () => "S" as const }),
  preferBand: Schema.optionalWith(Schema.NullOr(HeightBand), { default: () => null })
})
export type AnnounceOrder = typeof AnnounceOrder.Type
