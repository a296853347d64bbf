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

export const loadBench = async (options: { staffScreens: number; seconds: number }) => {
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
    const staff = Array.from({ length: options.staffScreens }, async () => {
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
    return {
      bench: "load.http",
      staffScreens: options.staffScreens,
      seconds: options.seconds,
      pickups,
      errors,
      staffRequests: timings["staff"]!.length,
      staffP50ms: Number(percentile(timings["staff"]!, 50).toFixed(2)),
      staffP99ms: Number(percentile(timings["staff"]!, 99).toFixed(2)),
      kioskRequests: timings["kiosk"]!.length,
      kioskP50ms: Number(percentile(timings["kiosk"]!, 50).toFixed(2)),
      kioskP99ms: Number(percentile(timings["kiosk"]!, 99).toFixed(2))
    }
  } finally {
    await server.stop()
  }
}
