/**
 * `amtomat report` on a small scenario run (the deterministic fixture in the
 * documented run format), on two runs with --compare and on a terminal's own
 * database; the figures checked against counts taken straight from the
 * generated logs.
 */
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import type { EventRecord } from "../../analytics/records.ts"
import type { Report } from "../../analytics/run.ts"
import { counter, pickupEvents } from "../../analytics/synthetic/build.ts"
import { statusQuo, writeFixtureRun } from "../../analytics/synthetic/fixture.ts"
import { compareReports } from "../../analytics/twoRuns.ts"
import { report as reportCommand } from "../../cli/report.ts"
import { analyseDbFile, analyseRunDir } from "../../cli/report/read.ts"
import { writeComparison, writeReport } from "../../cli/report/write.ts"
import { run } from "../../kiosk/harness/process.ts"
import { seedTerminalDb } from "./support/db.ts"

const root = mkdtempSync(join(tmpdir(), "amtomat-report-"))
const runA = join(root, "status-quo")
const runB = join(root, "staff-everywhere")
const runP = join(root, "posters-only")
const db = join(root, "terminal.db")
let logs: ReadonlyArray<ReadonlyArray<EventRecord>> = []
let report: Report

const go = <A, E>(effect: Effect.Effect<A, E, NodeContext.NodeContext>) => Effect.runPromise(Effect.provide(effect, NodeContext.layer))
const count = (log: ReadonlyArray<EventRecord>, tag: string, site?: string) =>
  log.filter((r) => r.event._tag === tag && (site === undefined || r.site === site)).length

beforeAll(async () => {
  logs = writeFixtureRun(runA)
  writeFixtureRun(runB, {
    ...statusQuo,
    scenario: "fixture-staff-everywhere",
    sensitivity: false,
    sites: statusQuo.sites.map((s) => ({ ...s, terminalChoice: 0.3, staffRecommend: 0.8 }))
  })
  writeFixtureRun(runP, {
    ...statusQuo,
    scenario: "fixture-posters-only",
    sensitivity: false,
    sites: statusQuo.sites.map((s) => ({ ...s, terminalChoice: 0.01, staffRecommend: 0 }))
  })
  report = await go(analyseRunDir(runA, defaultAnalyticsConfig))
  await seedTerminalDb(db, "Mayen", [
    ...pickupEvents("2024-03-30T10:00:00Z", "Mayen", 1, 1, "card-a"),
    ...pickupEvents("2024-04-02T19:00:00Z", "Mayen", 2, 2, "card-a"),
    counter("2024-04-03T08:00:00Z", "Mayen", 3)
  ])
}, 60_000)

describe("report from a scenario run", () => {
  it("reads every replicate and counts what the logs hold", () => {
    expect(report.replicates.map((r) => r.replicate)).toEqual([1, 2])
    expect(report.sites).toEqual(["Mayen", "Mendig", "Vallendar"])
    expect(report.source).toEqual({ kind: "run", path: runA, scenario: "fixture-status-quo" })
    expect(report.warnings).toEqual([])
    expect(Object.keys(report.config.siteQueues)).toEqual(["Mayen"]) // the manifest gives Mayen's counter only
    expect(report.replicates[0]!.summary.queue.map((q) => q.servers)).toEqual([3, 2, 2])
    report.replicates.forEach((r, k) => {
      for (const site of report.sites) {
        const totals = r.summary.siteTotals.find((s) => s.site === site)!
        expect(totals.pickupsTerminal).toBe(count(logs[k]!, "PickupCompleted", site))
        expect(totals.pickupsCounter).toBe(count(logs[k]!, "CounterHandover", site))
        expect(totals.applications).toBe(count(logs[k]!, "ApplicationSubmitted", site))
      }
    })
  })

  it("fills the comparison table with means across replicates", () => {
    const share = (log: ReadonlyArray<EventRecord>, site: string) =>
      count(log, "PickupCompleted", site) / (count(log, "PickupCompleted", site) + count(log, "CounterHandover", site))
    const best = logs.map((log) => Math.max(...report.sites.map((s) => share(log, s))))
    const row = (id: string) => report.comparison.find((r) => r.id === id)!
    expect(row("P1-best").observed.mean).toBeCloseTo((best[0]! + best[1]!) / 2, 12)
    expect(row("P1-best").observed.n).toBe(2)
    expect(row("P1-best").pass).toBe(true)
    expect(row("P1-worst").pass).toBe(true)
    expect(row("P2")).toMatchObject({ source: "survey" })
    expect(row("P7")).toMatchObject({ source: "summary.json", observed: { mean: 0.82 }, reported: { mean: 0.82, pass: true } })
    expect(row("P1-best")).toMatchObject({ source: "events", reported: { mean: 0.29, low: 0.27, high: 0.31, pass: true } })
    expect(row("P1-worst").reported).toMatchObject({ mean: 0.01, pass: true })
    expect(row("P2").reported).toBeNull()
    expect(row("P8").pass).toBeNull()
    expect(report.sensitivity[0]!.parameters.map((p) => p.name)).toEqual(["staffRecommendProbability", "perceivedValue", "peerWeight", "networkDegree"])
  })

  it("writes report.json, the CSV tables and a standalone report.html", async () => {
    const out = join(root, "out-a")
    const files = await go(writeReport(out, report))
    expect(files).toEqual(
      expect.arrayContaining(["report.json", "report.html", "site_month.csv", "hour_of_week.csv", "comparison.csv", "survey.csv", "sensitivity.csv"])
    )
    const json = JSON.parse(readFileSync(join(out, "report.json"), "utf8"))
    expect(json.format).toBe("amtomat-report/1")
    const siteMonth = readFileSync(join(out, "site_month.csv"), "utf8").trim().split("\n")
    expect(siteMonth.length).toBe(1 + 2 * 3 * report.months.length)
    const html = readFileSync(join(out, "report.html"), "utf8")
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i)
    for (const id of ["chart-adoption", "chart-share", "chart-cumulative", "chart-heatmap", "chart-intention", "chart-tornado-1"]) {
      expect(html).toContain(`<canvas id="${id}"`)
    }
  })

  it("compares two runs side by side: staff everywhere lifts the worst site, P8 from the pair", async () => {
    const [p, b] = [await go(analyseRunDir(runP, defaultAnalyticsConfig)), await go(analyseRunDir(runB, defaultAnalyticsConfig))]
    const c = compareReports(report, b, { a: "status quo", b: "staff everywhere" }, "now")
    const mendig = c.siteDelta.find((d) => d.site === "Mendig")!
    expect(mendig.shareA!).toBeLessThan(0.02)
    expect(mendig.shareB!).toBeGreaterThan(0.2)
    expect(c.rows.map((r) => r.a.id)).toEqual(c.rows.map((r) => r.b.id))
    expect(c.p8.pass).toBe(false) // the status quo is no "posters only" run: its share is not far below
    const posters = compareReports(p, b, { a: "posters only", b: "staff everywhere" }, "now")
    expect(posters.p8.observed.n).toBe(2)
    expect(posters.p8.observed.mean!).toBeLessThan(0.1)
    expect(posters.p8.pass).toBe(true)
    const files = await go(writeComparison(join(root, "out-compare"), c))
    expect(files).toEqual(["report.json", "comparison.csv", "site_delta.csv", "report.html"])
  })
})

