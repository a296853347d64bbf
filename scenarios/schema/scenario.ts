/**
 * The scenario file: sites, terminal configuration, demand, the adoption
 * model's behaviour parameters, social network settings, faults, survey,
 * start, duration, seed. Fields a preset need not change have defaults, so a
 * scenario file is short; unknown keys are refused.
 */
import { Schema } from "effect"
import { DateText, DurationText, NonNegative, opt, Probability, Site } from "./sites.ts"

const Coefficient = Schema.Number.pipe(Schema.finite())
const Range = Schema.Tuple(NonNegative, NonNegative).pipe(Schema.filter(([a, b]) => a <= b || "the range's lower end is above its upper end"))
const Months = Schema.Array(NonNegative).pipe(Schema.itemsCount(12))

export const TerminalSetup = Schema.Struct({
  compartments: opt(Schema.Int.pipe(Schema.between(1, 400)), 24),
  /** Catalogue ids offered at the terminal (defaults are the examples of core/domain/catalogue.ts). */
  services: opt(Schema.Array(Schema.String), ["document-return", "dog-registration", "grave-monument", "water-pipe-burst"]),
  /** Minutes a citizen occupies the terminal. */
  pickupMinutes: opt(Schema.Number.pipe(Schema.between(0.5, 60)), 3),
  applicationMinutes: opt(Schema.Number.pipe(Schema.between(0.5, 60)), 8)
})

const Document = Schema.Struct({
  /** Share of adults (16+) holding this document. */
  holders: Probability,
  validityYears: opt(Schema.Number.pipe(Schema.between(1, 20)), 10),
  /** Validity when issued before age 24. */
  youngValidityYears: opt(Schema.Number.pipe(Schema.between(1, 20)), 6),
  /** Days before expiry at which people apply, uniform in [lo, hi]. */
  leadDays: opt(Range, [0, 60])
})

