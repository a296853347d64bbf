/**
 * Counterfactuals move the right way: posters alone stay far below staff
 * recommending everywhere; without peer influence the spiral weakens; a fault
 * storm lowers trust and use; demographics carry no effect unless told to.
 */
import { describe, expect, it } from "vitest"
import { replicatePatterns } from "../../scenarios/patterns.ts"
import { districtShare, mean, preset, replicates, variant } from "./support.ts"

const seeds = [101, 102]
const pilot = preset("pilot-myk")
const base = replicates(pilot, seeds)
const meanTrust = (r: (typeof base)[number]) => mean(r.survey.map((x) => x.trust))

describe("counterfactuals", () => {
  it("posters only stays far below staff recommending everywhere", () => {
    const staff = replicates(preset("staff-everywhere"), seeds, { survey: false })
    const posters = replicates(preset("posters-only"), seeds, { survey: false })
    expect(mean(posters.map(districtShare))).toBeLessThan(0.2 * mean(staff.map(districtShare)))
    expect(mean(posters.map(districtShare))).toBeLessThan(mean(base.map(districtShare)))
  })

  it("without peer influence the spiral weakens: fewer users, less exposure, lower share", () => {
    const isolated = replicates(variant(pilot, { network: { peerInfluence: false } }), seeds)
    expect(mean(isolated.map(districtShare))).toBeLessThan(mean(base.map(districtShare)))
    const exposure = (rs: typeof base) => mean(rs.flatMap((r) => r.survey.map((x) => x.peerExposure)))
    expect(exposure(isolated)).toBe(0)
    expect(exposure(base)).toBeGreaterThan(0)
    const users = (rs: typeof base) => mean(rs.map((r) => r.sites.reduce((a, s) => a + s.users, 0)))
    expect(users(isolated)).toBeLessThan(users(base))
  })

  it("a fault storm lowers trust and use", () => {
    const storm = replicates(preset("fault-storm"), seeds)
    expect(mean(storm.map(districtShare))).toBeLessThan(0.8 * mean(base.map(districtShare)))
    expect(mean(storm.map(meanTrust))).toBeLessThan(mean(base.map(meanTrust)))
    const failures = (rs: typeof base) => mean(rs.map((r) => r.sites.reduce((a, s) => a + s.failures, 0)))
    expect(failures(storm)).toBeGreaterThan(2.5 * failures(base))
  })

  it("demographics have no effect by default, and a real one is detected when switched on", () => {
    expect(base.map((r) => replicatePatterns({ ...r, counterfactual: null }).observation.P3)).toContain(1)
    const aged = replicates(variant(pilot, { behaviour: { choice: { age: -1.5 } }, survey: { size: 3000 } }), [7])
    expect(replicatePatterns({ ...aged[0]!, counterfactual: null }).observation.P3).toBeLessThan(1)
  })
})
