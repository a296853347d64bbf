/**
 * End to end: `amtomat serve` as a process on a free port with a temp
 * database; a full pickup and an application over HTTP, then the event log
 * through `amtomat events`.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { codeIn } from "../../core/domain/rules.ts"
import { run, serve, type Served } from "../../kiosk/harness/process.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-e2e-"))
const db = join(dir, "terminal.db")
let server: Served

const call = async (method: string, path: string, body?: unknown, token?: string) => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token) headers["authorization"] = `Bearer ${token}`
  const response = await fetch(`${server.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await response.text()
  return { status: response.status, body: text.length > 0 ? JSON.parse(text) : undefined }
}
const ok = async (method: string, path: string, body?: unknown, token?: string) => {
  const r = await call(method, path, body, token)
  if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

beforeAll(async () => {
  server = await serve(["--db", db, "--demo"])
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

describe("amtomat serve, end to end", () => {
  it("answers health, the OpenAPI document and Swagger UI", async () => {
    expect(await ok("GET", "/health")).toMatchObject({ status: "ok", devices: { locker: "ok", card: "ok", database: "ok" } })
    const spec = await ok("GET", "/openapi.json")
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/kiosk/pickup/verify", "/api/staff/orders", "/api/twin/card/insert"]))
    const docs = await fetch(`${server.base}/docs`)
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain("swagger")
  })

  it("a full pickup: card, pickup number, SMS code, old document, door, document, door shut", async () => {
    const { token } = await ok("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })
    const orders = await ok("GET", "/api/staff/orders?status=loaded", undefined, token)
    const order = orders.find((o: { requiresOldDocument: boolean }) => o.requiresOldDocument)
    expect(order).toBeDefined()
    await ok("POST", "/api/twin/card/insert", { label: "e2e-card" })
    const { sessionId } = await ok("POST", "/api/kiosk/session")
    const identified = await ok("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: order.pickupNumber })
    expect(identified.requiresOldDocument).toBe(true)
    expect(JSON.stringify(identified)).not.toContain(order.phone)
    const inbox = await ok("GET", `/api/twin/sms?to=${encodeURIComponent(order.phone)}`)
    const code = codeIn(inbox.at(-1).text)!
    const wrong = await call("POST", "/api/kiosk/pickup/verify", { sessionId, code: code === "000000" ? "111111" : "000000" })
    expect(wrong).toMatchObject({ status: 422, body: { reason: "WrongCode", attemptsLeft: 2 } })
    await ok("POST", "/api/kiosk/pickup/verify", { sessionId, code })
    const intake = call("POST", "/api/kiosk/pickup/old-document", { sessionId })
    await new Promise((r) => setTimeout(r, 500))
    await ok("POST", "/api/twin/slots/intake/put")
    await new Promise((r) => setTimeout(r, 500))
    await ok("POST", "/api/twin/slots/intake/close")
    expect(await intake).toMatchObject({ status: 200, body: { received: true } })
    const { compartmentId } = await ok("POST", "/api/kiosk/pickup/open", { sessionId })
    expect(compartmentId).toBe(order.compartmentId)
    const done = call("POST", "/api/kiosk/pickup/complete", { sessionId })
    await new Promise((r) => setTimeout(r, 500))
    await ok("POST", `/api/twin/slots/${compartmentId}/take`)
    await ok("POST", `/api/twin/slots/${compartmentId}/close`)
    expect(await done).toMatchObject({ status: 200, body: { collected: true, doorClosed: true } })
    await ok("POST", "/api/kiosk/feedback", { sessionId, context: "pickup", rating: 5, recommend: "yes" })
    await ok("POST", "/api/kiosk/session/end", { sessionId })
    expect((await ok("GET", `/api/staff/orders/${order.id}`, undefined, token)).status).toBe("collected")
  }, 60_000)

  it("an application with a scanned attachment, delivered to the office with a reference", async () => {
    await ok("POST", "/api/twin/card/insert", { label: "e2e-card-2" })
    const { sessionId } = await ok("POST", "/api/kiosk/session")
    const services = await ok("GET", "/api/kiosk/services")
    expect(services).toHaveLength(8)
    await ok("POST", "/api/twin/scanner/place", { pages: 2 })
    const scan = await ok("POST", "/api/kiosk/applications/scan", { sessionId })
    expect(scan).toMatchObject({ pages: 2, mime: "image/png" })
    const filed = await ok("POST", "/api/kiosk/applications", {
      sessionId,
      serviceId: "grave-monument",
      fields: { fullName: "Erika Mustermann", street: "Am Friedhof 1", postcode: "56727", cemetery: "Mayen", graveNumber: "A-12", material: "granite" },
      attachments: [{ name: "drawing", attachmentId: scan.attachmentId }]
    })
    expect(filed.reference).toMatch(/^\d{4}-[A-Z2-9]{6}$/)
    const { token } = await ok("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })
    let entry: { status: string } | undefined
    for (let i = 0; i < 100 && entry?.status !== "delivered"; i++) {
      entry = (await ok("GET", "/api/staff/outbox", undefined, token)).find((e: { reference: string }) => e.reference === filed.reference)
      if (entry?.status !== "delivered") await new Promise((r) => setTimeout(r, 500))
    }
    expect(entry).toMatchObject({ status: "delivered" })
  }, 90_000)

  it("bad input: 400 naming the field, 404 for unknown things, 401 without sign-in; nothing changes", async () => {
    const before = (await ok("GET", "/health")).events
    const bad = await call("POST", "/api/kiosk/pickup/identify", { sessionId: "ses_aaaaaaaaaaaa", pickupNumber: "1234" })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain("pickupNumber")
    expect((await call("POST", "/api/kiosk/feedback", { sessionId: "ses_aaaaaaaaaaaa", context: "pickup", rating: 7, recommend: "yes" })).status).toBe(400)
    expect((await call("POST", "/api/kiosk/pickup/identify", { sessionId: "ses_aaaaaaaaaaaa", pickupNumber: "12345674", extra: 1 })).status).toBe(400)
    const raw = await fetch(`${server.base}/api/kiosk/pickup/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toMatchObject({ _tag: "BadRequest" })
    expect((await call("GET", "/api/nothing")).status).toBe(404)
    expect((await call("GET", "/api/staff/orders")).status).toBe(401)
    const { token } = await ok("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })
    expect((await call("GET", "/api/staff/orders/ord_000000000000", undefined, token)).status).toBe(404)
    expect((await call("POST", "/api/staff/compartments/3/override-open", { reason: "x" }, token)).status).toBe(400)
    expect((await call("POST", "/api/staff/login", { username: "demo", password: "wrong" })).status).toBe(401)
    const after = (await ok("GET", "/health")).events
    // the refused requests wrote nothing; the two sign-ins (one good, one wrong) are recorded
    expect(after - before).toBe(2)
  })

  it("a body over 1 MiB is refused (413, or the connection closed) and the server carries on", async () => {
    const before = (await ok("GET", "/health")).events
    const big = JSON.stringify({ sessionId: "ses_aaaaaaaaaaaa", pickupNumber: "x".repeat(2 * 1024 * 1024) })
    const outcome = await fetch(`${server.base}/api/kiosk/pickup/identify`, { method: "POST", headers: { "content-type": "application/json" }, body: big })
      .then((r) => r.status)
      .catch(() => "closed")
    expect([413, "closed"]).toContain(outcome)
    expect((await ok("GET", "/health")).events).toBe(before)
  })

  it("every step of the pickup is in the event log, printed by `amtomat events`", async () => {
    const { code, stdout } = await run(["events", "--db", db])
    expect(code).toBe(0)
    const types = stdout.trim().split("\n").map((l) => JSON.parse(l).type)
    for (
      const t of [
        "CardSessionStarted",
        "PickupStarted",
        "CodeRejected",
        "CodeVerified",
        "OldDocumentReceived",
        "CompartmentOpened",
        "DocumentTaken",
        "PickupCompleted",
        "DoorClosed",
        "FeedbackGiven",
        "ApplicationSubmitted",
        "ApplicationDelivered"
      ]
    ) {
      expect(types).toContain(t)
    }
    const filtered = await run(["events", "--db", db, "--type", "PickupCompleted"])
    expect(filtered.stdout.trim().split("\n").map((l) => JSON.parse(l).type)).toEqual(["PickupCompleted"])
    expect(stdout).not.toContain("+49151")
    const unknown = await run(["events", "--db", db, "--type", "Nope"])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr + unknown.stdout).toContain("unknown event type Nope")
    const verify = await run(["events", "--db", db, "--verify"])
    expect(verify.stdout).toContain("chain intact")
  }, 60_000)
})
