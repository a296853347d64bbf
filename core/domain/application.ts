/**
 * An application as the terminal keeps it: the form's values and the names
 * of its scans (or, past its retention period, only the mark that they were
 * erased), and its delivery to the responsible office — pending until the
 * office acknowledges it (delivered) or the terminal gives up (failed). And a
 * scan (an attachment): the bytes from the document scanner, kept for the
 * session that scanned them until an application takes them.
 */
import { Schema } from "effect"
import { ApplicationId, AttachmentId, SessionId } from "./ids.ts"

export const ApplicationStatus = Schema.Literal("pending", "delivered", "failed")
export type ApplicationStatus = typeof ApplicationStatus.Type

/** What the citizen filed: the validated form values and the scans attached under their names. */
export const FiledFields = Schema.Struct({
  values: Schema.Record({ key: Schema.String, value: Schema.String }),
  attachments: Schema.Array(Schema.Struct({ name: Schema.String, id: AttachmentId }))
})

/** What is left of them once the retention period is over. */
export const ErasedFields = Schema.Struct({ erased: Schema.Literal(true) })

export const ApplicationFields = Schema.Union(FiledFields, ErasedFields)
export type ApplicationFields = typeof ApplicationFields.Type

export const isErased = (fields: ApplicationFields): fields is typeof ErasedFields.Type => "erased" in fields

export class Application extends Schema.Class<Application>("Application")({
  id: ApplicationId,
  /** the reference number the citizen got, `YYYY-XXXXXX` */
  reference: Schema.String,
  sessionId: SessionId,
  serviceId: Schema.String,
  office: Schema.String,
  fields: ApplicationFields,
  createdAt: Schema.String,
  status: ApplicationStatus,
  /** delivery attempts made */
  attempts: Schema.NonNegativeInt,
  /** epoch millis of the next delivery attempt (while pending) */
  nextAttemptAt: Schema.Int,
  /** the office's file number, once delivered */
  authorityReference: Schema.NullOr(Schema.String),
  lastError: Schema.NullOr(Schema.String)
}) {}

/** A scan: who scanned it, which application took it (null: none yet), and its bytes. */
export class Attachment extends Schema.Class<Attachment>("Attachment")({
  id: AttachmentId,
  sessionId: SessionId,
  applicationId: Schema.NullOr(ApplicationId),
  mime: Schema.String,
  pages: Schema.NonNegativeInt,
  data: Schema.Uint8ArrayFromSelf,
  /** epoch millis */
  createdAt: Schema.Int
}) {}
