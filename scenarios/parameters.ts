/**
 * The parameter table: every behaviour, network, demand and county-level
 * parameter of a scenario with its value, unit, range and provenance —
 * study (shared/reference/pilot-study.md), law, calibration or assumption —
 * and, given a Morris sensitivity.json, how strongly each pattern responds to
 * it. A test fails when the scenario schema grows a numeric parameter that
 * has no row here, so nothing enters the model without a stated source.
 */
import type { Sensitivity } from "../analytics/sensitivity.ts"
import type { Scenario } from "./schema/scenario.ts"

export type Provenance = "study" | "law" | "calibration" | "assumption"

export interface ParameterSpec {
  readonly path: string
  readonly unit: string
  /** The range the parameter may take (schema bounds, or the calibration's search range). */
  readonly range: string
  readonly provenance: Provenance
  /** Where the value comes from, in a few words. */
  readonly source: string
}

const A = (path: string, unit: string, range: string, source: string): ParameterSpec => ({ path, unit, range, provenance: "assumption", source })
const C = (path: string, unit: string, range: string, source: string): ParameterSpec => ({ path, unit, range, provenance: "calibration", source })
const S = (path: string, unit: string, range: string, source: string): ParameterSpec => ({ path, unit, range, provenance: "study", source })
const L = (path: string, unit: string, range: string, source: string): ParameterSpec => ({ path, unit, range, provenance: "law", source })

const calibrated = "amtomat scenario calibrate pilot-myk --samples 40 --replicates 3 --seed 1"

export const parameterSpecs: ReadonlyArray<ParameterSpec> = [
  C("staffPropensity.logitMean", "logit", "−3 … −1.5", "grid against all patterns, behaviour fixed (docs/model-odd.md)"),
  C("staffPropensity.logitSd", "logit", "1.5 … 3", "grid against all patterns, behaviour fixed"),
  C("behaviour.choice.intercept", "logit", "−6.5 … −4.8", calibrated),
  A("behaviour.choice.value", "logit per SD of value", "any", "finding 3 names value; the weight is not calibrated"),
  C("behaviour.choice.staff", "logit", "3.8 … 5.6", calibrated),
  C("behaviour.choice.peer", "logit per share of contacts", "8 … 24", calibrated),
  A("behaviour.choice.trust", "logit per unit of trust", "any", "assumed"),
  C("behaviour.choice.habit", "logit", "4 … 6.5", calibrated),
  A("behaviour.choice.access", "logit per unit of visibility − effort", "any", "assumed"),
  A("behaviour.choice.wait", "logit per minute of counter wait", "any", "assumed"),
  A("behaviour.choice.posters", "logit per unit of posters", "any", "assumed; the sources never mention posters"),
  S("behaviour.choice.age", "logit per age band", "0 (finding 6)", "finding 6: no measurable effect"),
  S("behaviour.choice.gender", "logit", "0 (finding 6)", "finding 6"),
  S("behaviour.choice.tech", "logit per level", "0 (finding 6)", "finding 6"),
  A("behaviour.trust.initialMean", "probability", "0 … 1", "assumed"),
  A("behaviour.trust.initialSd", "probability", "0 … 1", "assumed"),
  A("behaviour.trust.success", "share of the gap to 1", "0 … 1", "assumed"),
  A("behaviour.trust.failure", "share of trust lost", "0 … 1", "assumed"),
  A("behaviour.trust.peer", "share of the gap to 1", "0 … 1", "assumed"),
  A("behaviour.trust.staff", "share of the gap to 1", "0 … 1", "assumed"),
  A("behaviour.recommend.intercept", "logit", "any", "assumed"),
  C("behaviour.recommend.use", "logit", "2.5 … 4.5", calibrated),
  A("behaviour.recommend.trust", "logit per unit of trust", "any", "assumed (finding 5: below use)"),
  A("behaviour.recommend.ease", "logit per unit of ease", "any", "assumed (finding 5: below use)"),
  A("behaviour.recommend.shareWithContact", "probability per contact", "0 … 1", "assumed"),
  C("behaviour.intention.intercept", "logit", "−0.3 … 0.6", calibrated),
  A("behaviour.intention.value", "logit per SD of value", "any", "assumed"),
  A("behaviour.intention.trust", "logit per unit of trust", "any", "assumed"),
  A("behaviour.intention.peer", "logit per share of contacts", "any", "assumed"),
  A("behaviour.intention.use", "logit", "any", "assumed"),
  A("behaviour.intention.staff", "logit", "any", "assumed"),
  A("behaviour.intention.aware", "logit", "any", "assumed"),
  A("behaviour.staffAdaptation.up", "share of the gap to 1 per success", "0 … 1", "assumed"),
  A("behaviour.staffAdaptation.down", "share lost per device failure", "0 … 1", "assumed"),
  A("behaviour.humanErrors.forgetOldDocument", "probability", "0 … 1", "assumed"),
  A("behaviour.humanErrors.mistypeCode", "probability", "0 … 1", "assumed"),
  A("behaviour.retryAfterFailure", "probability", "0 … 1", "assumed"),
  A("network.meanDegree", "contacts", "0 … 40", "the study's model notes: 6–10, to sweep"),
  A("network.rewire", "probability", "0 … 1", "assumed (small world)"),
  A("network.meanHouseholdSize", "persons", "1 … 6", "assumed (German households average about 2)"),
  A("network.crossSite", "share of rewired links", "0 … 1", "assumed"),
  L("demand.idCard.holders", "share of adults", "0 … 1", "ID card duty from 16 (PAuswG §1); a few hold only a passport"),
  L("demand.idCard.validityYears", "years", "1 … 20", "10 years (PAuswG §6)"),
  L("demand.idCard.youngValidityYears", "years", "1 … 20", "6 years when issued before 24 (PAuswG §6)"),
  A("demand.idCard.leadDays", "days before expiry", "0 …", "assumed"),
  A("demand.passport.holders", "share of adults", "0 … 1", "assumed"),
  L("demand.passport.validityYears", "years", "1 … 20", "10 years (PassG §5)"),
  L("demand.passport.youngValidityYears", "years", "1 … 20", "6 years when issued before 24 (PassG §5)"),
  A("demand.passport.leadDays", "days before expiry", "0 …", "assumed"),
  S("demand.productionDays", "days", "0 …", "production takes 2–4 weeks"),
  A("demand.otherNeedsPerResidentYear", "per resident and year", "0 …", "assumed (lost, stolen, name change)"),
  A("demand.terminalApplicationsPerUserYear", "per user and year", "0 …", "assumed (the study: applications are rare)"),
  A("demand.passportExtraPerResidentYear", "per resident and year", "0 …", "assumed"),
  A("demand.pickupDelayMeanDays", "days", "0.1 … 30", "assumed"),
  A("demand.neverCollect", "probability", "0 … 1", "assumed"),
  S("survey.size", "respondents", "10 … 100000", "about 300 citizens surveyed"),
  A(
    "survey.equivalenceSize",
    "respondents",
    "0 … 100000",
    "assumed: P3's survey, large enough to show equivalence for every demographic term (2,000–7,000 needed, by use rate)"
  )
]

