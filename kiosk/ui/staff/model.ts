/** The back office's state and the context every view gets. */
import type { Result } from "../shared/http.ts"
import type { AccountT, AlarmT, EventT, OrderT, OutboxT, Snapshot, StaffApi, StaffInfo } from "./api.ts"
import type { StaffDict, StaffLang } from "./i18n.ts"

export type Tab = "compartments" | "orders" | "alarms" | "outbox" | "events" | "accounts"
export const tabs: ReadonlyArray<Tab> = ["compartments", "orders", "alarms", "outbox", "events", "accounts"]
/** The tabs this member sees: account management is for supervisors. */
export const tabsFor = (role: StaffInfo["role"]): ReadonlyArray<Tab> => tabs.filter((t) => t !== "accounts" || role === "supervisor")

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
  /** Staff called the load off while the door was open: it ends when the door shuts empty. */
  cancelling: boolean
}

/** A step that waits for "yes": what, on which record, and the note typed with it. */
export interface Confirm {
  readonly action: "release" | "acknowledge" | "disable" | "reset" | "role"
  readonly id: string
  /** the role chosen, for "role" */
  readonly role?: string
  note: string
}

export interface AccountDraft {
  username: string
  displayName: string
  role: string
  /** field -> the sentence shown at it */
  errors: Record<string, string>
}

export interface Draft {
  documentKind: string
  phone: string
  requiresOldDocument: boolean
  size: string
  preferBand: string
  /** the sentence shown at the phone field, in the screen's language */
  phoneError: string | null
  /** staff ticked or unticked the old-document box themselves: a change of kind keeps their choice */
  oldTouched: boolean
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
  /** display names by staff id (who loaded, released, acknowledged) */
  names: ReadonlyMap<string, string>
  /** service titles by id, in both languages */
  services: ReadonlyMap<string, { readonly de: string; readonly en: string }>
  /** pickup numbers by order id, for compartments that hold one */
  pickupNumbers: Map<string, string>
  confirm: Confirm | null
  accounts: ReadonlyArray<AccountT> | null
  accountDraft: AccountDraft
  /** a temporary password just made, shown once */
  shownPassword: { readonly name: string; readonly password: string } | null
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
  /** Reads the staff names again (after an account was made or renamed). */
  loadNames: () => void
}

/** Only an ID card's old one is handed in at the terminal by default; a passport's is not. */
export const oldDocumentByDefault = (kind: string) => kind === "id-card"
export const emptyDraft = (): Draft => ({
  documentKind: "id-card",
  phone: "",
  requiresOldDocument: oldDocumentByDefault("id-card"),
  size: "S",
  preferBand: "none",
  phoneError: null,
  oldTouched: false
})
export const emptyAccountDraft = (): AccountDraft => ({ username: "", displayName: "", role: "clerk", errors: {} })
/** A staff id as a name, never the id itself. */
export const nameOf = (m: StaffModel, id: string | null | undefined, unknown: string) => (id ? m.names.get(id) ?? unknown : unknown)

export const maskPhone = (phone: string | null) => (phone === null ? "–" : `${phone.slice(0, 3)} … ${phone.slice(-4)}`)
export const time = (iso: string, lang: StaffLang) =>
  new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "short", timeStyle: "medium" })
