/**
 * The event log's event types: the spine of the system.
 *
 * Every workflow step appends one of these. Analytics read nothing else, and a
 * scenario run writes the very same events as a real terminal, so one report
 * works for both. Events carry ids and facts, never personal data: no phone
 * number, no name, no card number — a card appears only as `cardKey`, a keyed
 * hash. Timestamps live in the envelope (UTC).
 */
import { Schema, SchemaAST } from "effect"
import { AlarmId, ApplicationId, CompartmentId, OrderId, SessionId, StaffId } from "./ids.ts"

const Rating = Schema.Int.pipe(Schema.between(1, 5))
export const Recommend = Schema.Literal("yes", "no", "unsure")
export const FeedbackContext = Schema.Literal("pickup", "application", "other")
export const AlarmKind = Schema.Literal(
  "door_left_open",
  "jam",
  "device_offline",
  "delivery_failed",
  "order_locked",
  "reconciliation",
  "sms_failed",
  /** the old-document flap was left open after a document went in */
  "intake_left_open",
  /** the intake slot reads occupied with its flap shut: a stuck sensor or a jam */
  "intake_blocked",
  /** the database cannot be written (disk full, damaged, locked): nothing opens until it can */
  "storage",
  /** the office cancelled an order whose document is in a compartment: staff take it back */
  "order_recalled"
)
export type AlarmKind = typeof AlarmKind.Type
export const OpenPurpose = Schema.Literal("pickup", "load", "return", "override", "intake")
export const PickupStep = Schema.Literal("identify", "code", "intake", "open", "take", "close")
export type PickupStep = typeof PickupStep.Type
export const Device = Schema.Literal("locker", "card", "sms", "scanner", "authority")
export type Device = typeof Device.Type

const ev = <Tag extends string, Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields) => Schema.TaggedStruct(tag, fields)

export const TerminalStarted = ev("TerminalStarted", { version: Schema.String, devices: Schema.String })
export const ReconciliationFinding = ev("ReconciliationFinding", {
  compartmentId: Schema.NullOr(CompartmentId),
  finding: Schema.String
})

export const CardSessionStarted = ev("CardSessionStarted", { sessionId: SessionId, cardKey: Schema.String })
export const CardSessionEnded = ev("CardSessionEnded", {
  sessionId: SessionId,
  reason: Schema.Literal("finished", "timeout", "cancelled", "restart", "reload")
})
export const CardReadFailed = ev("CardReadFailed", { reason: Schema.String })

export const OrderAnnounced = ev("OrderAnnounced", {
  orderId: OrderId,
  documentKind: Schema.String,
  requiresOldDocument: Schema.Boolean,
  size: Schema.String
})
export const CompartmentAssigned = ev("CompartmentAssigned", { orderId: OrderId, compartmentId: CompartmentId })
export const OrderLoaded = ev("OrderLoaded", { orderId: OrderId, compartmentId: CompartmentId, by: StaffId })
export const LoadAborted = ev("LoadAborted", { orderId: OrderId, compartmentId: CompartmentId, reason: Schema.String })
export const NotificationSent = ev("NotificationSent", {
  orderId: OrderId,
  kind: Schema.Literal("ready", "reminder", "code")
})
export const NotificationFailed = ev("NotificationFailed", {
  orderId: OrderId,
  kind: Schema.Literal("ready", "reminder", "code"),
  reason: Schema.String
})
export const OrderReminded = ev("OrderReminded", { orderId: OrderId })
export const OrderExpired = ev("OrderExpired", { orderId: OrderId })
export const OrderReturned = ev("OrderReturned", { orderId: OrderId, by: StaffId })
/** A supervisor takes back a document that was still ready for its citizen, and says why. */
export const ReturnAuthorised = ev("ReturnAuthorised", { orderId: OrderId, by: StaffId, reason: Schema.String })
/** `note`: what the member checked before releasing it (optional). */
export const OrderReleased = ev("OrderReleased", { orderId: OrderId, by: StaffId, note: Schema.optional(Schema.String) })
export const CounterHandover = ev("CounterHandover", { orderId: OrderId, documentKind: Schema.String })
/**
 * The office cancelled the order at the county. `announced`: before any load, the order is closed;
 * `loaded`: the document is (or has just been put) in a compartment, the order can no longer be
 * picked up and goes back like an expired one.
 */
