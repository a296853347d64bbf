/**
 * Small regressions for the synthetic survey: OLS and logistic (IRLS), with
 * Wald confidence intervals. Enough for a handful of predictors.
 */

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

/** Inverse of the standard normal CDF (Acklam's rational approximation). */
export const normalQuantile = (p: number): number => {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const q = Math.min(p, 1 - p)
  let x: number
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q))
    x = (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1)
  } else {
    const r = q - 0.5
    const s = r * r
    x = ((((((a[0]! * s + a[1]!) * s + a[2]!) * s + a[3]!) * s + a[4]!) * s + a[5]!) * r) /
      (((((b[0]! * s + b[1]!) * s + b[2]!) * s + b[3]!) * s + b[4]!) * s + 1)
  }
  return p < 0.5 ? x : -x
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
