/**
 * The Bass diffusion model, dF/dt = (p + qF)(1 − F), fitted to a site's
 * cumulative adopters (first successful use) as a docking check beside the
 * agent model: least squares over (p, q, m) by Nelder–Mead in log space.
 */

export interface BassFit {
  /** Innovation coefficient per year (the staff channel shows up here). */
  readonly p: number
  /** Imitation coefficient per year (word of mouth). */
  readonly q: number
  /** Market potential: adopters in the long run. */
  readonly m: number
  /** Share of variance of the cumulative curve the fit explains. */
  readonly r2: number
}

/** F(t) of the Bass model, t in years. */
export const bassF = (p: number, q: number, t: number): number => {
  const e = Math.exp(-(p + q) * t)
  return (1 - e) / (1 + (q / p) * e)
}

/** Nelder–Mead minimisation (standard coefficients), fixed iteration budget. */
export const nelderMead = (f: (x: ReadonlyArray<number>) => number, start: ReadonlyArray<number>, step = 0.5, iterations = 400) => {
  const n = start.length
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, fx: f(x) }))
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.fx - b.fx)
    const best = simplex[0]!
    const worst = simplex[n]!
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, v) => s + v.x[j]!, 0) / n)
    const at = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c))
    const r = at(-1)
    const fr = f(r)
    if (fr < best.fx) {
      const e = at(-2)
      const fe = f(e)
      simplex[n] = fe < fr ? { x: e, fx: fe } : { x: r, fx: fr }
    } else if (fr < simplex[n - 1]!.fx) {
      simplex[n] = { x: r, fx: fr }
    } else {
      const c = at(0.5)
      const fc = f(c)
      if (fc < worst.fx) simplex[n] = { x: c, fx: fc }
      else {simplex = simplex.map((v, i) => (i === 0 ? v : { x: v.x.map((xj, j) => best.x[j]! + 0.5 * (xj - best.x[j]!)), fx: 0 })).map((
          v,
          i
        ) => (i === 0 ? v : { x: v.x, fx: f(v.x) })
        )}
    }
  }
  simplex.sort((a, b) => a.fx - b.fx)
  return simplex[0]!
}

/** Fits Bass to cumulative adopters sampled at times (years since start). */
export const fitBass = (times: ReadonlyArray<number>, cumulative: ReadonlyArray<number>): BassFit | undefined => {
  const last = cumulative[cumulative.length - 1] ?? 0
  if (last < 5 || times.length < 4) return undefined
  const sse = (x: ReadonlyArray<number>) => {
    const [p, q, m] = [Math.exp(x[0]!), Math.exp(x[1]!), Math.exp(x[2]!)]
    let s = 0
    for (let i = 0; i < times.length; i++) s += (m * bassF(p, q, times[i]!) - cumulative[i]!) ** 2
    return s
  }
  const starts = [[Math.log(0.05), Math.log(0.5), Math.log(last * 2)], [Math.log(0.3), Math.log(0.05), Math.log(last * 1.2)], [
    Math.log(0.01),
    Math.log(1.5),
    Math.log(last * 1.5)
  ]]
  const best = starts.map((s) => nelderMead(sse, s)).sort((a, b) => a.fx - b.fx)[0]!
  const mean = cumulative.reduce((a, b) => a + b, 0) / cumulative.length
  const sst = cumulative.reduce((a, b) => a + (b - mean) ** 2, 0)
  return { p: Math.exp(best.x[0]!), q: Math.exp(best.x[1]!), m: Math.exp(best.x[2]!), r2: sst > 0 ? 1 - best.fx / sst : 0 }
}