export const OrderCancelled = ev("OrderCancelled", { orderId: OrderId, stage: Schema.Literal("announced", "loaded") })

export const PickupStarted = ev("PickupStarted", { sessionId: SessionId, orderId: OrderId })
export const PickupIdentifyFailed = ev("PickupIdentifyFailed", {
  sessionId: SessionId,
  reason: Schema.Literal("unknown", "not_ready", "locked", "throttled")
})
export const CodeVerified = ev("CodeVerified", { sessionId: SessionId, orderId: OrderId })
export const CodeRejected = ev("CodeRejected", {
  sessionId: SessionId,
  orderId: OrderId,
  reason: Schema.Literal("wrong", "expired", "used"),
  attempt: Schema.Int
})
export const OrderLocked = ev("OrderLocked", { orderId: OrderId })
export const OldDocumentReceived = ev("OldDocumentReceived", { sessionId: SessionId, orderId: OrderId })
export const CompartmentOpened = ev("CompartmentOpened", {
  compartmentId: Schema.NullOr(CompartmentId),
  orderId: Schema.NullOr(OrderId),
  purpose: OpenPurpose
})
/**
 * Written before a lock is actuated (in the transaction that claims the
 * compartment): no door ever opens without its event, even when the
 * database fills up right after.
 */
export const UnlockRequested = ev("UnlockRequested", {
  compartmentId: Schema.NullOr(CompartmentId),
  orderId: Schema.NullOr(OrderId),
  purpose: OpenPurpose
})
export const CompartmentOpenFailed = ev("CompartmentOpenFailed", {
  compartmentId: Schema.NullOr(CompartmentId),
  attempt: Schema.Int,
  reason: Schema.String
})
export const DocumentTaken = ev("DocumentTaken", { orderId: OrderId, compartmentId: CompartmentId })
export const DoorClosed = ev("DoorClosed", { compartmentId: Schema.NullOr(CompartmentId) })
export const PickupCompleted = ev("PickupCompleted", {
  sessionId: SessionId,
  orderId: OrderId,
  documentKind: Schema.String,
  durationMs: Schema.Int
})
/** Why a pickup under way ended without the document leaving (the door's own watch settles it once open). */
export const AbandonReason = Schema.Literal(
  "too-many-attempts",
  "no-old-document",
  "cancelled",
  "document-not-taken",
  "door-did-not-open",
  "device-error",
  "timeout",
  "finished",
  "page-reloaded"
)
export type AbandonReason = typeof AbandonReason.Type
export const PickupAbandoned = ev("PickupAbandoned", {
  sessionId: SessionId,
  orderId: Schema.NullOr(OrderId),
  step: PickupStep,
  reason: AbandonReason
})

export const AttachmentScanned = ev("AttachmentScanned", { sessionId: SessionId, pages: Schema.Int, bytes: Schema.Int })
export const ApplicationSubmitted = ev("ApplicationSubmitted", {
  sessionId: SessionId,
  applicationId: ApplicationId,
  serviceId: Schema.String,
  attachments: Schema.Int
})
export const ApplicationDeliveryAttempted = ev("ApplicationDeliveryAttempted", {
  applicationId: ApplicationId,
  attempt: Schema.Int,
  outcome: Schema.Literal("delivered", "retry", "rejected"),
  detail: Schema.String
})
export const ApplicationDelivered = ev("ApplicationDelivered", { applicationId: ApplicationId, attempts: Schema.Int })
export const ApplicationDeliveryFailed = ev("ApplicationDeliveryFailed", {
  applicationId: ApplicationId,
  attempts: Schema.Int,
  reason: Schema.String
})

export const FeedbackGiven = ev("FeedbackGiven", {
  sessionId: SessionId,
  context: FeedbackContext,
  rating: Rating,
  recommend: Recommend
})

