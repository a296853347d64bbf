/**
 * Intervals across replicates and least squares, against hand computation.
 */
import { describe, expect, it } from "vitest"
import { parseCsv, toCsv } from "../../analytics/csv.ts"
import { interval95, mean, ols, sd, tQuantile975 } from "../../analytics/stats.ts"

describe("mean and 95% interval across replicates", () => {
  it("uses Student's t with n − 1 degrees of freedom", () => {
    const iv = interval95([1, 2, 3]) // mean 2, sd 1, half width 4.303 / √3
    expect(iv.mean).toBe(2)
    expect(iv.sd).toBe(1)
    expect(iv.low).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 10)
    expect(iv.high).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 10)
    expect([iv.min, iv.max, iv.n]).toEqual([1, 3, 3])
  })

  it("has no interval for one replicate and nothing for none; leaves out replicates that could not observe", () => {
    expect(interval95([5])).toEqual({ n: 1, mean: 5, low: null, high: null, sd: null, min: 5, max: 5 })
    expect(interval95([])).toEqual({ n: 0, mean: null, low: null, high: null, sd: null, min: null, max: null })
    const iv = interval95([null, 4, 6]) // mean 5, sd √2, half width 12.706 · √2 / √2
    expect(iv.n).toBe(2)
    expect(iv.low).toBeCloseTo(5 - 12.706, 10)
  })

  it("reads the t table and approximates beyond 30", () => {
    expect([tQuantile975(1), tQuantile975(2), tQuantile975(30)]).toEqual([12.706, 4.303, 2.042])
    expect(tQuantile975(60)).toBeCloseTo(2.0, 2)
    expect(tQuantile975(120)).toBeCloseTo(1.98, 2)
    expect(mean([])).toBeNull()
    expect(sd([3])).toBeNull()
  })
})

describe("ordinary least squares", () => {
  it("recovers an exact line with zero standard error", () => {
    const fit = ols([1, 3, 5, 7], [{ name: "x", values: [0, 1, 2, 3] }])!
    expect(fit.coefficients[0]!.estimate).toBeCloseTo(2, 10)
    expect(fit.coefficients[0]!.se).toBeCloseTo(0, 10)
    expect(fit.coefficients[0]!.standardized).toBeCloseTo(1, 10)
  })

  it("matches a fit worked out by hand", () => {
    // x̄ 1.5, ȳ 2.75, Sxy 5.5, Sxx 5: b = 1.1; RSS 2.7, σ² 1.35, se(b) = √(1.35/5); t(2) = 4.303
    const fit = ols([1, 3, 2, 5], [{ name: "x", values: [0, 1, 2, 3] }])!
    const b = fit.coefficients[0]!
    expect(b.estimate).toBeCloseTo(1.1, 10)
    expect(b.se).toBeCloseTo(Math.sqrt(0.27), 10)
    expect(b.low).toBeCloseTo(1.1 - 4.303 * Math.sqrt(0.27), 10)
    expect(b.high).toBeCloseTo(1.1 + 4.303 * Math.sqrt(0.27), 10)
    expect(b.standardized).toBeCloseTo(1.1 * Math.sqrt(5 / 3) / Math.sqrt(8.75 / 3), 10)
  })

  it("answers null for a singular design or no residual degrees of freedom", () => {
    expect(ols([1, 2, 3], [{ name: "c", values: [1, 1, 1] }])).toBeNull()
    expect(ols([1, 2], [{ name: "x", values: [0, 1] }])).toBeNull()
  })
})

describe("CSV", () => {
  it("round-trips quotes, commas and empty cells", () => {
    const text = toCsv(["a", "b", "c"], [["x,y", "say \"hi\"", null], [1.23456789, true, 0]])
    expect(text).toBe("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\n1.23457,true,0\n")
    expect(parseCsv(text)).toEqual([["a", "b", "c"], ["x,y", "say \"hi\"", ""], ["1.23457", "true", "0"]])
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([["a", "b"], ["1", "2"]])
  })
})
