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
    // Identical technology, very different use: the spread follows the staff.
    const shares = summary.sites.map((s) => s.terminalShare)
    expect(Math.max(...shares) / Math.max(1e-6, Math.min(...shares))).toBeGreaterThan(10)
    const byStaff = [...scenario.sites].map((s, i) => ({ staff: s.staff.recommend, share: shares[i]! })).sort((a, b) => b.staff - a.staff)
    expect(byStaff[0]!.share).toBe(Math.max(...shares))
  })
})
