/**
 * The social network: households fully connected inside, plus a small-world
 * graph (Watts–Strogatz: a ring lattice over each site's residents, each link
 * rewired with a probability, a share of rewired links to other sites).
 * Stored as compressed adjacency (CSR) in typed arrays.
 */
import type { Behaviour, Scenario } from "../schema/scenario.ts"
import { trustAfterPeer } from "./adoption.ts"
import type { Population } from "./population.ts"
import type { Rng } from "./rng.ts"

export interface Graph {
  readonly offsets: Int32Array
  readonly neighbours: Int32Array
}

export const degree = (g: Graph, i: number) => g.offsets[i + 1]! - g.offsets[i]!

export const makeNetwork = (scenario: Scenario, pop: Population, rng: Rng): Graph => {
  const net = scenario.network
  const n = pop.size
  const householdContacts = Math.max(0, net.meanHouseholdSize - 1)
  const half = net.kind === "small-world" ? Math.max(0, Math.round((net.meanDegree - householdContacts) / 2)) : 0
  let src = new Int32Array(Math.max(16, n * (half + 2)))
  let dst = new Int32Array(src.length)
  let m = 0
  const add = (a: number, b: number) => {
    if (a === b) return
    if (m === src.length) {
      const s2 = new Int32Array(src.length * 2)
      const d2 = new Int32Array(src.length * 2)
      s2.set(src)
      d2.set(dst)
      src = s2
      dst = d2
    }
    src[m] = a
    dst[m] = b
    m++
  }
  // Households: everyone knows everyone at home.
  let first = 0
  for (let i = 1; i <= n; i++) {
    if (i === n || pop.household[i] !== pop.household[first]) {
      for (let a = first; a < i; a++) for (let b = a + 1; b < i; b++) add(a, b)
      first = i
    }
  }
  // Small world per site.
  for (let s = 0; s + 1 < pop.siteStart.length; s++) {
    const lo = pop.siteStart[s]!
    const size = pop.siteStart[s + 1]! - lo
    if (size < 2) continue
    for (let i = 0; i < size; i++) {
      for (let j = 1; j <= half; j++) {
        let target = lo + ((i + j) % size)
        if (rng.chance(net.rewire)) target = rng.chance(net.crossSite) ? rng.int(n) : lo + rng.int(size)
        add(lo + i, target)
      }
    }
  }
  const offsets = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) {
    offsets[src[e]! + 1]!++
    offsets[dst[e]! + 1]!++
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!
  const fill = offsets.slice(0, n)
  const neighbours = new Int32Array(2 * m)
  for (let e = 0; e < m; e++) {
    neighbours[fill[src[e]!]!++] = dst[e]!
    neighbours[fill[dst[e]!]!++] = src[e]!
  }
  return { offsets, neighbours }
}

/** A willing user tells each contact with probability `share`: the contact hears a recommendation, becomes aware, trusts a little more. */
export const tellContacts = (g: Graph, pop: Population, r: number, rng: Rng, share: number, trust: Behaviour["trust"]): void => {
  for (let k = g.offsets[r]!; k < g.offsets[r + 1]!; k++) {
    if (!rng.chance(share)) continue
    const j = g.neighbours[k]!
    if (pop.peerRecs[j]! < 65535) pop.peerRecs[j]!++
    pop.aware[j] = 1
    pop.trust[j] = trustAfterPeer(trust, pop.trust[j]!)
  }
}
