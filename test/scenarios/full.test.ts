/**
 * Full fidelity: single-terminal-demo through the real workflows against
 * the twins produces the same event types — in the same order within a
 * session — as a real pickup through the HTTP API of `amtomat serve`, and the
 * same aggregates as model fidelity for the same seed.
 */
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { codeIn } from "../../core/domain/rules.ts"
import { verifyRows } from "../../core/persistence/EventLog.ts"
import { serve, type Served } from "../../kiosk/harness/process.ts"
import { runFullReplicate } from "../../scenarios/full/run.ts"
import { runModelReplicate } from "../../scenarios/model/run.ts"
import { preset } from "./support.ts"

const scenario = preset("single-terminal-demo")
let server: Served

const call = async (method: string, path: string, body?: unknown, token?: string) => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token !== undefined) headers["authorization"] = `Bearer ${token}`
  const r = await fetch(`${server.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await r.text()
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${text}`)
  return text.length > 0 ? JSON.parse(text) : undefined
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Event types per session, in log order. */
const sessionsOf = (events: ReadonlyArray<{ readonly type: string; readonly sessionId?: string }>) => {
  const by = new Map<string, Array<string>>()
  for (const e of events) if (e.sessionId !== undefined) by.set(e.sessionId, [...(by.get(e.sessionId) ?? []), e.type])
  return [...by.values()]
}

beforeAll(async () => {
  server = await serve(["--db", join(mkdtempSync(join(tmpdir(), "amtomat-scn-api-")), "t.db"), "--demo"])
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

describe("full fidelity", () => {
  it("plays single-terminal-demo through the workflows: the event types of a real API pickup, the same figures as model fidelity", async () => {
    // A real pickup through the API, as a citizen at the terminal.
    const { token } = await call("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })
    const order = (await call("GET", "/api/staff/orders?status=loaded", undefined, token)).find((o: { requiresOldDocument: boolean }) => o.requiresOldDocument)
    await call("POST", "/api/twin/card/insert", { label: "api-citizen" })
    const { sessionId } = await call("POST", "/api/kiosk/session")
    await call("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: order.pickupNumber })
    const inbox = await call("GET", `/api/twin/sms?to=${encodeURIComponent(order.phone)}`)
    await call("POST", "/api/kiosk/pickup/verify", { sessionId, code: codeIn(inbox.at(-1).text)! })
    const intake = call("POST", "/api/kiosk/pickup/old-document", { sessionId })
    await pause(400)
    await call("POST", "/api/twin/slots/intake/put")
    await pause(500)
    await call("POST", "/api/twin/slots/intake/close")
    await intake
    const { compartmentId } = await call("POST", "/api/kiosk/pickup/open", { sessionId })
    const done = call("POST", "/api/kiosk/pickup/complete", { sessionId })
    await pause(400)
    await call("POST", `/api/twin/slots/${compartmentId}/take`)
    await pause(500)
    await call("POST", `/api/twin/slots/${compartmentId}/close`)
    await done
    await call("POST", "/api/kiosk/feedback", { sessionId, context: "pickup", rating: 5, recommend: "yes" })
    await call("POST", "/api/kiosk/session/end", { sessionId })
    const apiLog: ReadonlyArray<{ event: { _tag: string } }> = await call("GET", "/api/staff/events?limit=1000", undefined, token)
    const apiEvents = apiLog.map((e) => ({ ...e.event, type: e.event._tag }))
    const apiTypes = new Set(apiEvents.map((e) => e.type).filter((t) => !t.startsWith("Staff")))

    // The same kind of life, simulated through the real workflows.
    const full = await Effect.runPromise(runFullReplicate(scenario, { rootSeed: 7, replicate: 1 }))
    expect(verifyRows(full.events).ok).toBe(true)
    const fullEvents = full.events.map((r) => ({ ...JSON.parse(r.data), type: r.type }) as { type: string; sessionId?: string })
    const fullTypes = new Set(fullEvents.map((e) => e.type))
    expect([...apiTypes].filter((t) => !fullTypes.has(t))).toEqual([])
    expect(fullTypes).toContain("CounterHandover")
    // The API session's sequence occurs as a simulated session's sequence.
    const apiSession = sessionsOf(apiEvents as never).at(-1)!
    expect(sessionsOf(fullEvents).map((s) => s.join(" "))).toContain(apiSession.join(" "))

    // Same decisions, same outcomes: model fidelity gives the same figures.
    const model = runModelReplicate(scenario, { rootSeed: 7, replicate: 1 })
    const [f, m] = [full.sites[0]!, model.sites[0]!]
    expect(f.pickupsTerminal).toBeGreaterThan(10)
    expect(Math.abs(f.pickupsTerminal - m.pickupsTerminal)).toBeLessThanOrEqual(Math.max(2, 0.1 * m.pickupsTerminal))
    expect(Math.abs(f.pickupsCounter - m.pickupsCounter)).toBeLessThanOrEqual(Math.max(2, 0.1 * m.pickupsCounter))
  }, 120_000)
})
