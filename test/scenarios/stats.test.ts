/**
 * The statistics the patterns rest on: regressions recover known
 * coefficients, Bass recovers its parameters, Erlang C matches a textbook
 * value, the designs have their defining properties.
 */
import { describe, expect, it } from "vitest"
import { erlangC, waitMinutes } from "../../scenarios/engine/counter.ts"
import { Rng } from "../../scenarios/engine/rng.ts"
import { bassF, fitBass } from "../../scenarios/stats/bass.ts"
import { logit, normalQuantile, ols } from "../../scenarios/stats/regression.ts"
import { latinHypercube, morrisDesign, morrisScreening } from "../../scenarios/sweep/design.ts"

describe("statistics", () => {
  it("OLS recovers coefficients and covers them with its interval", () => {
    const rng = new Rng(1)
    const x = Array.from({ length: 400 }, () => [rng.normal(), rng.normal()])
    const y = x.map(([a, b]) => 1 + 2 * a! - 0.5 * b! + 0.3 * rng.normal())
    const fit = ols(["a", "b"], x, y)!
    const [, a, b] = fit.coefficients
    expect(a!.lo).toBeLessThan(2)
    expect(a!.hi).toBeGreaterThan(2)
    expect(b!.estimate).toBeCloseTo(-0.5, 1)
  })

  it("logistic regression finds an effect that exists and none where there is none", () => {
    const rng = new Rng(2)
    const x = Array.from({ length: 2000 }, () => [rng.normal(), rng.normal()])
    const y = x.map(([a]) => (rng.chance(1 / (1 + Math.exp(-(0.5 + 1.5 * a!)))) ? 1 : 0))
    const [, a, b] = logit(["a", "b"], x, y)!.coefficients
    expect(a!.estimate).toBeGreaterThan(1.2)
    expect(a!.lo).toBeGreaterThan(0)
    expect(b!.lo).toBeLessThan(0)
    expect(b!.hi).toBeGreaterThan(0)
  })

  it("the normal quantile is right", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 5)
  })

  it("a Bass fit recovers p and q from a Bass curve", () => {
    const t = Array.from({ length: 60 }, (_, i) => i / 20)
    const fit = fitBass(t, t.map((x) => 500 * bassF(0.1, 0.9, x)))!
    expect(fit.p).toBeCloseTo(0.1, 2)
    expect(fit.q).toBeCloseTo(0.9, 2)
    expect(fit.r2).toBeGreaterThan(0.999)
  })

  it("Erlang C: 2 servers, offered load 1 → 1/3; waits grow towards saturation", () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 10)
    expect(waitMinutes(4, 12, 1)).toBeGreaterThan(waitMinutes(2, 12, 1))
    expect(waitMinutes(4, 12, 2)).toBeLessThan(waitMinutes(4, 12, 1))
  })

  it("a Latin hypercube puts one point in every stratum of every parameter", () => {
    const params = [{ path: "a", min: 0, max: 1, integer: false }, { path: "b", min: 10, max: 20, integer: false }]
    const pts = latinHypercube(params, 8, new Rng(3))
    expect(new Set(pts.map((p) => Math.floor(p["a"]! * 8))).size).toBe(8)
    expect(new Set(pts.map((p) => Math.floor((p["b"]! - 10) / 10 * 8))).size).toBe(8)
  })

  it("Morris screening ranks an influential parameter above an inert one", () => {
    const params = [{ path: "big", min: 0, max: 1, integer: false }, { path: "none", min: 0, max: 1, integer: false }]
    const plan = morrisDesign(params, 6, 4, new Rng(4))
    expect(plan.points).toHaveLength(6 * 3)
    const effects = morrisScreening(plan, plan.points.map((p) => ({ y: 5 * p["big"]! })))
    const by = Object.fromEntries(effects.map((e) => [e.parameter, e.muStar]))
    expect(by["big"]).toBeCloseTo(5, 6)
    expect(by["none"]).toBe(0)
  })
})
