/**
 * When the terminal is used: the hour-of-week profile (local time, Monday
 * 00:00 first) and the shares of uses outside office hours, on weekends and on
 * public holidays.
 */
import type { AnalyticsConfig } from "./config.ts"
import { classifyTime, weekSchedule } from "./officeHours.ts"
import { localOf, ratio } from "./records.ts"
import type { Use } from "./usage.ts"

export interface TimingProfile {
  readonly site: string
  readonly uses: number
  /** 168 counts, index weekday × 24 + hour, Monday = 0. */
  readonly hourOfWeek: ReadonlyArray<number>
  readonly outsideOfficeHours: number
  readonly weekend: number
  readonly holiday: number
  /** On a Saturday, Sunday or public holiday. */
  readonly weekendOrHoliday: number
  readonly shareOutsideOfficeHours: number | null
  readonly shareWeekend: number | null
  readonly shareHoliday: number | null
  readonly shareWeekendOrHoliday: number | null
}

/** Counts per hour of the week of the given instants. */
export const hourOfWeekCounts = (items: ReadonlyArray<{ readonly at: string }>, timeZone: string): ReadonlyArray<number> => {
  const counts = new Array<number>(168).fill(0)
  for (const item of items) counts[localOf(item, timeZone).hourOfWeek]! += 1
  return counts
}

const profile = (site: string, uses: ReadonlyArray<Use>, config: AnalyticsConfig): TimingProfile => {
  const schedule = weekSchedule(config.officeHours)
  let outside = 0
  let weekend = 0
  let holiday = 0
  let either = 0
  for (const u of uses) {
    const c = classifyTime(localOf(u, config.timeZone), schedule, config.officeHours)
    if (!c.inOfficeHours) outside += 1
    if (c.weekend) weekend += 1
    if (c.holiday) holiday += 1
    if (c.weekend || c.holiday) either += 1
  }
  return {
    site,
    uses: uses.length,
    hourOfWeek: hourOfWeekCounts(uses, config.timeZone),
    outsideOfficeHours: outside,
    weekend,
    holiday,
    weekendOrHoliday: either,
    shareOutsideOfficeHours: ratio(outside, uses.length),
    shareWeekend: ratio(weekend, uses.length),
    shareHoliday: ratio(holiday, uses.length),
    shareWeekendOrHoliday: ratio(either, uses.length)
  }
}

/** One profile per site, in the order given. */
export const timingBySite = (
  uses: ReadonlyArray<Use>,
  sites: ReadonlyArray<string>,
  config: AnalyticsConfig
): ReadonlyArray<TimingProfile> => sites.map((site) => profile(site, uses.filter((u) => u.site === site), config))

/** The profile of all sites together (site "all"). */
export const timingOverall = (uses: ReadonlyArray<Use>, config: AnalyticsConfig): TimingProfile => profile("all", uses, config)
