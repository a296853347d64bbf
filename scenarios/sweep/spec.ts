/**
 * Sweep files: which scenario, which parameters over which ranges, which
 * design, how many replicates. Parameters are dotted paths into the scenario
 * (`behaviour.choice.staff`, `network.meanDegree`, `sites.0.staff.recommend`,
 * `sites.*.posters` for every site); every varied scenario is validated again.
 */
import { Effect, Schema } from "effect"
import { decodeScenario, ScenarioError } from "../schema/load.ts"
import type { Scenario } from "../schema/scenario.ts"

export const Parameter = Schema.Struct({
  path: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_*]+(\.[A-Za-z0-9_*]+)*$/)),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  /** Grid designs: the values to take (otherwise `levels` points from min to max). */
  values: Schema.optional(Schema.Array(Schema.Number)),
  integer: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).pipe(Schema.filter((p) => p.values !== undefined || (p.min !== undefined && p.max !== undefined && p.min <= p.max) || "give min ≤ max or values"))
export type Parameter = typeof Parameter.Type

export const SweepSpec = Schema.Struct({
  scenario: Schema.String,
  design: Schema.Literal("grid", "lhs", "morris"),
  parameters: Schema.Array(Parameter).pipe(Schema.minItems(1)),
  samples: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100000)), { default: () => 20 }),
  levels: Schema.optionalWith(Schema.Int.pipe(Schema.between(2, 50)), { default: () => 4 }),
  trajectories: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 1000)), { default: () => 10 }),
  replicates: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 10000)), { default: () => 2 }),
  seed: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative()), { default: () => 1 })
})
export type SweepSpec = typeof SweepSpec.Type

type Mutable = Record<string, unknown>

/** Sets a dotted path in a plain object (arrays by index, `*` for every element). */
const setPath = (target: unknown, segments: ReadonlyArray<string>, value: number): boolean => {
  const [head, ...rest] = segments
  if (head === undefined || typeof target !== "object" || target === null) return false
  const keys = head === "*" && Array.isArray(target) ? target.map((_, i) => String(i)) : [head]
  let ok = keys.length > 0
  for (const k of keys) {
    const obj = target as Mutable
    if (!(k in obj)) return false
    if (rest.length === 0) obj[k] = value
    else ok = setPath(obj[k], rest, value) && ok
  }
  return ok
}

/** The scenario with the given parameter values, validated again. */
export const applyParameters = (scenario: Scenario, values: Readonly<Record<string, number>>) =>
  Effect.gen(function*() {
    const copy = structuredClone(scenario) as unknown
    for (const [path, value] of Object.entries(values)) {
      if (!setPath(copy, path.split("."), value)) {
        return yield* new ScenarioError({ reason: "Invalid", source: "sweep", issues: [{ path, message: "no such parameter in the scenario" }] })
      }
    }
    return yield* decodeScenario(copy, "sweep")
  })
