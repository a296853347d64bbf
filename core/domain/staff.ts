/**
 * Staff members as the workflows and the back office see them: who, and in
 * which role (clerk, supervisor, technician).
 */
import { Schema } from "effect"
import type { StaffId } from "./ids.ts"

export const Role = Schema.Literal("clerk", "supervisor", "technician")
export type Role = typeof Role.Type

export interface StaffMember {
  readonly id: StaffId
  readonly username: string
  readonly displayName: string
  readonly role: Role
}
