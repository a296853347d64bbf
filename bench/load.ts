/**
 * Load: one `amtomat serve` process on loopback; a kiosk doing full pickups
 * at full speed, first alone (the baseline), then beside `staffScreens` staff
 * screens (polling the compartment grid and alarms, or on the live stream),
 * each phase for `seconds`. Reports p50/p99 latency per kind of request, the
 * kiosk's p99 under load against its baseline, /health latency, and for live
 * screens how many events reached them.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { codeIn } from "../core/domain/rules.ts"
import { serve } from "../kiosk/harness/process.ts"

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const ms = (x: number) => Number(x.toFixed(2))

/**
 * Reads a server-sent-events stream until `until`, calling `onEvent` for each `event:` frame's
 * data. Resolves with the response's status (429 when the terminal refused the stream).
 */
const subscribe = async (url: string, token: string, until: number, onEvent: (name: string, data: string) => void) => {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), Math.max(0, until - performance.now()))
  let status = 0
  try {
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
    status = r.status
    if (!r.ok) {
      await r.text()
      return status
    }
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
  return status
}

export interface LoadOptions {
  readonly staffScreens: number
  readonly seconds: number
  /** Screens on the live stream instead of polling. */
  readonly live?: boolean
  /** Staff screens signed in with one token (one clerk's browser tabs); default 4. */
  readonly screensPerToken?: number
  /** Skip the kiosk-alone phase (then there is no baseline). */
  readonly baseline?: boolean
}

/** The kiosk's p99 goal with 50 live staff screens open. */
const GOAL_P99_MS = 20

