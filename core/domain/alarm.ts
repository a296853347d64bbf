/**
 * An alarm for staff as the back office shows it: open until acknowledged,
 * or until its condition resolves by itself.
 */
import { Schema } from "effect"
import { AlarmId } from "./ids.ts"

export class Alarm extends Schema.Class<Alarm>("Alarm")({
  id: AlarmId,
  kind: Schema.String,
  compartmentId: Schema.NullOr(Schema.Int),
  /** what the alarm is about beyond the compartment, e.g. a device: `locker`, `locker/board 1`, `sms` */
  subject: Schema.String,
  detail: Schema.String,
  raisedAt: Schema.String,
  acknowledgedAt: Schema.NullOr(Schema.String),
  acknowledgedBy: Schema.NullOr(Schema.String),
  /** what the member who acknowledged it wrote, if anything */
  acknowledgedNote: Schema.NullOr(Schema.String),
  resolvedAt: Schema.NullOr(Schema.String)
}) {}
