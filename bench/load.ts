/**
 * Load: one `amtomat serve` process on loopback; 50 staff screens polling
 * the compartment grid and alarms, and a kiosk doing full pickups at full
 * speed, for a bounded time. Reports p50/p99 latency per kind of request.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { serve } from "../test/support/process.ts"

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/** Reads a server-sent-events stream until `until`, calling `onEvent` for each `event:` frame's data. */
const subscribe = async (url: string, token: string, until: number, onEvent: (name: string, data: string) => void) => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), Math.max(0, until - performance.now()))
  try {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
    const reader = r.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ""
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let cut: number
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const name = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (name !== undefined && data !== undefined) onEvent(name, data)
      }
    }
  } catch {
    // aborted at the end of the run
  } finally {
    clearTimeout(timer)
  }
}

export const loadBench = async (options: { staffScreens: number; seconds: number; live?: boolean }) => {
  const db = join(mkdtempSync(join(tmpdir(), "amtomat-load-")), "load.db")
  const server = await serve(["--db", db, "--demo"])
  const timings: Record<string, Array<number>> = { staff: [], kiosk: [] }
  let errors = 0
  const timed = async (kind: string, method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers["content-type"] = "application/json"
    if (token) headers["authorization"] = `Bearer ${token}`
    const t0 = performance.now()
    const r = await fetch(`${server.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await r.text()
    timings[kind]!.push(performance.now() - t0)
    if (r.status >= 500) errors++
    return { status: r.status, body: text ? JSON.parse(text) : undefined }
  }
  try {
    const login = await timed("staff", "POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })
    const token = login.body.token as string
    const until = performance.now() + options.seconds * 1000
    const delivery: Array<number> = []
    let snapshots = 0
    const staff = Array.from({ length: options.staffScreens }, async () => {
      if (options.live === true) {
        // a screen on live updates: one open stream; how long does each event take to reach it?
        return subscribe(`${server.base}/api/staff/stream`, token, until, (name, data) => {
          if (name === "snapshot") snapshots++
          if (name !== "event") return
          const at = (JSON.parse(data) as { at?: string }).at
          if (at !== undefined) delivery.push(Date.now() - Date.parse(at))
        })
      }
      while (performance.now() < until) {
        await timed("staff", "GET", "/api/staff/compartments", undefined, token)
        await timed("staff", "GET", "/api/staff/alarms?open=true", undefined, token)
        await new Promise((r) => setTimeout(r, 250))
      }
    })
    let pickups = 0
    const kiosk = (async () => {
      let n = 0
      while (performance.now() < until) {
        const phone = `+4915170000${String(n++).padStart(3, "0")}`
        const order = await timed("kiosk", "POST", "/api/staff/orders", { documentKind: "id-card", phone, requiresOldDocument: false }, token)
        const c = await timed("kiosk", "POST", `/api/staff/orders/${order.body.id}/load`, undefined, token)
        if (c.status !== 200) break
        await timed("kiosk", "POST", `/api/twin/slots/${c.body.id}/put`)
        await timed("kiosk", "POST", `/api/twin/slots/${c.body.id}/close`)
        const loaded = await timed("kiosk", "POST", `/api/staff/orders/${order.body.id}/load/confirm`, undefined, token)
        await timed("kiosk", "POST", "/api/twin/card/insert", { label: `load-${n}` })
        const { sessionId } = (await timed("kiosk", "POST", "/api/kiosk/session")).body
        await timed("kiosk", "POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: loaded.body.pickupNumber })
        const inbox = (await timed("kiosk", "GET", `/api/twin/sms?to=${encodeURIComponent(phone)}`)).body
        const code = /Code: (\d+)/.exec(inbox.at(-1).text)![1]
        await timed("kiosk", "POST", "/api/kiosk/pickup/verify", { sessionId, code })
        await timed("kiosk", "POST", "/api/kiosk/pickup/open", { sessionId })
        await timed("kiosk", "POST", `/api/twin/slots/${c.body.id}/take`)
        await timed("kiosk", "POST", `/api/twin/slots/${c.body.id}/close`)
        const done = await timed("kiosk", "POST", "/api/kiosk/pickup/complete", { sessionId })
        if (done.body?.collected) pickups++
        await timed("kiosk", "POST", "/api/kiosk/session/end", { sessionId })
      }
    })()
    await Promise.all([kiosk, ...staff])
    const live = options.live === true
      ? { eventsDelivered: delivery.length, snapshots, deliveryP50ms: percentile(delivery, 50), deliveryP99ms: percentile(delivery, 99) }
      : { staffRequests: timings["staff"]!.length, staffP50ms: Number(percentile(timings["staff"]!, 50).toFixed(2)), staffP99ms: Number(percentile(timings["staff"]!, 99).toFixed(2)) }
    return {
      bench: options.live === true ? "load.http.live" : "load.http.polling",
      staffScreens: options.staffScreens,
      seconds: options.seconds,
      pickups,
      errors,
      ...live,
      kioskRequests: timings["kiosk"]!.length,
      kioskP50ms: Number(percentile(timings["kiosk"]!, 50).toFixed(2)),
      kioskP99ms: Number(percentile(timings["kiosk"]!, 99).toFixed(2))
    }
  } finally {
    await server.stop()
  }
}
