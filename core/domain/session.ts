/**
 * A card session: a bank card read at the terminal opens one, and it
 * remembers how far the citizen got in a pickup (which order, code confirmed,
 * old document handed in, door opened). Only a keyed hash of the card is kept.
 * Times are epoch milliseconds.
 */
import { Schema } from "effect"
import { OrderId, SessionId } from "./ids.ts"

/** Why a session ended: done, idle too long, cancelled, the terminal restarted, the kiosk page reloaded. */
export const SessionEndReason = Schema.Literal("finished", "timeout", "cancelled", "restart", "reload")
export type SessionEndReason = typeof SessionEndReason.Type

export class CardSession extends Schema.Class<CardSession>("CardSession")({
  id: SessionId,
  /** keyed hash of the card's identifier */
  cardKey: Schema.String,
  startedAt: Schema.Int,
  lastSeen: Schema.Int,
  endedAt: Schema.NullOr(Schema.Int),
  endReason: Schema.NullOr(SessionEndReason),
  /** the order of the pickup under way, if any */
  orderId: Schema.NullOr(OrderId),
  verified: Schema.Boolean,
  intakeDone: Schema.Boolean,
  opened: Schema.Boolean
}) {}
