/**
 * The mobile-network modem: sends the one-time code and the "ready" notices.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { SmsError } from "../domain/errors.ts"
import type { PhoneNumber } from "../domain/values.ts"

export interface SmsReceipt {
  /** The network's message reference. */
  readonly reference: string
}

export class SmsGateway extends Context.Tag("amtomat/SmsGateway")<SmsGateway, {
  /** Sends one short message (at most 160 GSM characters). */
  readonly send: (to: PhoneNumber, text: string) => Effect.Effect<SmsReceipt, SmsError>
}>() {}
