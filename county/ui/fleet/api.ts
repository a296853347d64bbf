/** The county API as the fleet screens call it: the sign-in's bearer token, one sentence for every failure. */

import type { FleetAlarm as Alarm, FleetTerminal as Terminal } from "../../Fleet.ts"
import type { CountyOrderView as Order } from "../../OrderDesk.ts"
export type { FleetAlarm as Alarm, FleetTerminal as Terminal } from "../../Fleet.ts"
export type { CountyOrderView as Order } from "../../OrderDesk.ts"

const TOKEN_KEY = "amtomat.county.token"

export const token = {
  get: (): string | null => {
    try {
      return sessionStorage.getItem(TOKEN_KEY)
    } catch {
      return null
    }
  },
  set: (value: string | null) => {
    try {
      if (value === null) sessionStorage.removeItem(TOKEN_KEY)
      else sessionStorage.setItem(TOKEN_KEY, value)
    } catch {
      // a browser without storage signs in again after a reload
    }
  }
}

/** A failed call: the server's sentence, or what went wrong on the way; `signedOut` when the session is gone. */
export class ApiFailure extends Error {
  constructor(message: string, readonly status: number) {
    super(message)
  }
  get signedOut() {
    return this.status === 401
  }
}

export const call = async <A>(method: "GET" | "POST", path: string, body?: unknown): Promise<A> => {
  const headers: Record<string, string> = {}
  const t = token.get()
  if (t !== null) headers["authorization"] = `Bearer ${t}`
  if (body !== undefined) headers["content-type"] = "application/json"
  let response: Response
  try {
    response = await fetch(path, { method, headers, cache: "no-store", ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  } catch {
    throw new ApiFailure("the county server cannot be reached", 0)
  }
  const text = await response.text()
  let parsed: unknown = undefined
  try {
    parsed = text === "" ? undefined : JSON.parse(text)
  } catch {
    // not JSON: said below
  }
  if (!response.ok) {
    const message = typeof parsed === "object" && parsed !== null && typeof (parsed as { message?: unknown }).message === "string"
      ? (parsed as { message: string }).message
      : `the county server answered ${response.status}`
    throw new ApiFailure(message, response.status)
  }
  return parsed as A
}

/** The signed-in member as /api/v1/staff/me says it. */
export interface Member {
  readonly username: string
  readonly displayName: string
  readonly role: "county" | "clerk"
  readonly site: string | null
}

export interface Dashboard {
  readonly title: string
  readonly subtitle: string
  readonly body: string
  readonly specs: ReadonlyArray<never>
}

export const api = {
  login: (username: string, password: string) => call<{ token: string; staff: Member }>("POST", "/api/v1/staff/login", { username, password }),
  logout: () => call<void>("POST", "/api/v1/staff/logout"),
  me: () => call<Member>("GET", "/api/v1/staff/me"),
  terminals: () => call<ReadonlyArray<Terminal>>("GET", "/api/v1/fleet/terminals"),
  alarms: () => call<ReadonlyArray<Alarm>>("GET", "/api/v1/fleet/alarms"),
  acknowledge: (id: string) => call<Alarm>("POST", `/api/v1/fleet/alarms/${encodeURIComponent(id)}/acknowledge`),
  dashboard: () => call<Dashboard>("GET", "/api/v1/fleet/dashboard"),
  orders: () => call<ReadonlyArray<Order>>("GET", "/api/v1/orders"),
  announce: (body: unknown) => call<Order>("POST", "/api/v1/orders", body),
  cancel: (id: string) => call<Order>("POST", `/api/v1/orders/${encodeURIComponent(id)}/cancel`),
  handOver: (id: string) => call<Order>("POST", `/api/v1/orders/${encodeURIComponent(id)}/handover`)
}
