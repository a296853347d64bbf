/**
 * Model variants: worlds that lack one part of the mechanism the study names
 * (shared/reference/pilot-study.md, "What the patterns must rule out"). Each
 * is a change to a scenario, so a variant runs like any scenario (`scenario
 * run --variant`) and the discrimination table can ask of every pattern
 * whether it tells the variant from the calibrated world.
 *
 * `contradicts` says whether the study's findings rule the variant out: the
 * shipped pattern set must reject every such variant, and the calibrated
 * preset must pass.
 */
import type { Scenario } from "./schema/scenario.ts"

export type VariantId =
  | "as-given"
  | "no-spiral"
  | "staff-only"
  | "peer-only"
  | "trust-driven"
  | "value-free"
  | "demographics-matter"
  | "uniform-staff"

export interface ModelVariant {
  readonly id: VariantId
  readonly name: string
  /** What the variant changes, in one sentence. */
  readonly change: string
  /** The finding of the study that rules it out, or null for the calibrated world. */
  readonly contradicts: string | null
  readonly apply: (scenario: Scenario) => Scenario
}

const noAdaptation = (s: Scenario): Scenario => ({
  ...s,
  sites: s.sites.map((site) => ({ ...site, staff: { ...site.staff, adaptive: false } })),
  behaviour: { ...s.behaviour, staffAdaptation: { up: 0, down: 0 } }
})
const noPeers = (s: Scenario): Scenario => ({ ...s, network: { ...s.network, peerInfluence: false } })

export const variants: ReadonlyArray<ModelVariant> = [
  { id: "as-given", name: "calibrated", change: "the scenario as given", contradicts: null, apply: (s) => s },
  {
    id: "no-spiral",
    name: "no spiral",
    change: "no word of mouth and staff who never adapt: adoption without acceleration",
    contradicts: "findings 5 and 7: use → trust → recommendation → more use",
    apply: (s) => noPeers(noAdaptation(s))
  },
  {
    id: "staff-only",
    name: "staff only",
    change: "staff recommend (and adapt), citizens never tell each other",
    contradicts: "finding 4: other citizens sharing good experiences is the second channel",
    apply: noPeers
  },
  {
    id: "peer-only",
    name: "peer only",
    change: "staff never recommend the terminal; only word of mouth and posters",
    contradicts: "finding 4: without the staff's recommendation the terminal often stays unused",
    apply: (s) => ({
      ...noAdaptation(s),
      staffPropensity: null,
      sites: noAdaptation(s).sites.map((site) => ({ ...site, staff: { recommend: 0, adaptive: false } }))
    })
  },
  {
    id: "trust-driven",
    name: "trust-driven recommending",
    change: "recommending follows trust, not use (use weight 0.3, trust weight 4)",
    contradicts: "finding 5: actual use is the strongest driver of recommending, stronger than trust",
    apply: (s) => ({ ...s, behaviour: { ...s.behaviour, recommend: { ...s.behaviour.recommend, use: 0.3, trust: 4 } } })
  },
  {
    id: "value-free",
    name: "value-free choice",
    change: "perceived value plays no part in the choice",
    contradicts: "finding 3: perceived value is one of the two decisive factors",
    apply: (s) => ({ ...s, behaviour: { ...s.behaviour, choice: { ...s.behaviour.choice, value: 0 } } })
  },
  {
    id: "demographics-matter",
    name: "demographics matter",
    change:
      "older residents and those with less technology experience choose the terminal less (odds ratio 0.25 per band: an effect the study's survey of 300 would have found, about 5 points of use per age band)",
    contradicts: "finding 6: age, gender and technology experience have no measurable effect",
    apply: (s) => ({ ...s, behaviour: { ...s.behaviour, choice: { ...s.behaviour.choice, age: Math.log(0.25), tech: -Math.log(0.25) } } })
  },
  {
    id: "uniform-staff",
    name: "clerks alike everywhere",
    change: "every site's clerks recommend alike (the county distribution without spread, or the sites' mean propensity)",
    contradicts: "findings 2 and 4: identical technology, very different use, and the staff's recommendation is what differs",
    apply: (s) => {
      if (s.staffPropensity !== null) return { ...s, staffPropensity: { ...s.staffPropensity, logitSd: 0 } }
      const mean = s.sites.reduce((a, site) => a + site.staff.recommend, 0) / s.sites.length
      return { ...s, sites: s.sites.map((site) => ({ ...site, staff: { ...site.staff, recommend: mean } })) }
    }
  }
]

export const variantIds = variants.map((v) => v.id)

export const variantById = (id: VariantId): ModelVariant => variants.find((v) => v.id === id)!
