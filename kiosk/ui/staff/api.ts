/** The back office's calls: /api/staff/* with the bearer token of the signed-in member. */
import type { Alarm } from "../../../core/domain/alarm.ts"
import type { Compartment } from "../../../core/domain/compartment.ts"
import type { LoggedEvent } from "../../../core/domain/events.ts"
import type { PickupOrder } from "../../../core/domain/order.ts"
import type { OutboxEntry } from "../../../core/domain/outbox.ts"
import type { StaffAccountView } from "../../../core/domain/staff.ts"
import { call } from "../shared/http.ts"

export type CompartmentT = typeof Compartment.Encoded
export type OrderT = typeof PickupOrder.Encoded
export type AlarmT = typeof Alarm.Encoded
export type OutboxT = typeof OutboxEntry.Encoded
export type EventT = typeof LoggedEvent.Encoded
export type AccountT = typeof StaffAccountView.Encoded
export interface TemporaryPasswordT {
  readonly account: AccountT
  readonly temporaryPassword: string
}
export interface ServiceT {
  readonly id: string
  readonly title: { readonly de: string; readonly en: string }
}
export interface StaffInfo {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly role: "clerk" | "supervisor" | "technician"
}
export interface Snapshot {
  readonly compartments: ReadonlyArray<CompartmentT>
  readonly alarms: ReadonlyArray<AlarmT>
  readonly lastSeq: number
}

export const login = (username: string, password: string) =>
  call<{ token: string; expiresAt: number; staff: StaffInfo }>("POST", "/api/staff/login", { username, password })

export const staffApi = (token: string) => {
  const get = <A>(path: string) => call<A>("GET", `/api/staff${path}`, undefined, { token })
  const post = <A>(path: string, body?: unknown) => call<A>("POST", `/api/staff${path}`, body, { token })
  return {
    logout: () => post<void>("/logout"),
    me: () => get<StaffInfo>("/me"),
    orders: (status: string, search: string) => {
      const q = new URLSearchParams()
      if (status) q.set("status", status)
      if (search) q.set("search", search)
      const query = q.toString()
      return get<ReadonlyArray<OrderT>>(`/orders${query ? `?${query}` : ""}`)
    },
    announce: (body: { documentKind: string; phone: string; requiresOldDocument: boolean; size: string; preferBand: string | null }) =>
      post<OrderT>("/orders", body),
    startLoad: (id: string) => post<CompartmentT>(`/orders/${id}/load`),
    confirmLoad: (id: string) => post<OrderT>(`/orders/${id}/load/confirm`),
    startReturn: (id: string, reason?: string) => post<CompartmentT>(`/orders/${id}/return`, reason === undefined ? {} : { reason }),
    confirmReturn: (id: string) => post<OrderT>(`/orders/${id}/return/confirm`),
    order: (id: string) => get<OrderT>(`/orders/${id}`),
    release: (id: string, note: string) => post<OrderT>(`/orders/${id}/release`, note.trim() === "" ? {} : { note: note.trim() }),
    counter: (id: string) => post<OrderT>(`/orders/${id}/counter`),
    outOfService: (id: number, reason: string) => post<CompartmentT>(`/compartments/${id}/out-of-service`, { reason }),
    inService: (id: number) => post<CompartmentT>(`/compartments/${id}/in-service`),
    overrideOpen: (id: number, reason: string) => post<CompartmentT>(`/compartments/${id}/override-open`, { reason }),
    alarms: (open: boolean) => get<ReadonlyArray<AlarmT>>(`/alarms?open=${open}`),
    acknowledge: (id: string, note: string) => post<AlarmT>(`/alarms/${id}/ack`, note.trim() === "" ? {} : { note: note.trim() }),
    names: () => get<ReadonlyArray<{ id: string; displayName: string }>>("/names"),
    services: () => call<ReadonlyArray<ServiceT>>("GET", "/api/kiosk/services"),
    accounts: () => get<ReadonlyArray<AccountT>>("/accounts"),
    createAccount: (body: { username: string; displayName: string; role: string }) => post<TemporaryPasswordT>("/accounts", body),
    changeAccount: (id: string, body: { role?: string; displayName?: string; disabled?: boolean }) => post<AccountT>(`/accounts/${id}`, body),
    resetPassword: (id: string) => post<TemporaryPasswordT>(`/accounts/${id}/reset-password`),
    outbox: () => get<ReadonlyArray<OutboxT>>("/outbox"),
    retry: (id: string) => post<OutboxT>(`/outbox/${id}/retry`),
    events: (after: number, limit: number) => get<ReadonlyArray<EventT>>(`/events?after=${after}&limit=${limit}`)
  }
}
export type StaffApi = ReturnType<typeof staffApi>
