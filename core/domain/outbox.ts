/**
 * An application on its way to the responsible office, as the back office's
 * outbox shows it.
 */
import { Schema } from "effect"
import { ApplicationId } from "./ids.ts"

export class OutboxEntry extends Schema.Class<OutboxEntry>("OutboxEntry")({
  id: ApplicationId,
  reference: Schema.String,
  serviceId: Schema.String,
  office: Schema.String,
  createdAt: Schema.String,
  status: Schema.Literal("pending", "delivered", "failed"),
  attempts: Schema.Int,
  nextAttemptAt: Schema.String,
  authorityReference: Schema.NullOr(Schema.String),
  lastError: Schema.NullOr(Schema.String)
}) {}
