/**
 * Errors. A few tagged classes with a `reason` literal, not one class per
 * failure. `Schema.TaggedError` where an error crosses HTTP (the HTTP layer
 * assigns the status codes), `Data.TaggedError` for device errors inside.
 */
import { Data, type ParseResult, Schema } from "effect"

/** An unknown resource. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  resource: Schema.String,
  id: Schema.String,
  message: Schema.String
}) {}

/** Input that passed the wire schema but breaks a domain rule (a form field, a reason too short). */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  problem: Schema.String,
  message: Schema.String
}) {}

/** The request does not fit the current state; nothing was changed. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  reason: Schema.Literal(
    "NoFreeCompartment",
    "WrongState",
    "CompartmentBusy",
    "AlreadyAcknowledged",
    "StepOutOfOrder"
  ),
  message: Schema.String
}) {}

/**
 * A refusal or failure at the kiosk that the citizen must be told about.
 * `message` is for logs and developers; the UI maps `reason` to calm,
 * translated text with the next step.
 */
export const PickupFailureReason = Schema.Literal(
  "SessionExpired",
  "UnknownPickupNumber",
  "NotReady",
  "OrderLocked",
  "Throttled",
  "WrongCode",
  "CodeExpired",
  "NoCodeRequested",
  "NoOldDocument",
  /** the flap of the old-document slot stands open: the citizen is asked to push it shut */
  "IntakeLeftOpen",
  /** the old-document slot is out of order (occupied with its flap shut); staff are told */
  "IntakeUnavailable",
  "DoorDidNotOpen",
  "DocumentNotTaken",
  "DoorLeftOpen",
  "DeviceError",
  "SmsNotSent"
)
export type PickupFailureReason = typeof PickupFailureReason.Type
export class PickupFailed extends Schema.TaggedError<PickupFailed>()("PickupFailed", {
  reason: PickupFailureReason,
  message: Schema.String,
  attemptsLeft: Schema.optional(Schema.Int),
  retryAfterSeconds: Schema.optional(Schema.Int)
}) {}

/** A device needed for the request is not available right now. */
/** Why a device could not do it, where the screen says something particular (a scanner without paper). */
export const DeviceFailureReason = Schema.Literal("NoPaper", "Jam", "Offline")
export type DeviceFailureReason = typeof DeviceFailureReason.Type
export class DeviceUnavailable extends Schema.TaggedError<DeviceUnavailable>()("DeviceUnavailable", {
  device: Schema.String,
  reason: Schema.optional(DeviceFailureReason),
  message: Schema.String
}) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  message: Schema.String
}) {}

/** Too many attempts from one source; HTTP 429. `retryAfterSeconds` says when to try again. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  reason: Schema.Literal("TooManySignInAttempts"),
  message: Schema.String,
  retryAfterSeconds: Schema.Int
}) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  message: Schema.String
}) {}

// ---- device errors (inside the program) ----

export class LockerError extends Data.TaggedError("LockerError")<{
  readonly reason: "Timeout" | "Jammed" | "Offline" | "Protocol"
  readonly message: string
}> {}

export class CardError extends Data.TaggedError("CardError")<{
  readonly reason: "Timeout" | "Unreadable" | "Aborted" | "Offline" | "Protocol"
  readonly message: string
}> {}

export class SmsError extends Data.TaggedError("SmsError")<{
  /** RetryLater: network trouble, try again with back-off; NeedsStaff: SIM missing or locked; Rejected: this message can never be sent. */
  readonly reason: "RetryLater" | "NeedsStaff" | "Rejected"
  readonly message: string
}> {}

export class ScannerError extends Data.TaggedError("ScannerError")<{
  readonly reason: "NoPaper" | "Jam" | "Offline"
  readonly message: string
}> {}

export class AuthorityError extends Data.TaggedError("AuthorityError")<{
  /** Unavailable: try again later; Rejected: the office refused the submission for good. */
  readonly reason: "Unavailable" | "Rejected"
  readonly message: string
}> {}

/** The card could not be read at the door. */
export const CardFailureReason = Schema.Literal("Timeout", "Unreadable", "Aborted", "Offline", "Protocol")
export type CardFailureReason = typeof CardFailureReason.Type
export class CardNotRead extends Schema.TaggedError<CardNotRead>()("CardNotRead", {
  reason: CardFailureReason,
  message: Schema.String
}) {}

/**
 * What an `amtomat` command was given is wrong or missing (an option, a file it
 * names), or the check it runs failed: one sentence for the operator, no stack.
 */
export class CommandError extends Data.TaggedError("CommandError")<{
  readonly reason: "BadOption" | "NotFound" | "BadInput" | "Failed"
  readonly message: string
}> {}

/** The first thing wrong with a request that does not fit the endpoint, as one sentence. */
export const sentenceOfIssues = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>): string => {
  const first = issues[0]
  if (first === undefined) return "the request does not fit this endpoint"
  const where = first.path.length === 0 ? "the request" : first.path.map(String).join(".")
  const others = issues.filter((i) => i !== first && i.path.join(".") === first.path.join(".")).map((i) => i.message)
  return `${where}: ${[first.message, ...others].join(", or ")}`.replace(/\s*\n\s*/g, " ")
}
