/**
 * The live dashboard in the terminal's HTTP app, in-process: /dashboard is a
 * page without figures that loads them with the staff token;
 * /dashboard/view.json and /dashboard/data.json answer only to a valid staff
 * bearer token (not without one, not after sign-out, not once it expired),
 * and their figures follow the log incrementally, equal to the report over
 * the whole log; requests at the same time fold the new events once.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import Database from "better-sqlite3"
import { Effect, Layer, Ref, TestClock, TestContext } from "effect"
import { createHash } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { summarise } from "../../analytics/summary.ts"
import { counter, pickupEvents } from "../../analytics/synthetic/build.ts"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { AuditKey, EventLog } from "../../core/persistence/EventLog.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { databaseLayer } from "../../kiosk/composition.ts"
import { makeLiveReport } from "../../kiosk/http/dashboard.ts"
import { inlineBlocks } from "../../kiosk/http/guards.ts"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { testTerminal } from "../support/terminal.ts"
import { seedTerminalDb } from "./support/db.ts"

const db = join(mkdtempSync(join(tmpdir(), "amtomat-dashboard-")), "terminal.db")
let web: ReturnType<typeof HttpApiBuilder.toWebHandler>

const get = (path: string, headers: Record<string, string> = {}) => web.handler(new Request(`http://localhost${path}`, { headers }))
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const login = async (): Promise<string> => {
  const r = await web.handler(
    new Request("http://localhost/api/staff/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "dash", password: "correct horse battery" })
    })
  )
  expect(r.status).toBe(200)
  return (await r.json()).token
}

/** The report over every event in the log, as the staff API lists them. */
const fullSummary = async (token: string) => {
  const events = await (await get("/api/staff/events?limit=10000", bearer(token))).json()
  return summarise(events, defaultAnalyticsConfig)
}

const dataPaths = ["/dashboard/data.json", "/dashboard/view.json"]
const figures = /pickupsTerminal|siteTotals|terminalShare|<canvas|<table|test \/ T1|dashboard: test/

const expectRefused = async (path: string, headers: Record<string, string> = {}) => {
  const r = await get(path, headers)
  expect(r.status, path).toBe(401)
  expect(r.headers.get("content-type"), path).toMatch(/application\/json/)
  const body = await r.json()
  expect(body, path).toEqual({ _tag: "Unauthorized", message: "not signed in or the session has expired" })
}

beforeAll(async () => {
  await seedTerminalDb(db, "test", [
    ...pickupEvents("2024-03-30T10:00:00Z", "test", 1, 1, "card-a"),
    ...pickupEvents("2024-04-02T19:00:00Z", "test", 2, 2, "card-b"),
    counter("2024-04-03T08:00:00Z", "test", 3)
  ])
  const staff = Layer.effectDiscard(Effect.flatMap(StaffAuth, (auth) => auth.create("dash", "Dashboard Clerk", "clerk", "correct horse battery")))
  web = HttpApiBuilder.toWebHandler(
    Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext, staff).pipe(Layer.provideMerge(testTerminal({ db })))
  )
}, 60_000)
afterAll(async () => {
  await web?.dispose()
})