export const loadBench = async (options: LoadOptions) => {
  const db = join(mkdtempSync(join(tmpdir(), "amtomat-load-")), "load.db")
  const server = await serve(["--db", db, "--demo"])
  let errors = 0
  const request = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = {}
    if (body !== undefined) headers["content-type"] = "application/json"
    if (token) headers["authorization"] = `Bearer ${token}`
    const t0 = performance.now()
    const r = await fetch(`${server.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await r.text()
    const took = performance.now() - t0
    if (r.status >= 500) errors++
    return { took, status: r.status, text, body: text && r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : undefined }
  }
  const signIn = async () => (await request("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })).body.token as string
  const eventsLogged = async () => {
    const { text } = await request("GET", "/metrics")
    return Number(/^amtomat_event_log_length (\S+)$/m.exec(text)?.[1] ?? 0)
  }

  /** The kiosk doing full pickups until `until`, /health asked every 250 ms; returns the timings. */
  const kioskPhase = async (token: string, until: number, phone: { n: number }) => {
    const kiosk: Array<number> = []
    const health: Array<number> = []
    let pickups = 0
    const timed = async (method: string, path: string, body?: unknown, t?: string) => {
      const r = await request(method, path, body, t)
      kiosk.push(r.took)
      return r
    }
    const probe = (async () => {
      while (performance.now() < until) {
        health.push((await request("GET", "/health")).took)
        await new Promise((r) => setTimeout(r, 250))
      }
    })()
    while (performance.now() < until) {
      const number = `+49151700${String(phone.n++).padStart(5, "0")}`
      const order = await timed("POST", "/api/staff/orders", { documentKind: "id-card", phone: number, requiresOldDocument: false }, token)
      const c = await timed("POST", `/api/staff/orders/${order.body.id}/load`, undefined, token)
      if (c.status !== 200) break
      await timed("POST", `/api/twin/slots/${c.body.id}/put`)
      await timed("POST", `/api/twin/slots/${c.body.id}/close`)
      const loaded = await timed("POST", `/api/staff/orders/${order.body.id}/load/confirm`, undefined, token)
      await timed("POST", "/api/twin/card/insert", { label: `load-${phone.n}` })
      const { sessionId } = (await timed("POST", "/api/kiosk/session")).body
      await timed("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: loaded.body.pickupNumber })
      const inbox = (await timed("GET", `/api/twin/sms?to=${encodeURIComponent(number)}`)).body
      const code = codeIn(inbox.at(-1).text)!
      await timed("POST", "/api/kiosk/pickup/verify", { sessionId, code })
      await timed("POST", "/api/kiosk/pickup/open", { sessionId })
      await timed("POST", `/api/twin/slots/${c.body.id}/take`)
      await timed("POST", `/api/twin/slots/${c.body.id}/close`)
      const done = await timed("POST", "/api/kiosk/pickup/complete", { sessionId })
      if (done.body?.collected) pickups++
      await timed("POST", "/api/kiosk/session/end", { sessionId })
    }
    await probe
    return { kiosk, health, pickups }
  }

  try {
    const kioskToken = await signIn()
    const phone = { n: 0 }
    const baseline = options.baseline === false
      ? undefined
      : await kioskPhase(kioskToken, performance.now() + options.seconds * 1000, phone)

    const perToken = Math.max(1, options.screensPerToken ?? 4)
    const tokens: Array<string> = []
    for (let i = 0; i < Math.ceil(options.staffScreens / perToken); i++) tokens.push(await signIn())
    const loggedBefore = await eventsLogged()
    const until = performance.now() + options.seconds * 1000
    const staffTimings: Array<number> = []
    const delivery: Array<number> = []
    let snapshots = 0
    let events = 0
    const statuses: Record<string, number> = {}
    const staff = Array.from({ length: options.staffScreens }, async (_, i) => {
      const token = tokens[Math.floor(i / perToken)]!
      if (options.live === true) {
        // a screen on live updates: one open stream; how long does each event take to reach it?
        const status = await subscribe(`${server.base}/api/staff/stream`, token, until, (name, data) => {
          if (name === "snapshot") snapshots++
          if (name !== "event") return
          events++
          const at = /"at":"([^"]+)"/.exec(data)?.[1]
          if (at !== undefined) delivery.push(Date.now() - Date.parse(at))
        })
        statuses[status] = (statuses[status] ?? 0) + 1
        return
      }
      while (performance.now() < until) {
        staffTimings.push((await request("GET", "/api/staff/compartments", undefined, token)).took)
        staffTimings.push((await request("GET", "/api/staff/alarms?open=true", undefined, token)).took)
        await new Promise((r) => setTimeout(r, 250))
      }
    })
    const loaded = await kioskPhase(kioskToken, until, phone)
    await Promise.all(staff)
    const logged = (await eventsLogged()) - loggedBefore

    const kioskP99Ms = ms(percentile(loaded.kiosk, 99))
    const baselineP99Ms = baseline === undefined ? null : ms(percentile(baseline.kiosk, 99))
    const opened = statuses["200"] ?? 0
    const live = options.live === true
      ? {
        streamsOpened: opened,
        streamsRefused: statuses["429"] ?? 0,
        streamStatuses: statuses,
        eventsLogged: logged,
        eventsDelivered: events,
        eventsExpected: logged * opened,
        eventsPerSecond: ms(events / options.seconds),
        snapshots,
        deliveryP50ms: ms(percentile(delivery, 50)),
        deliveryP99ms: ms(percentile(delivery, 99))
      }
      : { staffRequests: staffTimings.length, staffP50ms: ms(percentile(staffTimings, 50)), staffP99ms: ms(percentile(staffTimings, 99)) }
    return {
      bench: options.live === true ? "load.http.live" : "load.http.polling",
      staffScreens: options.staffScreens,
      seconds: options.seconds,
      pickups: loaded.pickups,
      baselinePickups: baseline?.pickups ?? null,
      errors,
      ...live,
      kioskRequests: loaded.kiosk.length,
      kioskP50ms: ms(percentile(loaded.kiosk, 50)),
      kioskP99Ms,
      baselineP99Ms,
      ratio: baselineP99Ms === null || baselineP99Ms === 0 ? null : ms(kioskP99Ms / baselineP99Ms),
      goalP99Ms: GOAL_P99_MS,
      healthP99Ms: ms(percentile(loaded.health, 99)),
      healthMaxMs: ms(Math.max(0, ...loaded.health)),
      baselineHealthP99Ms: baseline === undefined ? null : ms(percentile(baseline.health, 99))
    }
  } finally {
    await server.stop()
  }
}
