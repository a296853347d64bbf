/**
 * What the screens need from the server: the built pages and assets at /,
 * /staff and /twin, the live streams for the back office and the twin panel,
 * the kiosk's keep-alive and code length, and `serve --policy`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { run, serve, type Served } from "../../kiosk/harness/process.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-screens-"))
const dist = join(dir, "dist")
let server: Served

beforeAll(async () => {
  // A stand-in build: no index.html (so / falls back to the start page), a staff and a twin page, one asset.
  mkdirSync(join(dist, "assets"), { recursive: true })
  writeFileSync(join(dist, "staff.html"), "<!doctype html><title>staff</title>")
  writeFileSync(join(dist, "twin.html"), "<!doctype html><title>twin</title>")
  writeFileSync(join(dist, "assets", "app-1a2b3c.js"), "console.log(1)")
  process.env["AMTOMAT_UI_DIST"] = dist
  server = await serve(["--db", join(dir, "t.db"), "--demo"])
  delete process.env["AMTOMAT_UI_DIST"]
}, 60_000)
afterAll(async () => {
  await server?.stop()
})

const json = async (method: string, path: string, body?: unknown, token?: string) => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token) headers["authorization"] = `Bearer ${token}`
  const r = await fetch(`${server.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  const text = await r.text()
  return { status: r.status, body: text ? JSON.parse(text) : undefined }
}
const login = async () => (await json("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })).body.token as string

/** Reads a server-sent-event stream until `done` holds for the frames seen so far. */
const readStream = async (
  path: string,
  token: string | undefined,
  act: () => Promise<unknown>,
  done: (frames: ReadonlyArray<{ event: string; data: any }>) => boolean
) => {
  const abort = new AbortController()
  const response = await fetch(`${server.base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal })
  expect(response.headers.get("content-type")).toContain("text/event-stream")
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const frames: Array<{ event: string; data: any }> = []
  let buffer = ""
  let acted = false
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const { value, done: ended } = await reader.read()
    if (ended) break
    buffer += value
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.+)$/m.exec(block)?.[1]
      const data = /^data: (.+)$/m.exec(block)?.[1]
      if (event && data) frames.push({ event, data: JSON.parse(data) })
    }
    if (!acted && frames.length > 0) {
      acted = true
      await act()
    }
    if (acted && done(frames)) break
  }
  abort.abort()
  return frames
}

describe("the screens on amtomat serve", () => {
  it("serves the built pages with a strict content policy, the hashed assets for good, and nothing else", async () => {
    const staff = await fetch(`${server.base}/staff`)
    expect(staff.status).toBe(200)
    expect(staff.headers.get("content-type")).toContain("text/html")
    expect(staff.headers.get("content-security-policy")).toContain("default-src 'self'")
    expect(await staff.text()).toContain("<title>staff</title>")
    expect((await fetch(`${server.base}/twin`)).status).toBe(200)
    const asset = await fetch(`${server.base}/assets/app-1a2b3c.js`)
    expect(asset.headers.get("content-type")).toContain("text/javascript")
    expect(asset.headers.get("cache-control")).toContain("immutable")
    expect((await fetch(`${server.base}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.base}/assets/..%2Fstaff.html`)).status).toBe(404)
    // No kiosk page in this build: / is the start page.
    expect(await (await fetch(`${server.base}/`)).text()).toContain("amtomat terminal")
  })

  it("the staff stream needs a valid token, sends a snapshot, then every event and fresh sensor states", async () => {
    expect((await fetch(`${server.base}/api/staff/stream`)).status).toBe(401)
    expect((await fetch(`${server.base}/api/staff/stream`, { headers: { authorization: "Bearer nonsense" } })).status).toBe(401)
    const token = await login()
    const frames = await readStream(
      "/api/staff/stream",
      token,
      () => json("POST", "/api/staff/compartments/9/override-open", { reason: "stream test opening" }, token),
      (fs) => fs.some((f) => f.event === "snapshot" && f.data.compartments.find((c: any) => c.id === 9)?.door === "open")
    )
    const first = frames.find((f) => f.event === "snapshot")!.data
    expect(first.compartments).toHaveLength(12)
    expect(first.lastSeq).toBeGreaterThan(0)
    expect(Array.isArray(first.alarms)).toBe(true)
    expect(frames.some((f) => f.event === "event" && f.data.event._tag === "OverrideOpened" && f.data.event.compartmentId === 9)).toBe(true)
    expect(frames.at(-1)!.data.compartments.find((c: any) => c.id === 9).door).toBe("open")
    await json("POST", "/api/twin/slots/9/close")
  }, 30_000)

  it("the twin stream sends the twin's state and inbox after every change", async () => {
    const token = await login()
    const frames = await readStream(
      "/api/twin/stream",
      undefined,
      () => json("POST", "/api/staff/compartments/10/override-open", { reason: "twin stream test" }, token),
      (fs) => fs.some((f) => f.data.state.locks.find((l: any) => l.slot === 10)?.doorOpen === true)
    )
    expect(frames[0]!.event).toBe("state")
    expect(frames[0]!.data.state.locks.find((l: any) => l.slot === "intake")).toBeDefined()
    expect(frames[0]!.data.inbox.length).toBeGreaterThanOrEqual(3)
    expect(frames.at(-1)!.data.state.locks.find((l: any) => l.slot === 10).doorOpen).toBe(true)
    await json("POST", "/api/twin/slots/10/close")
  }, 30_000)

  it("the kiosk keeps a session alive and learns how many digits the code has", async () => {
    expect(await json("POST", "/api/kiosk/session/keep-alive", { sessionId: "ses_000000000000" })).toMatchObject({
      status: 422,
      body: { reason: "SessionExpired" }
    })
    await json("POST", "/api/twin/card/insert", { label: "screens-test" })
    const { sessionId } = (await json("POST", "/api/kiosk/session")).body
    expect((await json("POST", "/api/kiosk/session/keep-alive", { sessionId })).status).toBe(204)
    const orders = (await json("GET", "/api/staff/orders?status=loaded", undefined, await login())).body
    const identified = await json("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: orders[0].pickupNumber })
    expect(identified.body).toMatchObject({ codeDigits: 6 })
    await json("POST", "/api/kiosk/pickup/cancel", { sessionId })
  })

  it("serve --policy: a valid file changes the policy, a typo or a value out of range stops the start with its name", async () => {
    const bad = join(dir, "bad-policy.json")
    writeFileSync(bad, JSON.stringify({ doorOpenAlarmSecond: 30, codeDigits: 4 }))
    const refused = await run(["serve", "--port", "1", "--db", join(dir, "p.db"), "--policy", bad])
    expect(refused.code).not.toBe(0)
    expect(refused.stdout + refused.stderr).toContain("doorOpenAlarmSecond: is unexpected")
    expect(refused.stdout + refused.stderr).toContain("codeDigits: Expected a number between 6 and 10, actual 4")
    const good = join(dir, "policy.json")
    writeFileSync(good, JSON.stringify({ codeDigits: 8 }))
    const served = await serve(["--db", join(dir, "p.db"), "--demo", "--policy", good])
    try {
      const token = (await (await fetch(`${served.base}/api/staff/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "demo", password: "amtomat-demo" })
      })).json()).token
      const orders = await (await fetch(`${served.base}/api/staff/orders?status=loaded`, { headers: { authorization: `Bearer ${token}` } })).json()
      await fetch(`${served.base}/api/twin/card/insert`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ label: "policy" })
      })
      const { sessionId } = await (await fetch(`${served.base}/api/kiosk/session`, { method: "POST" })).json()
      const identified = await (await fetch(`${served.base}/api/kiosk/pickup/identify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sessionId, pickupNumber: orders[0].pickupNumber })
      })).json()
      expect(identified.codeDigits).toBe(8)
    } finally {
      await served.stop()
    }
  }, 60_000)
})
