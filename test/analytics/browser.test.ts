/**
 * The report pages in Debian's chromium, offline: no console errors, no
 * network request, and every chart canvas drawn — checked on the pixels of a
 * screenshot. Saves docs/screenshots/report.png for the README.
 *
 * Needs /usr/bin/chromium (`apt-get install chromium`); skipped without it.
 * Never downloads a browser.
 */
import { NodeContext } from "@effect/platform-node"
import { type Browser, chromium, type Page } from "@playwright/test"
import { Effect } from "effect"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { loadChartJs } from "../../analytics/html/chartjs.ts"
import { renderCompare } from "../../analytics/html/comparePage.ts"
import { renderReport } from "../../analytics/html/page.ts"
import { counter, pickupEvents } from "../../analytics/synthetic/build.ts"
import { statusQuo, writeFixtureRun } from "../../analytics/synthetic/fixture.ts"
import { compareReports } from "../../analytics/twoRuns.ts"
import { analyseDbFile, analyseRunDir } from "../../cli/report/read.ts"
import { writeReport } from "../../cli/report/write.ts"
import { root } from "../../kiosk/harness/process.ts"
import { CHROMIUM, chromiumArgs, hasChromium, SKIP_MESSAGE } from "../support/chromium.ts"
import { seedTerminalDb } from "./support/db.ts"
import { decodePng, inkIn } from "./support/png.ts"

const haveChromium = hasChromium
if (!haveChromium) console.warn(`browser checks of report.html skipped. ${SKIP_MESSAGE}`)

const dir = mkdtempSync(join(tmpdir(), "amtomat-browser-"))
const go = <A, E>(effect: Effect.Effect<A, E, NodeContext.NodeContext>) => Effect.runPromise(Effect.provide(effect, NodeContext.layer))
let browser: Browser

interface Visit {
  readonly page: Page
  readonly problems: ReadonlyArray<string>
  readonly requests: ReadonlyArray<string>
}

/** Opens a page with the network cut off, recording console errors, page errors and any request that is not the file itself. */
const visit = async (open: (page: Page) => Promise<unknown>): Promise<Visit> => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 })
  const page = await context.newPage()
  const problems: Array<string> = []
  const requests: Array<string> = []
  page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`))
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`))
  await context.route("**/*", (route) => {
    const url = route.request().url()
    if (url.startsWith("file:") || url.startsWith("data:") || url === "about:blank") return route.continue()
    requests.push(url)
    return route.abort()
  })
  await open(page)
  await page.waitForSelector("body[data-charts-ready]", { timeout: 15_000 })
  return { page, problems, requests }
}

/** Every canvas on the page, with the ink found inside it on a full-page screenshot. */
const canvasInk = async (page: Page) => {
  const png = decodePng(await page.screenshot({ fullPage: true }))
  const boxes = await page.$$eval("canvas", (cs) =>
    cs.map((c) => {
      const r = c.getBoundingClientRect()
      return { id: c.id, x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height }
    }))
  return boxes.map((b) => ({ id: b.id, ...inkIn(png, b) }))
}

const expectAllDrawn = (inks: Awaited<ReturnType<typeof canvasInk>>, ids: ReadonlyArray<string>) => {
  expect(inks.map((i) => i.id)).toEqual(ids)
  for (const ink of inks) {
    expect(ink.total, `${ink.id} has no size`).toBeGreaterThan(10_000)
    expect(ink.drawn / ink.total, `${ink.id}: axes, labels and data drawn`).toBeGreaterThan(0.02)
    expect(ink.coloured, `${ink.id}: coloured data drawn`).toBeGreaterThan(200)
  }
}

describe.skipIf(!haveChromium)("report pages in chromium (apt-get install chromium if skipped)", () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
  })

  it("report.html of a scenario run: no console errors, offline, every chart drawn", async () => {
    const run = join(dir, "run")
    writeFixtureRun(run)
    const report = await go(analyseRunDir(run, defaultAnalyticsConfig))
    await go(writeReport(join(run, "report"), report))
    const { page, problems, requests } = await visit((p) => p.goto(`file://${join(run, "report", "report.html")}`))
    expect(problems).toEqual([])
    expect(requests).toEqual([])
    expectAllDrawn(await canvasInk(page), ["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap", "chart-intention", "chart-tornado-1"])
    const bottom = await page.$eval("#comparison", (e) => e.getBoundingClientRect().bottom + window.scrollY)
    mkdirSync(join(root, "docs", "screenshots"), { recursive: true })
    writeFileSync(
      join(root, "docs", "screenshots", "report.png"),
      await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: 1400, height: Math.ceil(bottom) + 16 } })
    )
  }, 60_000)

  it("a terminal database's page (what /dashboard serves): one site, no survey, every chart drawn", async () => {
    const db = join(dir, "terminal.db")
    await seedTerminalDb(db, "Mayen", [
      ...pickupEvents("2024-03-30T10:00:00Z", "Mayen", 1, 1, "card-a"),
      ...pickupEvents("2024-04-02T19:00:00Z", "Mayen", 2, 2, "card-a"),
      counter("2024-04-03T08:00:00Z", "Mayen", 3)
    ])
    const report = await go(analyseDbFile(db, defaultAnalyticsConfig))
    const html = renderReport(report, { chartJs: await go(loadChartJs), title: "dashboard", refreshSeconds: 600 })
    const { page, problems, requests } = await visit((p) => p.setContent(html))
    expect(problems).toEqual([])
    expect(requests).toEqual([])
    expectAllDrawn(await canvasInk(page), ["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap"])
  }, 60_000)

  it("the comparison of two runs: every chart drawn", async () => {
    const [a, b] = [join(dir, "a"), join(dir, "b")]
    writeFixtureRun(a, { ...statusQuo, replicates: 1, sensitivity: false })
    writeFixtureRun(b, { ...statusQuo, replicates: 1, sensitivity: false, sites: statusQuo.sites.map((s) => ({ ...s, terminalChoice: 0.3 })) })
    const [ra, rb] = [await go(analyseRunDir(a, defaultAnalyticsConfig)), await go(analyseRunDir(b, defaultAnalyticsConfig))]
    const html = renderCompare(compareReports(ra, rb, { a: "status quo", b: "staff everywhere" }, "now"), { chartJs: await go(loadChartJs) })
    const { page, problems } = await visit((p) => p.setContent(html))
    expect(problems).toEqual([])
    expectAllDrawn(await canvasInk(page), ["chart-share", "chart-adoption", "chart-intention"])
    expect(readFileSync(join(root, "docs", "screenshots", "report.png")).length).toBeGreaterThan(10_000)
  }, 60_000)
})
