/**
 * Wire schemas of the HTTP API: request bodies refuse unknown fields, so a
 * typo in a field name is an error and not silently ignored.
 */
import { Schema } from "effect"
import { AttachmentId, PickupNumber, SessionId } from "../../core/domain/ids.ts"
import { Role, StaffAccountView } from "../../core/domain/staff.ts"

export const strict = <A, I, R>(s: Schema.Schema<A, I, R>): Schema.Schema<A, I, R> => s.annotations({ parseOptions: { onExcessProperty: "error" } })

export const SessionBody = strict(Schema.Struct({ sessionId: SessionId }))
export const IdentifyBody = strict(Schema.Struct({ sessionId: SessionId, pickupNumber: PickupNumber }))
export const VerifyBody = strict(Schema.Struct({
  sessionId: SessionId,
  code: Schema.String.pipe(Schema.pattern(/^[0-9]{6,10}$/, { message: () => "the code is 6 to 10 digits" }))
}))
export const SubmitBody = strict(Schema.Struct({
  sessionId: SessionId,
  serviceId: Schema.String.pipe(Schema.maxLength(40)),
  fields: Schema.Record({ key: Schema.String.pipe(Schema.maxLength(40)), value: Schema.String.pipe(Schema.maxLength(2000)) }),
  attachments: Schema.Array(strict(Schema.Struct({ name: Schema.String.pipe(Schema.maxLength(40)), attachmentId: AttachmentId }))).pipe(Schema.maxItems(20))
}))
export const FeedbackBody = strict(Schema.Struct({
  sessionId: SessionId,
  context: Schema.Literal("pickup", "application", "other"),
  rating: Schema.Int.pipe(Schema.between(1, 5)),
  recommend: Schema.Literal("yes", "no", "unsure")
}))
export const LoginBody = strict(Schema.Struct({
  username: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)),
  password: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(256))
}))
export const ReasonBody = strict(Schema.Struct({ reason: Schema.String.pipe(Schema.maxLength(500)) }))
/** Taking a document back: a reason is needed (and a supervisor) while it is still ready for its citizen. */
/** A note staff may add when they release an order or acknowledge an alarm; the body may be left out. */
export const NoteBody = Schema.NullOr(strict(
  Schema.Struct({ note: Schema.optional(Schema.String.pipe(Schema.maxLength(500, { message: () => "a note has at most 500 characters" }))) })
))

export const CreateAccountBody = strict(Schema.Struct({
  username: Schema.String.pipe(Schema.maxLength(64)),
  displayName: Schema.String.pipe(Schema.maxLength(200)),
  role: Role
}))
export const ChangeAccountBody = strict(Schema.Struct({
  role: Schema.optional(Role),
  displayName: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
  disabled: Schema.optional(Schema.Boolean)
}))
export const TemporaryPassword = Schema.Struct({ account: StaffAccountView, temporaryPassword: Schema.String })

export const ReturnBody = strict(Schema.Struct({ reason: Schema.optional(Schema.String.pipe(Schema.maxLength(500))) }))

export const SessionStarted = Schema.Struct({ sessionId: SessionId, idleSeconds: Schema.Int })
export const Identified = Schema.Struct({
  maskedPhone: Schema.String,
  /** How many digits the code has, so the screen can show the right number of places. */
  codeDigits: Schema.Int,
  codeExpiresAt: Schema.Number,
  requiresOldDocument: Schema.Boolean,
  documentKind: Schema.String
})
export const Verified = Schema.Struct({ requiresOldDocument: Schema.Boolean })
export const Received = Schema.Struct({ received: Schema.Boolean })
export const Opened = Schema.Struct({ compartmentId: Schema.Int })
export const Completed = Schema.Struct({ collected: Schema.Boolean, doorClosed: Schema.Boolean })
export const Scanned = Schema.Struct({ attachmentId: AttachmentId, mime: Schema.String, pages: Schema.Int, bytes: Schema.Int })
export const Submitted = Schema.Struct({ applicationId: Schema.String, reference: Schema.String, office: Schema.String })
export const Health = Schema.Struct({
  status: Schema.Literal("ok", "degraded"),
  site: Schema.String,
  terminal: Schema.String,
  devices: Schema.Record({ key: Schema.String, value: Schema.String }),
  events: Schema.Int
})
