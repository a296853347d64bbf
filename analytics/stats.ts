/**
 * Small statistics: mean and 95% interval across replicates (Student t),
 * spread, and ordinary least squares with standard errors for the survey
 * regressions. Pure and dependency-free.
 */

export const mean = (xs: ReadonlyArray<number>): number | null => xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length

/** Sample standard deviation (n − 1); null below two values. */
export const sd = (xs: ReadonlyArray<number>): number | null => {
  if (xs.length < 2) return null
  const m = mean(xs)!
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}

const T975: ReadonlyArray<number> = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042
]

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

/** The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then 1.96 + 2.5/df). */
export const tQuantile975 = (df: number): number => df < 1 ? Number.NaN : df <= 30 ? T975[Math.floor(df) - 1]! : 1.96 + 2.5 / df

export interface Interval {
  readonly n: number
  readonly mean: number | null
  /** 95% interval for the mean (t-based); null with fewer than two values. */
  readonly low: number | null
  readonly high: number | null
  readonly sd: number | null
  readonly min: number | null
  readonly max: number | null
}

/** Mean with a 95% interval across replicates; null values (not observable in a replicate) are left out. */
export const interval95 = (values: ReadonlyArray<number | null>): Interval => {
  const xs = values.filter((x): x is number => x !== null && Number.isFinite(x))
  const m = mean(xs)
  const s = sd(xs)
  const half = s === null ? null : tQuantile975(xs.length - 1) * s / Math.sqrt(xs.length)
  return {
    n: xs.length,
    mean: m,
    low: m === null || half === null ? null : m - half,
    high: m === null || half === null ? null : m + half,
    sd: s,
    min: xs.length === 0 ? null : Math.min(...xs),
    max: xs.length === 0 ? null : Math.max(...xs)
  }
}

export interface Coefficient {
  readonly name: string
  readonly estimate: number
  readonly se: number
  readonly low: number
  readonly high: number
  /** estimate × sd(x) / sd(y): comparable across predictors on different scales. */
  readonly standardized: number
}

export interface OlsFit {
  readonly n: number
  readonly coefficients: ReadonlyArray<Coefficient>
}

/** Solves A x = b by Gaussian elimination with partial pivoting; null when singular. */
const solve = (a: Array<Array<number>>, b: Array<number>): Array<number> | null => {
  const n = b.length
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    ;[b[col], b[pivot]] = [b[pivot]!, b[col]!]
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const factor = a[r]![col]! / a[col]![col]!
      for (let k = col; k < n; k++) a[r]![k]! -= factor * a[col]![k]!
      b[r]! -= factor * b[col]!
    }
  }
  return b.map((v, i) => v / a[i]![i]!)
}

/**
 * y = b0 + Σ bj xj + e by least squares. `columns` are the predictors (an
 * intercept is added and not reported). Null when the design is singular or
 * has no residual degrees of freedom.
 */
export const ols = (y: ReadonlyArray<number>, columns: ReadonlyArray<{ readonly name: string; readonly values: ReadonlyArray<number> }>): OlsFit | null => {
  const n = y.length
  const p = columns.length + 1
  if (n <= p) return null
  const row = (i: number) => [1, ...columns.map((c) => c.values[i]!)]
  const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0))
  const xty = new Array<number>(p).fill(0)
  for (let i = 0; i < n; i++) {
    const x = row(i)
    for (let j = 0; j < p; j++) {
      xty[j]! += x[j]! * y[i]!
      for (let k = 0; k < p; k++) xtx[j]![k]! += x[j]! * x[k]!
    }
  }
  const beta = solve(xtx.map((r) => [...r]), [...xty])
  if (beta === null) return null
  let rss = 0
  for (let i = 0; i < n; i++) {
    const x = row(i)
    rss += (y[i]! - x.reduce((a, v, j) => a + v * beta[j]!, 0)) ** 2
  }
  const sigma2 = rss / (n - p)
  const t = tQuantile975(n - p)
  const sdY = sd(y) ?? 0
  const coefficients = columns.map((c, idx): Coefficient => {
    const j = idx + 1
    const unit = new Array<number>(p).fill(0)
    unit[j] = 1
    const inverseColumn = solve(xtx.map((r) => [...r]), unit)!
    const se = Math.sqrt(Math.max(0, sigma2 * inverseColumn[j]!))
    const estimate = beta[j]!
    return {
      name: c.name,
      estimate,
      se,
      low: estimate - t * se,
      high: estimate + t * se,
      standardized: sdY > 0 ? (estimate * (sd(c.values) ?? 0)) / sdY : 0
    }
  })
  return { n, coefficients }
}
