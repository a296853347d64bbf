/**
 * Who can reach what (issue 11): the terminal was open to the network — any
 * host could open the citizen's card session before the kiosk screen did and,
 * with twin devices, read the SMS codes. Each case below is made from another
 * host (a network namespace, see ../support/otherHost.ts) against a real
 * `amtomat serve`; the same request from the terminal's own machine shows the
 * refusal comes from the rule, not from a broken request.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { get as httpGet } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, freePort, root } from "../../kiosk/harness/process.ts"
import { isLoopback, parseListen } from "../../kiosk/http/access.ts"
import { makeOtherHost, type OtherHost } from "../support/otherHost.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-network-"))
const other = makeOtherHost()
const J = { "content-type": "application/json" }

interface Running {
  readonly child: ChildProcess
  readonly port: number
  readonly output: () => string
}

const running: Array<Running> = []

/**
 * A GET from this machine on a fresh connection. fetch would reuse a pooled
 * keep-alive socket, and one the server closes after its idle timeout at the
 * moment it is reused fails the request ("other side closed") — a race of
 * the test's client under load, not a refusal by the terminal.
 */
const get = (url: string) =>
  new Promise<number>((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on("error", reject)
  })

/** `amtomat serve` with exactly these arguments; resolves when /health answers on loopback. */
const start = async (name: string, args: ReadonlyArray<string>): Promise<Running> => {
  const port = await freePort()
  const child = spawn(process.execPath, [bin, "serve", "--demo", "--db", join(dir, name, "terminal.db"), "--port", String(port), ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  const served = { child, port, output: () => output }
  running.push(served)
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`amtomat serve exited: ${output}`)
    try {
      if ((await get(`http://127.0.0.1:${port}/health`)) < 500) return served
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`amtomat serve did not answer: ${output}`)
}

afterAll(async () => {
  for (const r of running) {
    if (r.child.exitCode === null) {
      await new Promise<void>((resolve) => {
        r.child.once("exit", () => resolve())
        r.child.kill("SIGTERM")
      })
    }
  }
  if (typeof other !== "string") other.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("addresses", () => {
  it("loopback is 127/8, ::1 and IPv4-mapped 127/8, nothing else", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(a), a).toBe(true)
    for (const a of ["10.0.0.1", "192.0.2.2", "::ffff:10.0.0.1", "128.0.0.1", "::", "0.0.0.0", "fe80::1", "127.0.0.1.evil", "1127.0.0.1"]) {
      expect(isLoopback(a), a).toBe(false)
    }
  })

  it("--staff-listen takes HOST:PORT or [v6]:PORT and says in one sentence what is wrong otherwise", () => {
    expect(parseListen("192.168.10.5:8443")).toEqual({ host: "192.168.10.5", port: 8443 })
    expect(parseListen("[::1]:8443")).toEqual({ host: "::1", port: 8443 })
    expect(parseListen("8443")).toMatch(/^--staff-listen must be HOST:PORT/)
    expect(parseListen("host:99999")).toMatch(/port must be between 1 and 65535/)
  })
})

describe.skipIf(typeof other === "string")("from another host", () => {
  const host = other as OtherHost
  let loopbackOnly: Running
  let open: Running
  let staffPort: number
  let twinOpen: Running

  beforeAll(async () => {
    staffPort = await freePort()
    ;[loopbackOnly, open, twinOpen] = await Promise.all([
      start("default", []),
      start("open", ["--host", "0.0.0.0", "--staff-listen", `${host.address}:${staffPort}`]),
      start("twin", ["--host", "0.0.0.0", "--twin-from-network"])
    ])
  }, 60_000)

  it("by default the terminal listens on loopback only: another host cannot connect at all", () => {
    expect(host.request(`http://${host.address}:${loopbackOnly.port}/health`).status).toBe(0)
    expect(host.request(`http://${host.address}:${loopbackOnly.port}/api/kiosk/session`, { method: "POST" }).status).toBe(0)
  })

  it("open to the network, the kiosk API still refuses another host: no card session, no resume, no status", async () => {
    const base = `http://${host.address}:${open.port}`
    // the listener is reachable: the start page and the staff sign-in answer the other host
    expect(host.request(`${base}/health`).status).toBe(200)
    const login = host.request(`${base}/api/staff/login`, { method: "POST", headers: J, body: JSON.stringify({ username: "demo", password: "amtomat-demo" }) })
    expect(login.status).toBe(200)
    for (
      const [method, path] of [["POST", "/api/kiosk/session"], ["POST", "/api/kiosk/resume"], ["GET", "/api/kiosk/status"], [
        "GET",
        "/api/kiosk/services"
      ]] as const
    ) {
      const r = host.request(`${base}${path}`, { method })
      expect(r.status, path).toBe(403)
      expect(JSON.parse(r.body)).toMatchObject({ _tag: "Forbidden", message: expect.stringContaining("the kiosk API answers only the kiosk screen") })
      // a refusal carries the same security headers as every other answer (guards.ts), and is never cached
      expect(r.headers, path).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "cache-control": "no-store" })
    }
    // the kiosk screen on this machine is not affected
    expect(await get(`http://127.0.0.1:${open.port}/api/kiosk/status`)).toBe(200)
  })

  it("a kiosk screen on another machine gets in with the kiosk key, and only with the right one", () => {
    const base = `http://${host.address}:${open.port}`
    const key = readFileSync(join(dir, "open", "kiosk.key"), "utf8").trim()
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(host.request(`${base}/api/kiosk/status`, { headers: { "x-kiosk-key": key } }).status).toBe(200)
    expect(host.request(`${base}/api/kiosk/status`, { headers: { "x-kiosk-key": key.slice(0, -1) + (key.endsWith("A") ? "B" : "A") } }).status).toBe(403)
    expect(host.request(`${base}/api/kiosk/status`, { headers: { "x-kiosk-key": "" } }).status).toBe(403)
    // the key travels as a header, not as a query parameter an attacker could put in a link
    expect(host.request(`${base}/api/kiosk/status?key=${key}`).status).toBe(403)
  })

  it("the twin controls (SMS inbox, doors) answer only this machine unless --twin-from-network", async () => {
    const base = `http://${host.address}:${open.port}`
    for (const path of ["/api/twin/sms?to=%2B4915100000001", "/api/twin/state", "/twin"]) {
      expect(host.request(`${base}${path}`).status, path).toBe(403)
    }
    expect(host.request(`${base}/api/twin/slots/1/close`, { method: "POST" }).status).toBe(403)
    expect(await get(`http://127.0.0.1:${open.port}/api/twin/sms?to=%2B4915100000001`)).toBe(200)
    // asked for: the twin panel of another machine may use them
    expect(host.request(`http://${host.address}:${twinOpen.port}/api/twin/sms?to=%2B4915100000001`).status).toBe(200)
    // but the kiosk API is still the kiosk screen's
    expect(host.request(`http://${host.address}:${twinOpen.port}/api/kiosk/session`, { method: "POST" }).status).toBe(403)
  })

  it("the staff listener serves the back office and nothing a citizen session or a twin can do", async () => {
    const base = `http://${host.address}:${staffPort}`
    const login = host.request(`${base}/api/staff/login`, { method: "POST", headers: J, body: JSON.stringify({ username: "demo", password: "amtomat-demo" }) })
    expect(login.status).toBe(200)
    const { token } = JSON.parse(login.body) as { token: string }
    expect(host.request(`${base}/api/staff/orders`, { headers: { authorization: `Bearer ${token}` } }).status).toBe(200)
    expect(host.request(`${base}/health`).status).toBe(200)
    for (const path of ["/api/kiosk/status", "/api/twin/state", "/twin", "/docs", "/openapi.json"]) {
      const r = host.request(`${base}${path}`)
      expect(r.status, path).toBe(404)
      expect(JSON.parse(r.body).message).toContain("only the staff back office")
    }
    expect(host.request(`${base}/api/kiosk/session`, { method: "POST" }).status).toBe(404)
    const startPage = host.request(`${base}/`)
    expect(startPage.status).toBe(303)
    expect(startPage.headers).toMatchObject({ location: "/staff", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" })
    // the staff listener is bound to the address it was given, not to every address of the machine
    await expect(fetch(`http://127.0.0.1:${staffPort}/health`)).rejects.toThrow()
  })

  it("says on start-up what is open to the network", () => {
    expect(open.output()).toContain("the terminal listener is open to the network on 0.0.0.0")
    expect(open.output()).toContain(`staff back office on http://${host.address}:${staffPort}/staff`)
    expect(loopbackOnly.output()).not.toContain("open to the network")
  })
})
