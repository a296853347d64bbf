/**
 * The back-off state of one throttle scope (the terminal, a card): its
 * failure score as of a time (it fades with a half-life; the rule is in
 * workflows/Throttle.ts), and until when the scope is blocked.
 */
import { Schema } from "effect"

export class ThrottleScope extends Schema.Class<ThrottleScope>("ThrottleScope")({
  /** `terminal:<id>` or `card:<cardKey>` */
  scope: Schema.String,
  /** every failure ever counted against the scope (never reset); it also versions the row */
  failures: Schema.NonNegativeInt,
  /** the failure score as of `updatedAt` */
  score: Schema.NonNegative,
  /** epoch millis */
  updatedAt: Schema.NonNegativeInt,
  /** epoch millis; 0 when it was never blocked */
  blockedUntil: Schema.NonNegativeInt
}) {}