export const AlarmRaised = ev("AlarmRaised", {
  alarmId: AlarmId,
  kind: AlarmKind,
  compartmentId: Schema.NullOr(CompartmentId),
  detail: Schema.String
})
export const AlarmAcknowledged = ev("AlarmAcknowledged", { alarmId: AlarmId, by: StaffId, note: Schema.optional(Schema.String) })
/** The condition behind an alarm went away by itself (a device came back). */
export const AlarmResolved = ev("AlarmResolved", { alarmId: AlarmId, detail: Schema.String })
export const CompartmentOutOfService = ev("CompartmentOutOfService", {
  compartmentId: CompartmentId,
  reason: Schema.String,
  by: Schema.NullOr(StaffId)
})
export const CompartmentBackInService = ev("CompartmentBackInService", { compartmentId: CompartmentId, by: StaffId })
export const OverrideOpened = ev("OverrideOpened", { compartmentId: CompartmentId, by: StaffId, reason: Schema.String })
export const DeviceStatusChanged = ev("DeviceStatusChanged", {
  device: Device,
  online: Schema.Boolean,
  detail: Schema.String
})
export const RetentionApplied = ev("RetentionApplied", { kind: Schema.String, count: Schema.Int })
export const StaffSignedIn = ev("StaffSignedIn", { staffId: StaffId })
/**
 * Failed sign-ins, aggregated: at most one event per source per minute. `count` is how many
 * failed attempts it stands for (absent in rows written before aggregation: read it as 1);
 * `staffId` is the account of the attempt that wrote it, if the user name was known.
 */
export const StaffSignInFailed = ev("StaffSignInFailed", {
  staffId: Schema.NullOr(StaffId),
  count: Schema.optional(Schema.Int)
})
/** A supervisor created an account (`by` null: the command line). */
export const StaffAccountCreated = ev("StaffAccountCreated", { staffId: StaffId, role: Schema.String, by: Schema.NullOr(StaffId) })
/** A supervisor changed an account's role or disabled/enabled it. */
export const StaffAccountChanged = ev("StaffAccountChanged", { staffId: StaffId, role: Schema.String, disabled: Schema.Boolean, by: StaffId })
export const StaffPasswordReset = ev("StaffPasswordReset", { staffId: StaffId, by: StaffId })

export const TerminalEvent = Schema.Union(
  TerminalStarted,
  ReconciliationFinding,
  CardSessionStarted,
  CardSessionEnded,
  CardReadFailed,
  OrderAnnounced,
  CompartmentAssigned,
  OrderLoaded,
  LoadAborted,
  NotificationSent,
  NotificationFailed,
  OrderReminded,
  OrderExpired,
  OrderReturned,
  ReturnAuthorised,
  OrderReleased,
  CounterHandover,
  OrderCancelled,
  PickupStarted,
  PickupIdentifyFailed,
  CodeVerified,
  CodeRejected,
  OrderLocked,
  OldDocumentReceived,
  UnlockRequested,
  CompartmentOpened,
  CompartmentOpenFailed,
  DocumentTaken,
  DoorClosed,
  PickupCompleted,
  PickupAbandoned,
  AttachmentScanned,
  ApplicationSubmitted,
  ApplicationDeliveryAttempted,
  ApplicationDelivered,
  ApplicationDeliveryFailed,
  FeedbackGiven,
  AlarmRaised,
  AlarmAcknowledged,
  AlarmResolved,
  CompartmentOutOfService,
  CompartmentBackInService,
  OverrideOpened,
  DeviceStatusChanged,
  RetentionApplied,
  StaffSignedIn,
  StaffSignInFailed,
  StaffAccountCreated,
  StaffAccountChanged,
  StaffPasswordReset
)
export type TerminalEvent = typeof TerminalEvent.Type
export type EventType = TerminalEvent["_tag"]
export const eventTypes: ReadonlyArray<EventType> = TerminalEvent.members.map((m) => {
  const tag = SchemaAST.getPropertySignatures(m.ast).find((p) => p.name === "_tag")
  return (tag?.type as SchemaAST.Literal).literal as EventType
})

/** An event as stored: envelope plus payload, chained by hash. */
export const LoggedEvent = Schema.Struct({
  seq: Schema.Int,
  at: Schema.String,
  site: Schema.String,
  terminal: Schema.String,
  event: TerminalEvent,
  prevHash: Schema.String,
  hash: Schema.String
})
export type LoggedEvent = typeof LoggedEvent.Type
