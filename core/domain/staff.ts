/**
 * Staff members as the workflows and the back office see them: who, and in
 * which role (clerk, supervisor, technician); and the account as the terminal
 * keeps it (password hash, lockout), its sessions and the sign-in attempts
 * counted per source.
 */
import { Schema } from "effect"
import { StaffId } from "./ids.ts"

export const Role = Schema.Literal("clerk", "supervisor", "technician")
export type Role = typeof Role.Type

export interface StaffMember {
  readonly id: StaffId
  readonly username: string
  readonly displayName: string
  readonly role: Role
}

/** Epoch milliseconds (0: never). */
const Millis = Schema.NonNegativeInt

/** A staff account: the member, its scrypt password hash, and the lockout (failures counted, locked until). */
export class StaffAccount extends Schema.Class<StaffAccount>("StaffAccount")({
  id: StaffId,
  username: Schema.String,
  displayName: Schema.String,
  role: Role,
  passwordHash: Schema.String,
  /** wrong passwords counted since the last correct one or the last lock */
  failedLogins: Schema.NonNegativeInt,
  /** locked until then (epoch millis); 0 when it is not locked */
  lockedUntil: Millis,
  /** a supervisor disabled it: no sign-in, no session; kept, since the event log names it */
  disabled: Schema.Boolean
}) {
  get member(): StaffMember {
    return { id: this.id, username: this.username, displayName: this.displayName, role: this.role }
  }
}

/** An account as a supervisor manages it: never its password hash. */
export const StaffAccountView = Schema.Struct({
  id: StaffId,
  username: Schema.String,
  displayName: Schema.String,
  role: Role,
  disabled: Schema.Boolean,
  /** locked for a while after too many wrong passwords */
  locked: Schema.Boolean
})
export type StaffAccountView = typeof StaffAccountView.Type

/** A signed-in session: the keyed hash of its bearer token (never the token), whose it is, until when. */
export class StaffSession extends Schema.Class<StaffSession>("StaffSession")({
  tokenHash: Schema.String,
  staffId: StaffId,
  expiresAt: Millis
}) {}

/**
 * Sign-in attempts from one source (client address): the attempts in the current window, and
 * the failures not yet written to the event log (at most one event per source per period).
 */
export class LoginSource extends Schema.Class<LoginSource>("LoginSource")({
  source: Schema.String,
  windowStart: Millis,
  attempts: Schema.NonNegativeInt,
  /** failures counted but not yet logged */
  pending: Schema.NonNegativeInt,
  /** when the last StaffSignInFailed event for this source was written; null: none yet */
  loggedAt: Schema.NullOr(Millis)
}) {}
