/**
 * Small regressions for the synthetic survey: OLS and logistic (IRLS), with
 * Wald confidence intervals. Enough for a handful of predictors.
 */
import { normalQuantile } from "../../analytics/stats.ts"

export { normalQuantile }

export interface Coefficient {
  readonly name: string
  readonly estimate: number
  readonly se: number
  readonly lo: number
  readonly hi: number
}

export interface Fit {
  readonly n: number
  readonly coefficients: ReadonlyArray<Coefficient>
}

/** Inverse of a small symmetric matrix (Gauss–Jordan); undefined when singular. */
export const invert = (m: ReadonlyArray<ReadonlyArray<number>>): Array<Array<number>> | undefined => {
  const k = m.length
  const a = m.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))])
  for (let col = 0; col < k; col++) {
    let pivot = col
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r
    if (Math.abs(a[pivot]![col]!) < 1e-12) return undefined
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    const p = a[col]![col]!
    for (let j = 0; j < 2 * k; j++) a[col]![j]! /= p
    for (let r = 0; r < k; r++) {
      if (r === col) continue
      const f = a[r]![col]!
      if (f !== 0) { for (let j = 0; j < 2 * k; j++) a[r]![j]! -= f * a[col]![j]! }
    }
  }
  return a.map((row) => row.slice(k))
}

const withIntercept = (x: ReadonlyArray<ReadonlyArray<number>>) => x.map((row) => [1, ...row])

const crossprod = (x: ReadonlyArray<ReadonlyArray<number>>, w?: ReadonlyArray<number>) => {
  const k = x[0]!.length
  const out = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  for (let i = 0; i < x.length; i++) {
    const row = x[i]!
    const wi = w === undefined ? 1 : w[i]!
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a]![b]! += wi * row[a]! * row[b]!
  }
  return out
}

const coefficients = (names: ReadonlyArray<string>, beta: ReadonlyArray<number>, cov: ReadonlyArray<ReadonlyArray<number>>, z: number) =>
  beta.map((estimate, j) => {
    const se = Math.sqrt(Math.max(0, cov[j]![j]!))
    return { name: j === 0 ? "(intercept)" : names[j - 1]!, estimate, se, lo: estimate - z * se, hi: estimate + z * se }
  })

/** OLS with an intercept; `level` is the (two-sided) confidence level. */
export const ols = (names: ReadonlyArray<string>, x: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>, level = 0.95): Fit | undefined => {
  const X = withIntercept(x)
  const n = X.length
  const k = X[0]?.length ?? 0
  if (n <= k) return undefined
  const inv = invert(crossprod(X))
  if (inv === undefined) return undefined
  const xty = new Array<number>(k).fill(0)
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) xty[a]! += X[i]![a]! * y[i]!
  const beta = inv.map((row) => row.reduce((s, v, a) => s + v * xty[a]!, 0))
  let rss = 0
  for (let i = 0; i < n; i++) {
    const e = y[i]! - X[i]!.reduce((s, v, a) => s + v * beta[a]!, 0)
    rss += e * e
  }
  const sigma2 = rss / (n - k)
  return { n, coefficients: coefficients(names, beta, inv.map((row) => row.map((v) => v * sigma2)), normalQuantile(1 - (1 - level) / 2)) }
}

/** Logistic regression by IRLS; undefined when it does not converge (e.g. separation). */
export const logit = (names: ReadonlyArray<string>, x: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>, level = 0.95): Fit | undefined => {
  const X = withIntercept(x)
  const n = X.length
  const k = X[0]?.length ?? 0
  if (n <= k) return undefined
  let beta = new Array<number>(k).fill(0)
  for (let iter = 0; iter < 50; iter++) {
    const p = X.map((row) => 1 / (1 + Math.exp(-row.reduce((s, v, a) => s + v * beta[a]!, 0))))
    const w = p.map((pi) => Math.max(1e-10, pi * (1 - pi)))
    const inv = invert(crossprod(X, w))
    if (inv === undefined) return undefined
    const grad = new Array<number>(k).fill(0)
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) grad[a]! += X[i]![a]! * (y[i]! - p[i]!)
    const step = inv.map((row) => row.reduce((s, v, a) => s + v * grad[a]!, 0))
    beta = beta.map((b, a) => b + step[a]!)
    if (beta.some((b) => !isFinite(b) || Math.abs(b) > 30)) return undefined
    if (Math.max(...step.map(Math.abs)) < 1e-8) {
      const pf = X.map((row) => 1 / (1 + Math.exp(-row.reduce((s, v, a) => s + v * beta[a]!, 0))))
      const cov = invert(crossprod(X, pf.map((pi) => Math.max(1e-10, pi * (1 - pi)))))
      if (cov === undefined) return undefined
      return { n, coefficients: coefficients(names, beta, cov, normalQuantile(1 - (1 - level) / 2)) }
    }
  }
  return undefined
}

/** Standardises a column (mean 0, sd 1); a constant column stays 0. */
export const standardise = (xs: ReadonlyArray<number>): Array<number> => {
  const m = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1))
  return xs.map((x) => (sd > 0 ? (x - m) / sd : 0))
}
