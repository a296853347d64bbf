/**
 * The live dashboard in the terminal's HTTP app: /dashboard and
 * /dashboard/data.json from the terminal's own database, in-process.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { testTerminal } from "../support/terminal.ts"
import { counter, pickupEvents } from "./support/build.ts"
import { seedTerminalDb } from "./support/db.ts"

const db = join(mkdtempSync(join(tmpdir(), "amtomat-dashboard-")), "terminal.db")
let web: ReturnType<typeof HttpApiBuilder.toWebHandler>

const get = (path: string) => web.handler(new Request(`http://localhost${path}`))

beforeAll(async () => {
  await seedTerminalDb(db, "test", [
    ...pickupEvents("2024-03-30T10:00:00Z", "test", 1, 1, "card-a"),
    ...pickupEvents("2024-04-02T19:00:00Z", "test", 2, 2, "card-b"),
    counter("2024-04-03T08:00:00Z", "test", 3)
  ])
  web = HttpApiBuilder.toWebHandler(Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext).pipe(Layer.provideMerge(testTerminal({ db }))))
}, 60_000)
afterAll(async () => {
  await web?.dispose()
})

describe("/dashboard", () => {
  it("serves the report page with chart.js inlined and nothing to fetch", async () => {
    const response = await get("/dashboard")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/text\/html/)
    const html = await response.text()
    expect(html).toContain("Amt-O-Mat dashboard: test")
    expect(html).toMatch(/Chart\.js v4/)
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i)
    for (const id of ["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap"]) expect(html).toContain(`<canvas id="${id}"`)
    expect(html).toContain(`<a href="/dashboard/data.json">`)
  })

  it("answers the same figures as JSON, and new events show up on the next request", async () => {
    const first = await (await get("/dashboard/data.json")).json()
    expect(first).toMatchObject({ format: "amtomat-report/1", source: { kind: "db", path: "test / T1" } })
    const totals = () => first.replicates[0].summary.siteTotals
    expect(totals()).toEqual([expect.objectContaining({ site: "test", pickupsTerminal: 2, pickupsCounter: 1, users: 2 })])
    expect(totals()[0].terminalShare).toBeCloseTo(2 / 3, 12)
    await seedTerminalDb(db, "test", [counter("2024-04-04T08:00:00Z", "test", 4)]) // another writer on the same file
    const next = await (await get("/dashboard/data.json")).json()
    expect(next.replicates[0].summary.siteTotals[0]).toMatchObject({ pickupsCounter: 2, terminalShare: 0.5 })
  })
})
