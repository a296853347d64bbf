/**
 * When the terminal is used: the hour-of-week profile (local time, Monday
 * 00:00 first) and the shares of uses outside office hours, on weekends and on
 * public holidays.
 *
 * A profile is a fold (`TimingCounts`): each use goes in with its local time
 * and its class (`timeClassifier`), the profile is read at any point.
 */
import type { AnalyticsConfig } from "./config.ts"
import { classifyTime, type TimeClass, weekSchedule } from "./officeHours.ts"
import { localOf, ratio } from "./records.ts"
import type { LocalTime } from "./time.ts"
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

/** The office-hours class of a local time under `config`'s office hours (the week's schedule built once). */
export const timeClassifier = (config: AnalyticsConfig): (t: LocalTime) => TimeClass => {
  const schedule = weekSchedule(config.officeHours)
  return (t) => classifyTime(t, schedule, config.officeHours)
}

/** One timing profile as a fold. */
export class TimingCounts {
  private uses = 0
  private readonly hourOfWeek = new Array<number>(168).fill(0)
  private outside = 0
  private weekend = 0
  private holiday = 0
  private either = 0

  /** Counts a use at local time `t`, of class `c`. */
  count(t: LocalTime, c: TimeClass): void {
    this.uses += 1
    this.hourOfWeek[t.hourOfWeek]! += 1
    if (!c.inOfficeHours) this.outside += 1
    if (c.weekend) this.weekend += 1
    if (c.holiday) this.holiday += 1
    if (c.weekend || c.holiday) this.either += 1
  }

  profile(site: string): TimingProfile {
    return {
      site,
      uses: this.uses,
      hourOfWeek: [...this.hourOfWeek],
      outsideOfficeHours: this.outside,
      weekend: this.weekend,
      holiday: this.holiday,
      weekendOrHoliday: this.either,
      shareOutsideOfficeHours: ratio(this.outside, this.uses),
      shareWeekend: ratio(this.weekend, this.uses),
      shareHoliday: ratio(this.holiday, this.uses),
      shareWeekendOrHoliday: ratio(this.either, this.uses)
    }
  }
}

/** Counts every use into the profile `pick` names for it, if any. */
const countUses = (uses: ReadonlyArray<Use>, config: AnalyticsConfig, pick: (u: Use) => TimingCounts | undefined): void => {
  const classify = timeClassifier(config)
  for (const u of uses) {
    const counts = pick(u)
    if (counts === undefined) continue
    const t = localOf(u, config.timeZone)
    counts.count(t, classify(t))
  }
}

/** One profile per site, in the order given. */
export const timingBySite = (
  uses: ReadonlyArray<Use>,
  sites: ReadonlyArray<string>,
  config: AnalyticsConfig
): ReadonlyArray<TimingProfile> => {
  const bySite = new Map(sites.map((s) => [s, new TimingCounts()]))
  countUses(uses, config, (u) => bySite.get(u.site))
  return sites.map((site) => bySite.get(site)!.profile(site))
}

/** The profile of all sites together (site "all"). */
export const timingOverall = (uses: ReadonlyArray<Use>, config: AnalyticsConfig): TimingProfile => {
  const all = new TimingCounts()
  countUses(uses, config, () => all)
  return all.profile("all")
}