describe("/dashboard without a sign-in", () => {
  it("is a page without figures: chart.js and a loader, allowed by hash, that fetches with the staff token or goes to /staff", async () => {
    const response = await get("/dashboard")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/text\/html/)
    const html = await response.text()
    expect(html).toMatch(/Chart\.js v4/)
    expect(html).not.toMatch(figures)
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i)
    expect(html).toContain(`sessionStorage.getItem("amtomat.staff.token")`)
    expect(html).toContain(`"Bearer " + token`)
    expect(html).toContain(`fetch("/dashboard/view.json"`)
    expect(html).toContain(`location.replace("/staff?next=%2Fdashboard")`)
    const csp = response.headers.get("content-security-policy") ?? ""
    expect(csp).not.toContain("unsafe-inline")
    expect(csp).toContain("connect-src 'self'")
    const scripts = inlineBlocks(html).scripts
    expect(scripts).toHaveLength(2)
    for (const s of scripts) expect(csp).toContain(`'sha256-${createHash("sha256").update(s).digest("base64")}'`)
  })

  it("is the same page for a signed-in browser: the figures come only from the endpoints below", async () => {
    const token = await login()
    expect(await (await get("/dashboard", bearer(token))).text()).toBe(await (await get("/dashboard")).text())
  })

  it("the data endpoints answer 401 (JSON, one sentence) without a token, with a wrong one or another scheme", async () => {
    for (const path of dataPaths) {
      await expectRefused(path)
      await expectRefused(path, { authorization: "Bearer nonsense" })
      await expectRefused(path, { authorization: "Bearer " })
      await expectRefused(path, { authorization: "Basic ZGFzaDpjb3JyZWN0IGhvcnNlIGJhdHRlcnk=" })
    }
  })

  it("and after signing out, and once the session has expired", async () => {
    const out = await login()
    expect((await get("/dashboard/data.json", bearer(out))).status).toBe(200)
    const logout = await web.handler(new Request("http://localhost/api/staff/logout", { method: "POST", headers: bearer(out) }))
    expect(logout.status).toBeLessThan(300)
    for (const path of dataPaths) await expectRefused(path, bearer(out))

    const expiring = await login()
    expect((await get("/dashboard/view.json", bearer(expiring))).status).toBe(200)
    const file = new Database(db)
    file.prepare("UPDATE staff_sessions SET expires_at = 0 RETURNING staff_id").all()
    file.close()
    for (const path of dataPaths) await expectRefused(path, bearer(expiring))
  })
})

describe("/dashboard signed in", () => {
  it("view.json: the report's sections and chart specs, the site in the title", async () => {
    const token = await login()
    const r = await get("/dashboard/view.json", bearer(token))
    expect(r.headers.get("cache-control")).toBe("no-store")
    const view = await r.json()
    expect(view.title).toBe("Amt-O-Mat dashboard: test")
    expect(view.subtitle).toContain("test / T1")
    // a terminal's words: the study for reference only; no replicates, no simulated means, no verdicts
    expect(view.body).toContain("The pilot study, for reference")
    expect(`${view.subtitle} ${view.body}`).not.toMatch(/replicate|simulated|accepted band|class="(pass|fail)"/i)
    expect(typeof view.seq).toBe("number")
    for (const id of ["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap"]) expect(view.body).toContain(`<canvas id="${id}"`)
    expect(view.body).not.toMatch(/<script/i)
    expect(view.specs.map((s: { id: string }) => s.id)).toEqual(["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap"])
  })

  it("data.json: the figures, and new events (another writer, even out of time order) show up on the next request, equal to the whole log's", async () => {
    const token = await login()
    const first = await (await get("/dashboard/data.json", bearer(token))).json()
    expect(first).toMatchObject({ format: "amtomat-report/1", source: { kind: "db", path: "test / T1" } })
    const totals = () => first.replicates[0].summary.siteTotals
    expect(totals()).toEqual([expect.objectContaining({ site: "test", pickupsTerminal: 2, pickupsCounter: 1, users: 2 })])
    expect(totals()[0].terminalShare).toBeCloseTo(2 / 3, 12)
    expect(first.replicates[0].summary).toEqual(await fullSummary(token))

    await seedTerminalDb(db, "test", [counter("2024-04-04T08:00:00Z", "test", 4)]) // older than the terminal's own start-up events
    const next = await (await get("/dashboard/data.json", bearer(token))).json()
    expect(next.replicates[0].summary.siteTotals[0]).toMatchObject({ pickupsCounter: 2, terminalShare: 0.5 })
    expect(next.replicates[0].summary).toEqual(await fullSummary(token))

    await seedTerminalDb(db, "test", [...pickupEvents("2030-01-02T10:00:00Z", "test", 9, 9, "card-a")]) // in order: folded in
    const later = await (await get("/dashboard/data.json", bearer(token))).json()
    expect(later.replicates[0].summary.siteTotals[0]).toMatchObject({ pickupsTerminal: 3, pickupsCounter: 2, repeatUsers: 1 })
    expect(later.replicates[0].summary).toEqual(await fullSummary(token))
  })

  it("view.json's seq moves only when the log grows, so the open page redraws only then", async () => {
    const token = await login()
    const a = await (await get("/dashboard/view.json", bearer(token))).json()
    const b = await (await get("/dashboard/view.json", bearer(token))).json()
    expect(b.seq).toBe(a.seq)
    // asked with the row it shows, an unchanged log is not rendered again
    const same = await (await get(`/dashboard/view.json?seq=${a.seq}`, bearer(token))).json()
    expect(same).toEqual({ seq: a.seq, unchanged: true })
    await seedTerminalDb(db, "test", [...pickupEvents("2030-01-03T10:00:00Z", "test", 10, 10, "card-b")])
    const c = await (await get("/dashboard/view.json", bearer(token))).json()
    expect(c.seq).toBeGreaterThan(a.seq)
    const grown = await (await get(`/dashboard/view.json?seq=${a.seq}`, bearer(token))).json()
    expect(grown.seq).toBe(c.seq)
    expect(grown.body).toContain("The pilot study, for reference")
  })
})

