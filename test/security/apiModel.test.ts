/**
 * Model-based test of the whole terminal through its HTTP API: random
 * command sequences (fast-check `fc.commands`) run against the real server
 * in-process and against a small reference model; after every command the
 * answers and the orders' states must agree with the model.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { codeIn, lastCodeIn } from "../../core/domain/rules.ts"
import { STAFF, webHandler } from "../support/webHandler.ts"

interface ModelOrder {
  status: "loaded" | "locked" | "collected"
  wrong: number
}
interface Model {
  orders: Array<ModelOrder>
  free: number
  session: { order: number | null; verified: boolean; opened: boolean; sends: Map<number, number> } | null
}
interface Real {
  app: ReturnType<typeof webHandler>
  token: string
  orders: Array<{ id: string; pickupNumber: string; phone: string; compartmentId: number }>
  sessionId: string | null
  phones: number
}

const call = async (real: Real, method: string, path: string, body?: unknown, auth = false) => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (auth) headers["authorization"] = `Bearer ${real.token}`
  const r = await real.app.handler(new Request(`http://t${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}
const MAX_ATTEMPTS = 3
const COMPARTMENTS = 12

class Load implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.free > 0
  async run(m: Model, r: Real) {
    const phone = `+4915190000${String(++r.phones).padStart(3, "0")}`
    const order = await call(r, "POST", "/api/staff/orders", { documentKind: "passport", phone, requiresOldDocument: false }, true)
    expect(order.status).toBe(201)
    const c = await call(r, "POST", `/api/staff/orders/${order.body.id}/load`, undefined, true)
    expect(c.status).toBe(200)
    await call(r, "POST", `/api/twin/slots/${c.body.id}/put`)
    await call(r, "POST", `/api/twin/slots/${c.body.id}/close`)
    const loaded = await call(r, "POST", `/api/staff/orders/${order.body.id}/load/confirm`, undefined, true)
    expect(loaded.body.status).toBe("loaded")
    r.orders.push({ id: order.body.id, pickupNumber: order.body.pickupNumber, phone, compartmentId: c.body.id })
    m.orders.push({ status: "loaded", wrong: 0 })
    m.free--
  }
  toString = () => "Load"
}

class Session implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(m: Model, r: Real) {
    await call(r, "POST", "/api/twin/card/insert", { label: "model-card" })
    const s = await call(r, "POST", "/api/kiosk/session")
    expect(s.status).toBe(200)
    r.sessionId = s.body.sessionId
    m.session = { order: null, verified: false, opened: false, sends: new Map() }
  }
  toString = () => "Session"
}

class Identify implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.session !== null && !m.session.opened && m.orders.length > 0
  async run(m: Model, r: Real) {
    const k = this.i % m.orders.length
    const res = await call(r, "POST", "/api/kiosk/pickup/identify", { sessionId: r.sessionId, pickupNumber: r.orders[k]!.pickupNumber })
    const o = m.orders[k]!
    const s = m.session!
    if (o.status === "locked") return void expect(res.body?.reason).toBe("OrderLocked")
    if (o.status === "collected") return void expect(res.body?.reason).toBe("NotReady")
    if (s.order !== k) Object.assign(s, { order: k, verified: false })
    const sends = s.sends.get(k) ?? 0
    if (sends >= 10) return void expect(res.body?.reason).toBe("Throttled")
    expect(res.status).toBe(200)
    s.sends.set(k, sends + 1)
  }
  toString = () => `Identify(${this.i})`
}

class Verify implements fc.AsyncCommand<Model, Real> {
  constructor(readonly right: boolean) {}
  check = (m: Readonly<Model>) => m.session !== null && m.session.order !== null
  async run(m: Model, r: Real) {
    const s = m.session!
    const k = s.order!
    const inbox = (await call(r, "GET", `/api/twin/sms?to=${encodeURIComponent(r.orders[k]!.phone)}`)).body as Array<{ text: string }>
    const code = lastCodeIn(inbox.map((x: { text: string }) => x.text))!
    const res = await call(r, "POST", "/api/kiosk/pickup/verify", { sessionId: r.sessionId, code: this.right ? code : code === "000000" ? "111111" : "000000" })
    const o = m.orders[k]!
    if (s.verified) return void expect(res.status).toBe(200)
    if (o.status === "locked") return void expect(res.body?.reason).toBe("OrderLocked")
    if (this.right) {
      expect(res.status).toBe(200)
      s.verified = true
      o.wrong = 0
      return
    }
    o.wrong++
    if (o.wrong >= MAX_ATTEMPTS) {
      expect(res.body).toMatchObject({ reason: "OrderLocked", attemptsLeft: 0 })
      o.status = "locked"
      Object.assign(s, { order: null, verified: false })
    } else {
      expect(res.body).toMatchObject({ reason: "WrongCode", attemptsLeft: MAX_ATTEMPTS - o.wrong })
    }
  }
  toString = () => `Verify(${this.right ? "right" : "wrong"})`
}

class Open implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.session !== null
  async run(m: Model, r: Real) {
    const res = await call(r, "POST", "/api/kiosk/pickup/open", { sessionId: r.sessionId })
    const s = m.session!
    if (!s.verified || s.order === null) return void expect(res.body?.reason).toBe("NoCodeRequested")
    expect(res.body).toEqual({ compartmentId: r.orders[s.order]!.compartmentId })
    s.opened = true
  }
  toString = () => "Open"
}

class TakeAndClose implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.session !== null && m.session.opened
  async run(m: Model, r: Real) {
    const s = m.session!
    const c = r.orders[s.order!]!.compartmentId
    await call(r, "POST", `/api/twin/slots/${c}/take`)
    await call(r, "POST", `/api/twin/slots/${c}/close`)
    const res = await call(r, "POST", "/api/kiosk/pickup/complete", { sessionId: r.sessionId })
    expect(res.body).toEqual({ collected: true, doorClosed: true })
    m.orders[s.order!]!.status = "collected"
    m.free++
    Object.assign(s, { order: null, verified: false, opened: false })
  }
  toString = () => "TakeAndClose"
}

class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly i: number) {}
  check = (m: Readonly<Model>) => m.orders.length > 0
  async run(m: Model, r: Real) {
    const k = this.i % m.orders.length
    const res = await call(r, "POST", `/api/staff/orders/${r.orders[k]!.id}/release`, undefined, true)
    const o = m.orders[k]!
    if (o.status !== "locked") return void expect(res.status).toBe(409)
    expect(res.body.status).toBe("loaded")
    Object.assign(o, { status: "loaded", wrong: 0 })
  }
  toString = () => `Release(${this.i})`
}

class Check implements fc.AsyncCommand<Model, Real> {
  check = () => true
  async run(m: Model, r: Real) {
    const all = (await call(r, "GET", "/api/staff/orders", undefined, true)).body as Array<{ id: string; status: string }>
    for (const [k, o] of r.orders.entries()) expect(all.find((x) => x.id === o.id)?.status, `order ${k}`).toBe(m.orders[k]!.status)
    const compartments = (await call(r, "GET", "/api/staff/compartments", undefined, true)).body as Array<{ state: string }>
    expect(compartments.filter((c) => c.state === "free").length).toBe(m.free)
  }
  toString = () => "Check"
}

const commands = [
  fc.constant(new Load()),
  fc.constant(new Session()),
  fc.nat(5).map((i) => new Identify(i)),
  fc.boolean().map((b) => new Verify(b)),
  fc.constant(new Open()),
  fc.constant(new TakeAndClose()),
  fc.nat(5).map((i) => new Release(i)),
  fc.constant(new Check())
]

describe("The terminal against its reference model, through HTTP", () => {
  it("random command sequences agree with the model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
        const app = webHandler({ config: { terminalFailuresBeforeDelay: 100, cardFailuresBeforeDelay: 100, maxCodeSends: 10, cardReadSeconds: 5 } })
        try {
          const login = await app.handler(
            new Request("http://t/api/staff/login", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(STAFF)
            })
          )
          const real: Real = { app, token: ((await login.json()) as { token: string }).token, orders: [], sessionId: null, phones: 0 }
          await fc.asyncModelRun(() => ({ model: { orders: [], free: COMPARTMENTS, session: null }, real }), cmds)
        } finally {
          await app.dispose()
        }
      }),
      { numRuns: 25 }
    )
  }, 300_000)

  it("staff loads and a kiosk pickup interleaved in any order never double-book and lose nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 6 }), async (s, loads) => {
        const app = webHandler({ config: { cardReadSeconds: 5 } })
        try {
          const login = await app.handler(
            new Request("http://t/api/staff/login", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(STAFF)
            })
          )
          const real: Real = { app, token: ((await login.json()) as { token: string }).token, orders: [], sessionId: null, phones: 0 }
          // one order loaded up front, for the kiosk to collect while staff load the others
          await new Load().run({ orders: [], free: COMPARTMENTS, session: null }, real)
          const first = real.orders[0]!
          const step = <A>(label: string, f: () => Promise<A>) => s.schedule(Promise.resolve(label)).then(f)
          const staff = Array.from({ length: loads }, async (_, i) => {
            const phone = `+4915180000${String(i).padStart(3, "0")}`
            const order = await step(
              `announce ${i}`,
              () => call(real, "POST", "/api/staff/orders", { documentKind: "id-card", phone, requiresOldDocument: false }, true)
            )
            const c = await step(`load ${i}`, () => call(real, "POST", `/api/staff/orders/${order.body.id}/load`, undefined, true))
            await step(`put ${i}`, () => call(real, "POST", `/api/twin/slots/${c.body.id}/put`))
            await step(`close ${i}`, () => call(real, "POST", `/api/twin/slots/${c.body.id}/close`))
            return step(`confirm ${i}`, () => call(real, "POST", `/api/staff/orders/${order.body.id}/load/confirm`, undefined, true))
          })
          const kiosk = (async () => {
            await step("card", () => call(real, "POST", "/api/twin/card/insert", { label: "race" }))
            const session = await step("session", () => call(real, "POST", "/api/kiosk/session"))
            const sessionId = session.body.sessionId
            await step("identify", () => call(real, "POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: first.pickupNumber }))
            const inbox = await step("inbox", () => call(real, "GET", `/api/twin/sms?to=${encodeURIComponent(first.phone)}`))
            const code = codeIn(inbox.body.at(-1).text)!
            await step("verify", () => call(real, "POST", "/api/kiosk/pickup/verify", { sessionId, code }))
            await step("open", () => call(real, "POST", "/api/kiosk/pickup/open", { sessionId }))
            await step("take", () => call(real, "POST", `/api/twin/slots/${first.compartmentId}/take`))
            await step("shut", () => call(real, "POST", `/api/twin/slots/${first.compartmentId}/close`))
            return step("complete", () => call(real, "POST", "/api/kiosk/pickup/complete", { sessionId }))
          })()
          const results = await s.waitFor(Promise.all([kiosk, ...staff]))
          expect(results[0]!.body).toEqual({ collected: true, doorClosed: true })
          const orders = (await call(real, "GET", "/api/staff/orders", undefined, true)).body as Array<{ status: string; compartmentId: number | null }>
          const held = orders.filter((o) => o.status === "loaded").map((o) => o.compartmentId)
          expect(held).toHaveLength(loads)
          expect(new Set(held).size).toBe(loads)
          expect(orders.filter((o) => o.status === "collected")).toHaveLength(1)
          const compartments = (await call(real, "GET", "/api/staff/compartments", undefined, true)).body as Array<{ state: string }>
          expect(compartments.filter((c) => c.state === "free")).toHaveLength(COMPARTMENTS - loads)
        } finally {
          await app.dispose()
        }
      }),
      { numRuns: 20 }
    )
  }, 300_000)
})
