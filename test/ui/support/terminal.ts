/**
 * The terminal under test, from the test's side: staff and twin calls over
 * HTTP to set the scene (load an order, insert a card, read a phone's SMS).
 */
import { codeIn } from "../../../core/domain/rules.ts"

export const base = () => process.env["AMTOMAT_UI_BASE"] ?? "http://127.0.0.1:8080"

export const api = async <A = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<A> => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token) headers["authorization"] = `Bearer ${token}`
  const response = await fetch(`${base()}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${text}`)
  return (text.length > 0 ? JSON.parse(text) : undefined) as A
}

let token: string | undefined
export const staffToken = async () => {
  token ??= (await api<{ token: string }>("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })).token
  return token
}

export interface LoadedOrder {
  readonly id: string
  readonly pickupNumber: string
  readonly phone: string
  readonly compartmentId: number
}

let phones = 0
/** A fresh phone number per order, so each test reads its own SMS. */
export const newPhone = () => `+49151${String(Date.now() % 1_000_000).padStart(6, "0")}${String(++phones % 100).padStart(2, "0")}`

/** Announces an order and loads it through the real loading workflow, the twin's hands putting the document in. */
export const loadOrder = async (options: { requiresOldDocument: boolean; documentKind?: string }): Promise<LoadedOrder> => {
  const t = await staffToken()
  const phone = newPhone()
  const order = await api<{ id: string; pickupNumber: string }>("POST", "/api/staff/orders", {
    documentKind: options.documentKind ?? "id-card",
    phone,
    requiresOldDocument: options.requiresOldDocument
  }, t)
  const c = await api<{ id: number }>("POST", `/api/staff/orders/${order.id}/load`, undefined, t)
  const confirmed = api("POST", `/api/staff/orders/${order.id}/load/confirm`, undefined, t)
  await api("POST", `/api/twin/slots/${c.id}/put`)
  await api("POST", `/api/twin/slots/${c.id}/close`)
  await confirmed
  return { id: order.id, pickupNumber: order.pickupNumber, phone, compartmentId: c.id }
}

/** The code in the newest SMS to this phone. */
export const codeFor = async (phone: string) => {
  const inbox = await api<ReadonlyArray<{ text: string }>>("GET", `/api/twin/sms?to=${encodeURIComponent(phone)}`)
  const code = codeIn(inbox.at(-1)?.text ?? "")
  if (code === undefined) throw new Error(`no code in the SMS to ${phone}`)
  return code
}

export const insertCard = (label = "test-card") => api("POST", "/api/twin/card/insert", { label })

export const order = async (id: string) => api<{ status: string }>("GET", `/api/staff/orders/${id}`, undefined, await staffToken())

export const openAlarms = async () =>
  api<ReadonlyArray<{ id: string; kind: string; compartmentId: number | null }>>("GET", "/api/staff/alarms?open=true", undefined, await staffToken())
