/**
 * The parameter table covers every numeric parameter of the model's blocks,
 * with a provenance each; a parameter added without a row is found; the
 * values are the scenario's own; a sensitivity.json adds each pattern's μ*.
 */
import { describe, expect, it } from "vitest"
import { numericPaths, parameterMarkdown, parameterSpecs, parameterTable } from "../../scenarios/parameters.ts"
import type { Scenario } from "../../scenarios/schema/scenario.ts"
import { preset } from "./support.ts"

const pilot = preset("pilot-myk")
const covered = new Set(parameterSpecs.map((p) => p.path))

describe("the parameter table", () => {
  it("has a row with a provenance for every numeric parameter of pilot-myk, and no row for nothing", () => {
    const paths = numericPaths(pilot)
    expect(paths.filter((p) => !covered.has(p))).toEqual([])
    expect([...covered].filter((p) => !paths.includes(p))).toEqual([])
    for (const spec of parameterSpecs) expect(["study", "law", "calibration", "assumption"]).toContain(spec.provenance)
  })

  it("finds a parameter that enters the model without a row", () => {
    const grown = { ...pilot, behaviour: { ...pilot.behaviour, choice: { ...pilot.behaviour.choice, weather: 0.3 } } } as unknown as Scenario
    expect(numericPaths(grown).filter((p) => !covered.has(p))).toEqual(["behaviour.choice.weather"])
  })

  it("shows the scenario's values and, with a sensitivity.json, each pattern's μ* largest first", () => {
    const rows = parameterTable(pilot, [
      { pattern: "P1-best", parameters: [{ name: "staffPropensity.logitSd", muStar: 0.2, sigma: 0.1 }] },
      { pattern: "P9", parameters: [{ name: "staffPropensity.logitSd", muStar: 0.5, sigma: 0.2 }] }
    ])
    const sd = rows.find((r) => r.path === "staffPropensity.logitSd")!
    expect(sd).toMatchObject({ value: "2.5", provenance: "calibration" })
    expect(sd.sensitivity).toEqual([{ pattern: "P9", muStar: 0.5 }, { pattern: "P1-best", muStar: 0.2 }])
    expect(rows.find((r) => r.path === "demand.productionDays")!.value).toBe("14 … 28")
    expect(parameterMarkdown(rows)).toContain("| staffPropensity.logitSd | 2.5 | logit | 1.5 … 3 | calibration |")
    expect(parameterMarkdown(rows)).toContain("P9 0.500, P1-best 0.200")
  })
})
