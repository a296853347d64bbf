/**
 * The terminal's policy settings: where it stands, how long codes and
 * sessions live, when reminders go out. One value, provided by the
 * composition root; defaults are what a pilot would start with.
 */
import { Context, Schema } from "effect"
import { defaultCatalogue, Service } from "./catalogue.ts"
import { defaultDocumentKinds } from "./values.ts"

export const Policy = Schema.Struct({
  site: Schema.String.pipe(Schema.minLength(1)),
  terminalId: Schema.String.pipe(Schema.minLength(1)),
  /** Card session: ends after this many seconds without activity. */
  sessionIdleSeconds: Schema.Int.pipe(Schema.between(30, 3600)),
  /** How long the card terminal waits for a card. */
  cardReadSeconds: Schema.Int.pipe(Schema.between(5, 120)),
  codeDigits: Schema.Int.pipe(Schema.between(6, 10)),
  codeTtlSeconds: Schema.Int.pipe(Schema.between(60, 600)),
  /** Wrong codes per order before the order is locked and needs staff. */
  maxAttemptsPerOrder: Schema.Int.pipe(Schema.between(1, 10)),
  /** Codes sent per order and session. */
  maxCodeSends: Schema.Int.pipe(Schema.between(1, 10)),
  /**
   * Failures at this terminal (all cards together) before the back-off delay starts; it doubles with
   * every further failure. Failures are a score that fades with `failureHalfLifeSeconds`; a correct
   * code does not forgive them.
   */
  terminalFailuresBeforeDelay: Schema.Int.pipe(Schema.between(1, 100)),
  terminalMaxDelaySeconds: Schema.Int.pipe(Schema.between(1, 86400)),
  /** The same back-off per card (keyed card hash), across its sessions; lower than the terminal's. */
  cardFailuresBeforeDelay: Schema.Int.pipe(Schema.between(1, 100)),
  /** Seconds after which a failure counts half in the back-off score (exponential decay). */
  failureHalfLifeSeconds: Schema.Int.pipe(Schema.between(10, 86400)),
  /** The back-off delay, in seconds, after the threshold-th fresh failure of a scope; it doubles with each further one. */
  failureBaseDelaySeconds: Schema.Int.pipe(Schema.between(1, 3600)),
  /** Seconds to wait for the old document in the intake slot. */
  intakeSeconds: Schema.Int.pipe(Schema.between(5, 600)),
  /** Seconds to take the document after the door opened. */
  takeSeconds: Schema.Int.pipe(Schema.between(5, 600)),
  /** Seconds after which a door still open raises a door-left-open alarm. */
  doorOpenAlarmSeconds: Schema.Int.pipe(Schema.between(5, 3600)),
  /** How often a door is tried before the compartment goes out of service. */
  openAttempts: Schema.Int.pipe(Schema.between(1, 5)),
  /** Sensor poll interval of the workflows, in milliseconds. */
  pollMillis: Schema.Int.pipe(Schema.between(10, 5000)),
  reminderDays: Schema.Int.pipe(Schema.between(1, 365)),
  expiryDays: Schema.Int.pipe(Schema.between(1, 365)),
  deliveryMaxAttempts: Schema.Int.pipe(Schema.between(1, 100)),
  deliveryBaseDelaySeconds: Schema.Int.pipe(Schema.between(1, 86400)),
  documentKinds: Schema.Array(Schema.String).pipe(Schema.minItems(1)),
  catalogue: Schema.Array(Service),
  /** Storage limitation (GDPR Art. 5(1)(e)): days each kind of personal data is kept after its start event. */
  retention: Schema.Struct({
    /** Phone number of an order, from the order's close (collected, returned, counter). */
    phoneAfterCloseDays: Schema.Int.pipe(Schema.between(0, 3650)),
    /** Form values and scans of an application, from its delivery to the office. */
    applicationAfterDeliveryDays: Schema.Int.pipe(Schema.between(0, 3650)),
    /** Form values and scans of an application never delivered, from its submission. */
    applicationUndeliveredDays: Schema.Int.pipe(Schema.between(1, 3650)),
    /** Scans never attached to an application, from the scan. */
    strayScanHours: Schema.Int.pipe(Schema.between(1, 720)),
    /** Card sessions (with the card's keyed hash), from the session's start. */
    sessionDays: Schema.Int.pipe(Schema.between(1, 3650))
  })
})
export type Policy = typeof Policy.Type

export const defaultPolicy: Policy = {
  site: "demo",
  terminalId: "T1",
  sessionIdleSeconds: 300,
  cardReadSeconds: 30,
  codeDigits: 6,
  codeTtlSeconds: 600,
  maxAttemptsPerOrder: 3,
  maxCodeSends: 3,
  terminalFailuresBeforeDelay: 10,
  terminalMaxDelaySeconds: 900,
  cardFailuresBeforeDelay: 5,
  failureHalfLifeSeconds: 600,
  failureBaseDelaySeconds: 5,
  intakeSeconds: 90,
  takeSeconds: 120,
  doorOpenAlarmSeconds: 60,
  openAttempts: 3,
  pollMillis: 200,
  reminderDays: 7,
  expiryDays: 21,
  deliveryMaxAttempts: 8,
  deliveryBaseDelaySeconds: 30,
  documentKinds: defaultDocumentKinds,
  catalogue: defaultCatalogue,
  retention: {
    phoneAfterCloseDays: 30,
    applicationAfterDeliveryDays: 30,
    applicationUndeliveredDays: 90,
    strayScanHours: 24,
    sessionDays: 90
  }
}

export class TerminalPolicy extends Context.Tag("amtomat/TerminalPolicy")<TerminalPolicy, Policy>() {}

/** Secrets: never in the repository. The card key turns card identifiers into keyed hashes. */
export class Secrets extends Context.Tag("amtomat/Secrets")<Secrets, {
  readonly cardKey: Uint8Array
}>() {}