export interface ParameterRow extends ParameterSpec {
  readonly value: string
  /** Patterns by μ* of this parameter (largest first), when a sensitivity.json was given. */
  readonly sensitivity: ReadonlyArray<{ readonly pattern: string; readonly muStar: number }>
}

const at = (scenario: Scenario, path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), scenario)

const show = (v: unknown): string =>
  v === undefined ? "–" : v === null ? "none" : Array.isArray(v) ? `${v.join(" … ")}` : typeof v === "number" ? String(v) : JSON.stringify(v)

/** The table for a scenario; `sensitivity` adds each pattern's μ* of each parameter. */
export const parameterTable = (scenario: Scenario, sensitivity: ReadonlyArray<Sensitivity> = []): ReadonlyArray<ParameterRow> =>
  parameterSpecs.map((spec) => ({
    ...spec,
    value: show(at(scenario, spec.path)),
    sensitivity: sensitivity
      .flatMap((s) => s.parameters.filter((p) => p.name === spec.path).map((p) => ({ pattern: s.pattern, muStar: p.muStar })))
      .sort((a, b) => b.muStar - a.muStar)
  }))

/** Every numeric parameter path of the scenario's model blocks (what the table must cover). */
export const numericPaths = (scenario: Scenario): ReadonlyArray<string> => {
  const out: Array<string> = []
  const walk = (o: unknown, prefix: string) => {
    if (typeof o === "number") out.push(prefix)
    else if (Array.isArray(o)) {
      if (o.every((x) => typeof x === "number")) out.push(prefix)
    } else if (o !== null && typeof o === "object") {
      for (const [k, v] of Object.entries(o)) walk(v, prefix === "" ? k : `${prefix}.${k}`)
    }
  }
  for (const block of ["behaviour", "network", "demand", "staffPropensity", "survey"] as const) walk(scenario[block], block)
  return out.filter((p) => p !== "demand.seasonality") // a shape, documented in the ODD (7.1)
}

/** The table as Markdown. */
export const parameterMarkdown = (rows: ReadonlyArray<ParameterRow>): string => {
  const sens = rows.some((r) => r.sensitivity.length > 0)
  const header = ["parameter", "value", "unit", "range", "provenance", "source", ...(sens ? ["sensitivity (pattern μ*)"] : [])]
  const body = rows.map((r) => [
    r.path,
    r.value,
    r.unit,
    r.range,
    r.provenance,
    r.source,
    ...(sens ? [r.sensitivity.slice(0, 3).map((s) => `${s.pattern} ${s.muStar.toFixed(3)}`).join(", ") || "–"] : [])
  ])
  const line = (cells: ReadonlyArray<string>) => `| ${cells.join(" | ")} |`
  return [line(header), line(header.map(() => "---")), ...body.map(line)].join("\n")
}