export const Demand = Schema.Struct({
  idCard: opt(Document, { holders: 0.97, validityYears: 10, youngValidityYears: 6, leadDays: [0, 60] }),
  passport: opt(Document, { holders: 0.45, validityYears: 10, youngValidityYears: 6, leadDays: [0, 90] }),
  /** Production time from application to "ready", uniform days. */
  productionDays: opt(Range, [14, 28]),
  /** Lost, stolen, name change …: extra document applications per resident and year. */
  otherNeedsPerResidentYear: opt(NonNegative, 0.012),
  /** Applications filed at the terminal per experienced user and year (dog registration, water pipe …). */
  terminalApplicationsPerUserYear: opt(NonNegative, 0.04),
  /** Monthly weights (Jan..Dec) of the extra demand below and of other needs. */
  seasonality: opt(Months, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
  /** Extra passport applications per resident and year (holiday travel), spread by seasonality. */
  passportExtraPerResidentYear: opt(NonNegative, 0.004),
  /** Days from "ready" to the citizen coming, exponential with this mean. */
  pickupDelayMeanDays: opt(Schema.Number.pipe(Schema.between(0.1, 30)), 2.5),
  /** Share of documents not collected before they expire (21 days) and go back to the office. */
  neverCollect: opt(Probability, 0.01)
})
export type Demand = typeof Demand.Type

export const Behaviour = Schema.Struct({
  choice: opt(
    Schema.Struct({
      intercept: Coefficient,
      value: Coefficient,
      staff: Coefficient,
      peer: Coefficient,
      trust: Coefficient,
      habit: Coefficient,
      access: Coefficient,
      wait: Coefficient,
      posters: Coefficient,
      age: opt(Coefficient, 0),
      gender: opt(Coefficient, 0),
      tech: opt(Coefficient, 0)
    }),
    { intercept: -6.352, value: 0.6, staff: 5.432, peer: 12.337, trust: 1.5, habit: 6.181, access: 0.8, wait: 0.02, posters: 0.6, age: 0, gender: 0, tech: 0 }
  ),
  trust: opt(
    Schema.Struct({
      initialMean: Probability,
      initialSd: Probability,
      success: Probability,
      failure: Probability,
      peer: Probability,
      staff: Probability
    }),
    { initialMean: 0.45, initialSd: 0.15, success: 0.3, failure: 0.35, peer: 0.08, staff: 0.05 }
  ),
  recommend: opt(
    Schema.Struct({
      intercept: Coefficient,
      use: Coefficient,
      trust: Coefficient,
      ease: Coefficient,
      /** Chance that a willing user tells a given contact after a use. */
      shareWithContact: Probability
    }),
    { intercept: -2.2, use: 2.696, trust: 1.2, ease: 0.3, shareWithContact: 0.5 }
  ),
  intention: opt(
    Schema.Struct({
      intercept: Coefficient,
      value: Coefficient,
      trust: Coefficient,
      peer: Coefficient,
      use: Coefficient,
      staff: Coefficient,
      aware: Coefficient
    }),
    { intercept: 0.225, value: 1.2, trust: 2, peer: 1, use: 2, staff: 0.8, aware: 0.3 }
  ),
  staffAdaptation: opt(Schema.Struct({ up: Probability, down: Probability }), { up: 0.0003, down: 0.01 }),
  humanErrors: opt(Schema.Struct({ forgetOldDocument: Probability, mistypeCode: Probability }), { forgetOldDocument: 0.04, mistypeCode: 0.08 }),
  /** Failed pickups: chance to try the terminal again rather than ask at the counter. */
  retryAfterFailure: opt(Probability, 0.6)
})
export type Behaviour = typeof Behaviour.Type

export const Network = Schema.Struct({
  kind: opt(Schema.Literal("small-world", "households-only"), "small-world"),
  meanDegree: opt(Schema.Int.pipe(Schema.between(0, 40)), 8),
  rewire: opt(Probability, 0.1),
  meanHouseholdSize: opt(Schema.Number.pipe(Schema.between(1, 6)), 2.1),
  /** Share of rewired links that go to another site. */
  crossSite: opt(Probability, 0.1),
  /** Off: nobody tells anybody (the spiral's social channel cut). */
  peerInfluence: opt(Schema.Boolean, true)
})

export const Outage = Schema.Struct({ site: Schema.String, from: DateText, to: DateText })

export const Faults = Schema.Struct({
  /** A compartment's lock jams: per terminal and year; repaired after repairHours. */
  jamsPerYear: opt(NonNegative, 2),
  repairHours: opt(NonNegative, 48),
  lockerOfflinePerYear: opt(NonNegative, 1),
  lockerOfflineHours: opt(NonNegative, 12),
  smsOutagesPerYear: opt(NonNegative, 1),
  smsOutageHours: opt(NonNegative, 6),
  cardOfflinePerYear: opt(NonNegative, 1),
  cardOfflineHours: opt(NonNegative, 12),
  outages: opt(Schema.Array(Outage), [])
})

export const Demographics = Schema.Struct({
  /** Shares of the age bands 0-15, 16-23, 24-44, 45-64, 65+. */
  ageBands: opt(Schema.Array(NonNegative).pipe(Schema.itemsCount(5)), [0.16, 0.08, 0.25, 0.3, 0.21]),
  female: opt(Probability, 0.51),
  /** Shares of low, medium, high prior technology experience. */
  techExperience: opt(Schema.Array(NonNegative).pipe(Schema.itemsCount(3)), [0.3, 0.45, 0.25])
})

export const Survey = Schema.Struct({
  size: opt(Schema.Int.pipe(Schema.between(10, 100000)), 300),
  /** occasion: residents who had a document occasion during the pilot (citizens met at the offices); all: anyone. */
  sample: opt(Schema.Literal("occasion", "all"), "occasion"),
  /**
   * A second, larger survey of the same population for P3 alone (0: none): the study's "no age,
   * gender or technology effect" is tested as equivalence (TOST), which a survey of 300 has no
   * power for (analytics/power.ts). Written as survey-equivalence.csv.
   */
  equivalenceSize: opt(Schema.Int.pipe(Schema.between(0, 100000)), 10000)
})

/**
 * The clerks' propensity to recommend, as a county-level distribution: each
 * site draws its own per replicate, logistic(logitMean + logitSd · z) with z
 * standard normal, from a stream of its own. When set, the sites'
 * `staff.recommend` values are not used. The sources say that one site
 * reaches about 28 % and another stays under 1 %, not which: a distribution
 * calibrated against that, rather than six hand-set numbers.
 */
export const StaffPropensity = Schema.Struct({
  logitMean: Coefficient,
  logitSd: Schema.Number.pipe(Schema.between(0, 10))
})
export type StaffPropensity = typeof StaffPropensity.Type

export const Scenario = Schema.Struct({
  name: opt(Schema.String.pipe(Schema.minLength(1)), "scenario"),
  description: opt(Schema.String, ""),
  /** Defaults: a calendar year from 1 January 2024 (a leap year, with every weekday and holiday). */
  start: opt(DateText, "2024-01-01"),
  duration: opt(DurationText, "1 year"),
  seed: opt(Schema.Int.pipe(Schema.nonNegative()), 1),
  utcOffsetHours: opt(Schema.Number.pipe(Schema.between(-12, 14)), 1),
  /** Public holidays: the region's (rlp: Rhineland-Palatinate, none) plus extra dates. */
  holidays: opt(Schema.Struct({ region: opt(Schema.Literal("rlp", "none"), "rlp"), extra: opt(Schema.Array(DateText), []) }), { region: "rlp", extra: [] }),
  sites: Schema.Array(Site).pipe(
    Schema.minItems(1),
    Schema.filter((sites) => {
      const seen = new Set<string>()
      for (const [i, s] of sites.entries()) {
        if (seen.has(s.name)) return { path: [i, "name"], message: `site name "${s.name}" is used twice` }
        seen.add(s.name)
      }
      return true
    })
  ),
  terminal: opt(TerminalSetup, {
    compartments: 24,
    services: ["document-return", "dog-registration", "grave-monument", "water-pipe-burst"],
    pickupMinutes: 3,
    applicationMinutes: 8
  }),
  demand: opt(Demand, Schema.decodeSync(Demand)({})),
  behaviour: opt(Behaviour, Schema.decodeSync(Behaviour)({})),
  network: opt(Network, Schema.decodeSync(Network)({})),
  faults: opt(Faults, Schema.decodeSync(Faults)({})),
  demographics: opt(Demographics, Schema.decodeSync(Demographics)({})),
  survey: opt(Survey, { size: 300, sample: "occasion", equivalenceSize: 10000 }),
  staffPropensity: opt(Schema.NullOr(StaffPropensity), null)
}).pipe(Schema.filter((s) => {
  const names = new Set(s.sites.map((x) => x.name))
  for (const [i, o] of s.faults.outages.entries()) {
    if (!names.has(o.site)) return { path: ["faults", "outages", i, "site"], message: `no site named "${o.site}"` }
  }
  return true
}))
export type Scenario = typeof Scenario.Type
export type ScenarioInput = typeof Scenario.Encoded
