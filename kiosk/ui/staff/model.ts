/** The back office's state and the context every view gets. */
import type { Result } from "../shared/http.ts"
import type { AlarmT, EventT, OrderT, OutboxT, Snapshot, StaffApi, StaffInfo } from "./api.ts"
import type { StaffDict, StaffLang } from "./i18n.ts"

export type Tab = "compartments" | "orders" | "alarms" | "outbox" | "events"
export const tabs: ReadonlyArray<Tab> = ["compartments", "orders", "alarms", "outbox", "events"]

export interface Flow {
  readonly kind: "load" | "return"
  readonly order: OrderT
  compartmentId: number | null
  /** "reason": a return before expiry waits for the supervisor's reason. */
  phase: "reason" | "opening" | "open" | "done" | "failed"
  /** Why it failed: the server's message, in English. */
  message: string | null
  /** The reason typed for a return before expiry. */
  reason: string
}

export interface Draft {
  documentKind: string
  phone: string
  requiresOldDocument: boolean
  size: string
  preferBand: string
}

export interface StaffModel {
  lang: StaffLang
  token: string
  me: StaffInfo
  tab: Tab
  live: boolean
  snapshot: Snapshot | null
  selected: number | null
  reason: string
  orders: ReadonlyArray<OrderT> | null
  search: string
  status: string
  draft: Draft
  flow: Flow | null
  recentAlarms: ReadonlyArray<AlarmT> | null
  outbox: ReadonlyArray<OutboxT> | null
  events: Array<EventT>
  eventsFrom: number | null
  eventType: string
  /** `detail`: the server's own message, which is in English. */
  notice: { readonly ok: boolean; readonly text: string; readonly detail?: string } | null
}

export interface StaffCtx {
  readonly m: StaffModel
  readonly t: StaffDict
  readonly api: StaffApi
  readonly draw: () => void
  /** Runs a call; a failure becomes a notice (401: back to sign-in). */
  readonly run: <A>(call: Promise<Result<A>>, ok: (a: A) => void, failed?: (message: string) => void) => void
  readonly refreshOrders: () => void
}

export const emptyDraft = (): Draft => ({ documentKind: "id-card", phone: "", requiresOldDocument: true, size: "S", preferBand: "none" })

export const maskPhone = (phone: string | null) => (phone === null ? "–" : `${phone.slice(0, 3)} … ${phone.slice(-4)}`)
export const time = (iso: string, lang: StaffLang) =>
  new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "short", timeStyle: "medium" })
