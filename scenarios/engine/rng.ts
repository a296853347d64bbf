/**
 * Seeded random streams. One root seed per experiment; every replicate and
 * every site gets its own stream, derived by hashing (root, replicate, name),
 * so streams are independent of each other and of the order they are used
 * in. The generator is Effect's PCG (effect/Utils), driven synchronously in
 * the engine's hot loop; the Effect side seeds Effect's `Random` service from
 * the same derivation (full fidelity: ids and codes inside the real workflows).
 */
import { PCGRandom } from "effect/Utils"

/** FNV-1a over the text, two 32-bit halves. */
const fnv = (text: string): readonly [number, number] => {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0
    h2 = (h2 ^ (h2 >>> 15)) >>> 0
  }
  return [h1, h2]
}

/** A derived seed (non-negative, below 2^52): the same inputs give the same seed. */
export const deriveSeed = (root: number, ...path: ReadonlyArray<string | number>): number => {
  const [a, b] = fnv(`${root}/${path.join("/")}`)
  return (a & 0xfffff) * 0x100000000 + b
}

export class Rng {
  private readonly pcg: PCGRandom
  private spare = NaN
  constructor(readonly seed: number) {
    const hi = Math.floor(seed / 0x100000000) >>> 0
    const lo = seed >>> 0
    const [incHi, incLo] = fnv(`inc/${seed}`)
    this.pcg = new PCGRandom(hi, lo, incHi, incLo)
  }
  /** An independent copy at the same point of the stream. */
  clone(): Rng {
    const r = new Rng(this.seed)
    r.pcg.setState(this.pcg.getState())
    r.spare = this.spare
    return r
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.pcg.number()
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.pcg.number() * n)
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.pcg.number()
  }
  chance(p: number): boolean {
    return this.pcg.number() < p
  }
  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (!isNaN(this.spare)) {
      const s = this.spare
      this.spare = NaN
      return s
    }
    for (;;) {
      const u = 2 * this.pcg.number() - 1
      const v = 2 * this.pcg.number() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s)
        this.spare = v * f
        return u * f
      }
    }
  }
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.pcg.number())
  }
  poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()))
    const l = Math.exp(-mean)
    let k = 0
    let p = this.pcg.number()
    while (p > l) {
      k++
      p *= this.pcg.number()
    }
    return k
  }
  /** Index drawn from cumulative weights (last entry = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const u = this.pcg.number() * cumulative[cumulative.length - 1]!
    for (let i = 0; i < cumulative.length; i++) if (u < cumulative[i]!) return i
    return cumulative.length - 1
  }
  /** Index drawn with the given (unnormalised) weights. */
  pick(weights: ReadonlyArray<number>): number {
    let total = 0
    for (const w of weights) total += w
    let u = this.pcg.number() * total
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!
      if (u < 0) return i
    }
    return weights.length - 1
  }
}

export const cumulativeOf = (weights: ReadonlyArray<number>): Float64Array => {
  const out = new Float64Array(weights.length)
  let total = 0
  weights.forEach((w, i) => (out[i] = total += w))
  return out
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x))