describe("report from a terminal's database", () => {
  it("reads the event log read-only and counts the same way", async () => {
    const r = await go(analyseDbFile(db, defaultAnalyticsConfig))
    expect(r.source.kind).toBe("db")
    expect(r.months).toEqual(["2024-03", "2024-04"])
    expect(r.replicates[0]!.summary.siteTotals).toEqual([expect.objectContaining({
      site: "Mayen",
      pickupsTerminal: 2,
      pickupsCounter: 1,
      users: 1,
      repeatUsers: 1,
      repeatRate: 1
    })])
    expect(r.replicates[0]!.summary.timing[0]).toMatchObject({ uses: 2, weekend: 1, outsideOfficeHours: 2 }) // Sat 11:00, Tue 21:00
  })

  it("says what is wrong with a missing database or one without an event log", async () => {
    const missing = await go(Effect.flip(analyseDbFile(join(root, "nope.db"), defaultAnalyticsConfig)))
    expect(missing).toMatchObject({ reason: "NotFound" })
    const empty = join(root, "empty.db")
    writeFileSync(empty, "")
    expect(await go(Effect.flip(analyseDbFile(empty, defaultAnalyticsConfig)))).toMatchObject({ reason: "BadInput" })
    expect(await go(Effect.flip(analyseRunDir(join(root, "nothing"), defaultAnalyticsConfig)))).toMatchObject({ reason: "NotFound" })
  })
})

describe("amtomat report, the command", () => {
  const cli = Command.run(Command.make("amtomat").pipe(Command.withSubcommands([reportCommand])), { name: "amtomat", version: "test" })
  const quiet = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Console.consoleWith((c) => Effect.withConsole(effect, { ...c, log: () => Effect.void, error: () => Effect.void }))
  const inProcess = (args: ReadonlyArray<string>) => go(quiet(cli(["node", "amtomat", "report", ...args])))
  const refused = (args: ReadonlyArray<string>) => go(Effect.flip(cli(["node", "amtomat", "report", ...args])))

  it("runs as a subcommand of amtomat and prints the comparison", async () => {
    const out = join(root, "cli-run")
    const result = await run(["report", runA, "--out", out, "--counter-servers", "3"])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/P1-best\s+\d+\.\d %\s+band 20–35 %\s+pass/)
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8")).config.queue.servers).toBe(3)
  }, 60_000)

  it("writes a database's report and a comparison", async () => {
    await inProcess(["--db", db, "--out", join(root, "cli-db")])
    expect(existsSync(join(root, "cli-db", "report.html"))).toBe(true)
    await inProcess(["--compare", runP, runB, "--out", join(root, "cli-compare")])
    const c = JSON.parse(readFileSync(join(root, "cli-compare", "report.json"), "utf8"))
    expect(c).toMatchObject({ format: "amtomat-compare/1", labels: { a: "fixture-posters-only", b: "fixture-staff-everywhere" }, p8: { pass: true } })
  })

  it("refuses unclear input and says why", async () => {
    expect(await refused([])).toMatchObject({ message: expect.stringMatching(/run directory or --db/) })
    expect(await refused([runA, "--db", db])).toMatchObject({ message: expect.stringMatching(/not both/) })
    expect(await refused(["--compare", runA])).toMatchObject({ message: expect.stringMatching(/exactly two/) })
    expect(await refused([runA, "--lunch-break", "noon"])).toMatchObject({ message: expect.stringMatching(/HH:MM-HH:MM/) })
    expect(await refused([join(root, "nothing")])).toMatchObject({ reason: "NotFound" })
  })
})
