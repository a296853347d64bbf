/**
 * The one-time code of a pickup: sent by SMS to the phone on file, valid for
 * one session until it expires or is used. Only a keyed hash of the code is
 * kept. One per order: a new code replaces the last. Times are epoch milliseconds.
 */
import { Schema } from "effect"
import { OrderId, SessionId } from "./ids.ts"

export class OneTimeCode extends Schema.Class<OneTimeCode>("OneTimeCode")({
  orderId: OrderId,
  /** the session the code was sent in: only that session may use it */
  sessionId: SessionId,
  codeHash: Schema.String,
  expiresAt: Schema.Int,
  used: Schema.Boolean,
  /** how many codes this session has had sent for the order */
  sentCount: Schema.Int
}) {}
