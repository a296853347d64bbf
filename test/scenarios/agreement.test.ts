/**
 * `scenario run` and `report` on the same run directory say the same: one
 * implementation of every pattern, fed by the engine in one and by the
 * written event logs and surveys in the other. P7 and P8 need what only the
 * engine knows (occasions, the posters-only world), so the report takes them
 * from summary.json and says so.
 */
import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { discriminationSection } from "../../analytics/html/sections.ts"
import { analyseRunDir } from "../../cli/report/read.ts"
import { discriminate } from "../../scenarios/discriminate.ts"
import { runScenario } from "../../scenarios/run.ts"
import { variants } from "../../scenarios/variants.ts"
import { preset } from "./support.ts"

describe("scenario run and report agree", () => {
  it("every pattern's mean, interval and verdict are the same on the same run", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "amtomat-agree-")), "run")
    const summary = await Effect.runPromise(runScenario({ scenario: preset("pilot-myk"), seed: 11, replicates: 2, fidelity: "model", out }))
    const report = await Effect.runPromise(Effect.provide(analyseRunDir(out, defaultAnalyticsConfig), NodeContext.layer))
    for (const p of summary.patterns) {
      const r = report.comparison.find((x) => x.id === p.id)!
      expect({ id: r.id, pass: r.pass }).toEqual({ id: p.id, pass: p.pass })
      expect(r.observed.n).toBe(p.observed.n)
      for (const k of ["mean", "low", "high"] as const) {
        if (p.observed[k] === null) expect(r.observed[k]).toBeNull()
        else expect(r.observed[k], `${p.id} ${k}`).toBeCloseTo(p.observed[k]!, 9)
      }
      expect(r.source).toBe(p.id === "P7" || p.id === "P8" ? "summary.json" : p.source)
    }
    // a share's interval stays in [0, 1]; at n = 2 it is Student t (12.706), not 1.96 (P4 is not a share: not clipped)
    for (const p of summary.patterns.filter((x) => x.unit === "share" && x.observed.low !== null)) {
      expect(p.observed.low!).toBeGreaterThanOrEqual(0)
      expect(p.observed.high!).toBeLessThanOrEqual(1)
    }
    const p4 = summary.patterns.find((x) => x.id === "P4")!.observed
    expect((p4.high! - p4.mean!) / (p4.sd! / Math.sqrt(2))).toBeCloseTo(12.706, 3)
  }, 120_000)

  it("the report shows the discrimination table a run directory holds, and warns about one that does not fit", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "amtomat-disc-")), "run")
    const scenario = preset("single-terminal-demo")
    await Effect.runPromise(runScenario({ scenario, seed: 5, replicates: 1, fidelity: "model", out }))
    const d = await Effect.runPromise(
      discriminate({ scenario, seed: 5, replicates: 1, variants: variants.filter((v) => ["as-given", "no-spiral"].includes(v.id)) })
    )
    writeFileSync(join(out, "discrimination.json"), JSON.stringify({ ...d, rows: d.rows.map(({ patterns: _, ...row }) => row) }))
    const report = await Effect.runPromise(Effect.provide(analyseRunDir(out, defaultAnalyticsConfig), NodeContext.layer))
    expect(report.discrimination?.rows.map((r) => r.variant)).toEqual(["as-given", "no-spiral"])
    const html = discriminationSection(report)
    expect(html).toContain("Model variants")
    expect(html).toContain("no-spiral")
    writeFileSync(join(out, "discrimination.json"), JSON.stringify({ rows: "many" }))
    const broken = await Effect.runPromise(Effect.provide(analyseRunDir(out, defaultAnalyticsConfig), NodeContext.layer))
    expect(broken.discrimination).toBeNull()
    expect(broken.warnings.some((w) => w.startsWith("discrimination.json:"))).toBe(true)
    expect(discriminationSection(broken)).toBe("")
  }, 120_000)
})
