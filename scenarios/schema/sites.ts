/**
 * Scenario file, part one: the sites — population, the counter with its
 * opening hours, the terminal and its access conditions, staff and posters —
 * and the shared field types (dates, durations, opening intervals).
 */
import { Schema } from "effect"

export const opt = <S extends Schema.Schema.Any>(schema: S, value: Schema.Schema.Type<S>) => Schema.optionalWith(schema, { default: () => value, exact: true })

export const Probability = Schema.Number.pipe(Schema.between(0, 1))
export const NonNegative = Schema.Number.pipe(Schema.nonNegative())

/** A calendar date, YYYY-MM-DD. */
export const DateText = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "a date must look like 2024-04-01" }),
  Schema.filter((s) => !isNaN(Date.parse(`${s}T00:00:00Z`)) || "is not a calendar date")
)

/** "913 days", "2.5 years", "6 months", "3 weeks". */
export const DurationText = Schema.String.pipe(
  Schema.pattern(/^\d+(\.\d+)? (day|days|week|weeks|month|months|year|years)$/, {
    message: () => "a duration must look like \"2.5 years\", \"6 months\" or \"30 days\""
  })
)
export const durationDays = (text: string): number => {
  const [n, unit] = text.split(" ") as [string, string]
  const factor = unit.startsWith("day") ? 1 : unit.startsWith("week") ? 7 : unit.startsWith("month") ? 30.4375 : 365.25
  return Math.max(1, Math.round(Number(n) * factor))
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
export const parseInterval = (s: string): readonly [number, number] => [minutesOf(s.slice(0, 5)), minutesOf(s.slice(6, 11))]

const Interval = Schema.String.pipe(
  Schema.pattern(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, {
    message: () => "an opening interval must look like 07:30-12:00"
  }),
  Schema.filter((s) => parseInterval(s)[0] < parseInterval(s)[1] || "closes before it opens")
)

/** One day's opening intervals; a lunch break is the gap between two intervals. */
const DayHours = Schema.Array(Interval).pipe(Schema.filter((xs) => {
  const sorted = xs.map((x) => ({ x, i: parseInterval(x) })).sort((a, b) => a.i[0] - b.i[0])
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k]!.i[0] < sorted[k - 1]!.i[1]) return `opening hours overlap: ${sorted[k - 1]!.x} and ${sorted[k]!.x}`
  }
  return true
}))

const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const
export type Weekday = typeof weekdays[number]
export { weekdays }

export const OpeningHours = Schema.Struct({
  mon: opt(DayHours, []),
  tue: opt(DayHours, []),
  wed: opt(DayHours, []),
  thu: opt(DayHours, []),
  fri: opt(DayHours, []),
  sat: opt(DayHours, []),
  sun: opt(DayHours, [])
})
export type OpeningHours = typeof OpeningHours.Type

const mayenHours: OpeningHours = {
  mon: ["07:30-12:00", "13:00-16:00"],
  tue: ["07:30-12:00", "13:00-16:00"],
  wed: ["07:30-12:00", "13:00-16:00"],
  thu: ["07:30-12:00", "13:00-16:00"],
  fri: ["07:30-13:00"],
  sat: [],
  sun: []
}

export const Counter = Schema.Struct({
  servers: opt(Schema.Int.pipe(Schema.between(1, 50)), 3),
  serviceMinutes: opt(Schema.Number.pipe(Schema.between(1, 120)), 12),
  /** Counter business other than ID documents (registrations, certificates …), visits per open day. */
  otherVisitsPerDay: opt(NonNegative, 20),
  hours: opt(OpeningHours, mayenHours)
})

export const Access = Schema.Struct({
  /** The door opens with a bank card (container, bank lobby). */
  bankCardEntry: opt(Schema.Boolean, true),
  /** Effort to get there and in, 0 (on the way anyway) .. 1 (a trip of its own). */
  effort: opt(Probability, 0.4),
  /** How visible the terminal is to passers-by, 0..1. */
  visibility: opt(Probability, 0.4)
})

export const SiteTerminal = Schema.Struct({
  /** The day the unit went into service; before it, every document goes over the counter. */
  start: DateText,
  location: opt(Schema.Literal("town-hall", "container", "bank-lobby", "shopping-centre"), "town-hall"),
  access: opt(Access, { bankCardEntry: true, effort: 0.4, visibility: 0.4 }),
  /** Overrides the terminal's compartment count at this site. */
  compartments: Schema.optional(Schema.Int.pipe(Schema.between(1, 400)))
})

export const Site = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  population: Schema.Int.pipe(Schema.positive()),
  counter: opt(Counter, { servers: 3, serviceMinutes: 12, otherVisitsPerDay: 20, hours: mayenHours }),
  terminal: Schema.NullOr(SiteTerminal),
  staff: opt(
    Schema.Struct({
      /** Probability that a clerk recommends the terminal at the moment of choice: the key heterogeneous parameter. */
      recommend: Probability,
      /** Whether the propensity adapts to successes and complaints. */
      adaptive: opt(Schema.Boolean, true)
    }),
    { recommend: 0.1, adaptive: true }
  ),
  /** Posters and notices at the office, 0 (none) .. 1 (everywhere). */
  posters: opt(Probability, 0.5)
})
export type Site = typeof Site.Type
