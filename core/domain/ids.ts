/**
 * Branded identifiers. Every id that crosses a boundary (HTTP, database,
 * event log) is one of these, so a compartment id can never be passed where
 * an order id is expected.
 */
import { Schema } from "effect"
import { luhnValid } from "./rules.ts"

export const OrderId = Schema.String.pipe(Schema.pattern(/^ord_[0-9a-z]{12}$/), Schema.brand("OrderId"))
export type OrderId = typeof OrderId.Type

export const SessionId = Schema.String.pipe(Schema.pattern(/^ses_[0-9a-z]{12}$/), Schema.brand("SessionId"))
export type SessionId = typeof SessionId.Type

export const ApplicationId = Schema.String.pipe(Schema.pattern(/^app_[0-9a-z]{12}$/), Schema.brand("ApplicationId"))
export type ApplicationId = typeof ApplicationId.Type

export const AttachmentId = Schema.String.pipe(Schema.pattern(/^att_[0-9a-z]{12}$/), Schema.brand("AttachmentId"))
export type AttachmentId = typeof AttachmentId.Type

export const AlarmId = Schema.String.pipe(Schema.pattern(/^alm_[0-9a-z]{12}$/), Schema.brand("AlarmId"))
export type AlarmId = typeof AlarmId.Type

export const StaffId = Schema.String.pipe(Schema.pattern(/^stf_[0-9a-z]{12}$/), Schema.brand("StaffId"))
export type StaffId = typeof StaffId.Type

/** Compartments are numbered as printed on their doors: 1, 2, 3 … */
export const CompartmentId = Schema.Int.pipe(Schema.between(1, 9999), Schema.brand("CompartmentId"))
export type CompartmentId = typeof CompartmentId.Type

/**
 * The pickup number printed in the "document ready" SMS: eight digits, the
 * last a check digit (Luhn), so a typo is caught before any code is sent.
 */
export const PickupNumber = Schema.String.pipe(
  Schema.pattern(/^[0-9]{8}$/, { message: () => "a pickup number has exactly 8 digits" }),
  Schema.filter((s) => luhnValid(s) || "the pickup number's check digit does not match (typo?)"),
  Schema.brand("PickupNumber")
)
export type PickupNumber = typeof PickupNumber.Type

export { luhnCheckDigit, luhnValid } from "./rules.ts"
