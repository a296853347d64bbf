/**
 * Patterns that can reject a wrong model. On seeds calibration never saw,
 * the calibrated pilot-myk passes every pattern, and every model variant the
 * study's findings contradict (no spiral, staff only, peer only,
 * trust-driven recommending, value-free choice, demographics that matter,
 * clerks alike everywhere)
 * fails at least one. And the check can fail: the study's eight calibration
 * targets alone (P1–P8) do not reject a world without the spiral — the
 * finding that started this — so the mechanism patterns P9–P11 carry it.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { PatternId } from "../../analytics/studyPatterns.ts"
import { discriminate, discriminationTable } from "../../scenarios/discriminate.ts"
import { variants } from "../../scenarios/variants.ts"
import { preset } from "./support.ts"

const targets: ReadonlyArray<PatternId> = ["P1-best", "P1-worst", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]

describe("the discrimination table", () => {
  it("on new seeds: the calibrated world passes, every contradicted variant is rejected, and P1–P8 alone would not do it", async () => {
    const d = await Effect.runPromise(discriminate({ scenario: preset("pilot-myk"), seed: 4242, replicates: 2 }))
    expect(d.rows.map((r) => r.variant)).toEqual(variants.map((v) => v.id))
    const table = discriminationTable(d)
    expect(d.calibratedPasses, table).toBe(true)
    expect(d.notRejected, table).toEqual([])
    const row = (id: string) => d.rows.find((r) => r.variant === id)!
    // what rejects what, where the mechanism says it must
    expect(row("no-spiral").rejectedBy).toContain("P10-peer")
    expect(row("staff-only").rejectedBy).toContain("P10-peer")
    expect(row("peer-only").rejectedBy).toEqual(expect.arrayContaining(["P1-best", "P10-staff"]))
    expect(row("trust-driven").rejectedBy).toContain("P4")
    expect(row("value-free").rejectedBy).toContain("P11")
    expect(row("uniform-staff").rejectedBy).toContain("P1-best") // no spread between clerks, no spread between sites
    // the failure case: with only the study's calibration targets, a world without the spiral passes
    expect(row("no-spiral").rejectedBy.filter((id) => targets.includes(id))).toEqual([])
    expect(row("staff-only").rejectedBy.filter((id) => targets.includes(id))).toEqual([])
  }, 300_000)

  it("a variant that changes nothing the patterns see is reported as not rejected", async () => {
    const placebo = { ...variants[0]!, id: "no-spiral" as const, name: "placebo", contradicts: "nothing, really" }
    const d = await Effect.runPromise(discriminate({ scenario: preset("pilot-myk"), seed: 4242, replicates: 2, variants: [placebo] }))
    expect(d.notRejected).toEqual(["no-spiral"])
    expect(discriminationTable(d)).toContain("NO (bad)")
  }, 60_000)
})
