/**
 * The shipped pilot-myk preset reproduces the pilot study's patterns P1..P8
 * in model fidelity, across replicates from a fixed seed set.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { patterns } from "../../analytics/studyPatterns.ts"
import { runScenario } from "../../scenarios/run.ts"
import { preset } from "./support.ts"

describe("pilot-myk against the pilot study", () => {
  it("P1..P11 hold together across 4 replicates of seed 20231117", async () => {
    const scenario = preset("pilot-myk")
    const summary = await Effect.runPromise(runScenario({ scenario, seed: 20231117, replicates: 4, fidelity: "model" }))
    const failing = summary.patterns.filter((p) => p.pass !== true).map((p) => `${p.id} ${p.observed.mean} not in ${p.band}`)
    expect(failing).toEqual([])
    expect(summary.patterns.map((p) => p.id)).toEqual(patterns.map((p) => p.id))
    // Identical technology, very different use: every site draws its clerks from one county-level
    // distribution, and the spread between the best and the worst site comes out of that
    const best = summary.patterns.find((p) => p.id === "P1-best")!.observed.mean!
    const worst = summary.patterns.find((p) => p.id === "P1-worst")!.observed.mean!
    expect(best / worst).toBeGreaterThan(10)
    expect(scenario.staffPropensity).not.toBeNull()
  })
})
