/**
 * `scenario run --fidelity full --county`: a two-site pilot whose sites are terminals of a
 * county replicating after every interaction. The county holds every event of the run, from
 * one terminal per site, and the study's summary over the county's rows is the run's own. A
 * county that lost one event (a wrapper dropping a row) fails the same check, and `--county`
 * without full fidelity is refused with one sentence.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { scenarioCountyLayer } from "../../cli/scenarioCounty.ts"
import { run } from "../../kiosk/harness/process.ts"
import { ScenarioCounty } from "../../scenarios/full/county.ts"
import { runScenario } from "../../scenarios/run.ts"
import { preset, variant } from "./support.ts"

const demo = preset("single-terminal-demo")
const twoSites = variant(demo, {
  duration: "2 months",
  sites: [demo.sites[0], { ...demo.sites[0], name: "Zweite-Stadt", population: 3000 }]
})

const county = Effect.runSync(Effect.provide(ScenarioCounty, scenarioCountyLayer))

/** The same county, but its rows lose the tenth event: what a lossy replication would leave. */
const lossy = ScenarioCounty.of({
  open: (folder) => Effect.map(county.open(folder), (c) => ({ ...c, rows: Effect.map(c.rows, (rows) => rows.filter((_, i) => i !== 9)) }))
})

describe("a full-fidelity run as terminals of a county", () => {
  it("every event of every site reaches the county and its report is the run's; a county that lost one event is caught", async () => {
    const summary = await Effect.runPromise(runScenario({ scenario: twoSites, seed: 7, replicates: 1, fidelity: "full", county }))
    expect(summary.county).toHaveLength(1)
    const [check] = summary.county!
    expect(check).toMatchObject({ replicate: 1, terminals: 2, sameReport: true })
    expect(check!.events).toBe(check!.runEvents)
    expect(check!.events).toBeGreaterThan(100)
    expect(summary.sites.every((s) => s.pickupsTerminal + s.pickupsCounter > 0)).toBe(true)

    const broken = await Effect.runPromise(runScenario({ scenario: twoSites, seed: 7, replicates: 1, fidelity: "full", county: lossy }))
    expect(broken.county![0]).toMatchObject({ sameReport: false, events: check!.events - 1 })
  }, 240_000)

  it("--county without full fidelity is refused with one sentence", async () => {
    const r = await run(["scenario", "run", "single-terminal-demo", "--county", "--replicates", "1"])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe("amtomat: --county needs --fidelity full (the model has no terminals to replicate)")
  })
})