describe("the live report, two requests at once", () => {
  const file = join(mkdtempSync(join(tmpdir(), "amtomat-live-")), "terminal.db")
  const source = { kind: "db" as const, path: "test / T1", scenario: null }
  const logLayer = EventLog.Default.pipe(
    Layer.provide(
      Layer.mergeAll(databaseLayer(file), Layer.succeed(TerminalPolicy, { ...defaultPolicy, site: "test" }), Layer.succeed(AuditKey, new Uint8Array(32)))
    )
  )

  it("after new events, two parallel requests answer what one request answers, and the new events are folded once", async () => {
    await seedTerminalDb(file, "test", [...pickupEvents("2024-03-30T10:00:00Z", "test", 1, 1, "card-a")])
    const newEvents = [...pickupEvents("2024-04-02T19:00:00Z", "test", 2, 2, "card-b"), counter("2024-04-03T08:00:00Z", "test", 3)]
    const result = await Effect.gen(function*() {
      const log = yield* EventLog
      // the rows the log hands to the live report: each one handed out is folded into its summary
      const handedOut = yield* Ref.make(0)
      const counted = EventLog.make({ ...log, read: (filter) => Effect.tap(log.read(filter), (rows) => Ref.update(handedOut, (n) => n + rows.length)) })
      const live = yield* Effect.provideService(makeLiveReport(source), EventLog, counted)
      yield* live.report
      const first = yield* Ref.getAndSet(handedOut, 0)
      for (const r of newEvents) {
        yield* TestClock.setTime(Date.parse(r.at))
        yield* log.append(r.event)
      }
      const [a, b] = yield* Effect.all([live.report, live.report], { concurrency: "unbounded" })
      const folded = yield* Ref.get(handedOut)
      const one = yield* Effect.flatMap(makeLiveReport(source), (fresh) => fresh.report)
      const all = yield* log.read()
      return { first, folded, a, b, one, all }
    }).pipe(Effect.provide(Layer.merge(logLayer, TestContext.TestContext)), Effect.runPromise)
    expect(result.first).toBe(6)
    expect(result.folded).toBe(newEvents.length)
    expect(result.a).toStrictEqual(result.one)
    expect(result.b).toStrictEqual(result.one)
    expect(result.a.replicates[0]!.summary).toStrictEqual(summarise(result.all, defaultAnalyticsConfig))
    expect(result.a.replicates[0]!.summary.siteTotals[0]).toMatchObject({ pickupsTerminal: 2, pickupsCounter: 1, users: 2 })
  })
})
