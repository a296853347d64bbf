/**
 * The dashboard page in Debian's chromium, served by the in-process HTTP app
 * (every request answered by the web handler, nothing else reachable): without
 * a token it goes to /staff?next=/dashboard; with the back office's token in
 * sessionStorage it draws every chart, under the page's own content policy.
 *
 * Needs /usr/bin/chromium; skipped without it. Never downloads a browser.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { type Browser, chromium } from "@playwright/test"
import { Effect, Layer } from "effect"
import { existsSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { counter, pickupEvents } from "../../analytics/synthetic/build.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { testTerminal } from "../support/terminal.ts"
import { seedTerminalDb } from "./support/db.ts"

const CHROMIUM = "/usr/bin/chromium"
const haveChromium = existsSync(CHROMIUM)
const db = join(mkdtempSync(join(tmpdir(), "amtomat-dashboard-browser-")), "terminal.db")
let web: ReturnType<typeof HttpApiBuilder.toWebHandler>
let browser: Browser

beforeAll(async () => {
  if (!haveChromium) return
  await seedTerminalDb(db, "test", [
    ...pickupEvents("2024-03-30T10:00:00Z", "test", 1, 1, "card-a"),
    counter("2024-04-03T08:00:00Z", "test", 3)
  ])
  const staff = Layer.effectDiscard(Effect.flatMap(StaffAuth, (auth) => auth.create("dash", "Dashboard Clerk", "clerk", "correct horse battery")))
  web = HttpApiBuilder.toWebHandler(Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext, staff).pipe(Layer.provideMerge(testTerminal({ db }))))
  browser = await chromium.launch({ executablePath: CHROMIUM })
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await web?.dispose()
})

const headersOf = (response: Response) => {
  const out: Record<string, string> = {}
  response.headers.forEach((value, name) => (out[name] = value))
  return out
}

const open = async (token: string | null, options: { readonly clock?: boolean } = {}) => {
  const context = await browser.newContext()
  const problems: Array<string> = []
  const seen: Array<string> = []
  await context.route("**/*", async (route) => {
    const request = route.request()
    const url = new URL(request.url())
    seen.push(url.pathname + url.search)
    if (url.origin !== "http://terminal.test") return route.abort()
    if (url.pathname === "/staff") return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>staff</title>" })
    const response = await web.handler(new Request(url, { method: request.method(), headers: await request.allHeaders() }))
    return route.fulfill({ status: response.status, headers: headersOf(response), body: Buffer.from(await response.arrayBuffer()) })
  })
  const page = await context.newPage()
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()))
  page.on("pageerror", (e) => problems.push(e.message))
  // as the back office leaves it, once (an init script runs again on every navigation)
  if (token !== null) {
    await page.addInitScript((t) => {
      if (sessionStorage.getItem("seeded") !== null) return
      sessionStorage.setItem("seeded", "1")
      sessionStorage.setItem("amtomat.staff.token", t)
    }, token)
  }
  // the page's own timers on Playwright's clock: its polling is moved on without waiting for real
  if (options.clock === true) await page.clock.install()
  await page.goto("http://terminal.test/dashboard")
  return { page, problems, seen, close: () => context.close() }
}

/** The back office's sign-in, as the page would have found its token. */
const signIn = async (): Promise<string> => {
  const login = await web.handler(
    new Request("http://terminal.test/api/staff/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "dash", password: "correct horse battery" })
    })
  )
  return ((await login.json()) as { token: string }).token
}

describe.skipIf(!haveChromium)("the dashboard page in chromium", () => {
  it("without a token: straight to the back office's sign-in, and nothing fetched", async () => {
    const visit = await open(null)
    await visit.page.waitForURL("**/staff?next=%2Fdashboard")
    expect(visit.seen.filter((p) => p.startsWith("/dashboard/"))).toEqual([])
    expect(visit.problems).toEqual([])
    await visit.close()
  })

  it("with the staff token: every chart drawn and the tables shown, no policy violation", async () => {
    const token = await signIn()
    const visit = await open(token)
    await visit.page.waitForSelector("body[data-charts-ready]", { timeout: 15_000 })
    expect(await visit.page.getAttribute("body", "data-charts-ready")).toBe("4")
    expect(await visit.page.textContent("#title")).toBe("Amt-O-Mat dashboard: test")
    expect(await visit.page.locator("#sites table").count()).toBe(1)
    expect(visit.problems).toEqual([])
    await visit.close()
  })

  it("open, it follows the log: new events appear without a reload, an unchanged log is not drawn again", async () => {
    const token = await signIn()
    const visit = await open(token, { clock: true })
    await visit.page.waitForSelector("body[data-charts-ready]", { timeout: 15_000 })
    const before = await visit.page.textContent("#sites table")
    await visit.page.evaluate(() => document.getElementById("sites")!.setAttribute("data-mark", "first"))
    // ten seconds on and nothing new: the same tables, not drawn again
    await visit.page.clock.runFor(11_000)
    await visit.page.waitForFunction(() => /Checked/.test(document.getElementById("updated")?.textContent ?? ""))
    expect(await visit.page.getAttribute("#sites", "data-mark")).toBe("first")
    await seedTerminalDb(db, "test", [...pickupEvents("2024-04-05T10:00:00Z", "test", 7, 7, "card-z")])
    await visit.page.clock.runFor(11_000)
    await visit.page.waitForFunction(() => document.getElementById("sites")?.getAttribute("data-mark") === null, undefined, { timeout: 15_000 })
    expect(await visit.page.textContent("#sites table")).not.toBe(before)
    expect(visit.seen.filter((p) => p === "/dashboard")).toHaveLength(1)
    expect(visit.problems).toEqual([])
    await visit.close()
  })

  it("with a token that is no longer valid: to the sign-in, the token dropped", async () => {
    const visit = await open("expired-or-signed-out")
    await visit.page.waitForURL("**/staff?next=%2Fdashboard")
    expect(visit.seen).toContain("/dashboard/view.json")
    expect(await visit.page.evaluate(() => sessionStorage.getItem("amtomat.staff.token"))).toBeNull()
    await visit.close()
  })
})
