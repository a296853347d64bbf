/**
 * `scenario run` and `report` on the same run directory say the same: one
 * implementation of every pattern, fed by the engine in one and by the
 * written event logs and surveys in the other. P7 and P8 need what only the
 * engine knows (occasions, the posters-only world), so the report takes them
 * from summary.json and says so.
 */
import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { analyseRunDir } from "../../cli/report/read.ts"
import { runScenario } from "../../scenarios/run.ts"
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
    // a share's interval stays in [0, 1]; at n = 2 it is Student t (12.706), not 1.96
    for (const p of summary.patterns.filter((x) => x.unit === "share" && x.observed.low !== null)) {
      expect(p.observed.low!).toBeGreaterThanOrEqual(0)
      expect(p.observed.high!).toBeLessThanOrEqual(1)
    }
    const p2 = summary.patterns.find((x) => x.id === "P2")!.observed
    expect((p2.high! - p2.mean!) / (p2.sd! / Math.sqrt(2))).toBeCloseTo(12.706, 3)
  }, 120_000)
})
