/**
 * Office hours of the citizens' office next to a terminal: when a use of the
 * terminal counts as "outside office hours", and which hours of the week the
 * counter queue is open. Default: the Mayen citizens' office, Mon–Thu
 * 07:30–16:00 and Fri 07:30–13:00, lunch break 12:00–13:00 on Mon–Thu (on
 * Friday it would end the day at 12:00), closed on weekends and holidays.
 */
import { isHolidayRP } from "./holidays.ts"
import { type LocalTime, minutesOf, type Weekday } from "./time.ts"

export interface OfficeHours {
  /** Opening hours per weekday ("HH:MM"); a weekday not listed is closed. */
  readonly weekly: ReadonlyArray<{ readonly day: Weekday; readonly open: string; readonly close: string }>
  /** A break inside the opening hours on the listed weekdays, or null for none. */
  readonly lunchBreak: { readonly from: string; readonly to: string; readonly days: ReadonlyArray<Weekday> } | null
  /** Closed on public holidays (Rhineland-Palatinate). */
  readonly closedOnHolidays: boolean
}

export const mayenOfficeHours: OfficeHours = {
  weekly: [
    { day: 0, open: "07:30", close: "16:00" },
    { day: 1, open: "07:30", close: "16:00" },
    { day: 2, open: "07:30", close: "16:00" },
    { day: 3, open: "07:30", close: "16:00" },
    { day: 4, open: "07:30", close: "13:00" }
  ],
  lunchBreak: { from: "12:00", to: "13:00", days: [0, 1, 2, 3] },
  closedOnHolidays: true
}

/** Open intervals in minutes after midnight, [from, to), per weekday (index 0 = Monday). */
export type WeekSchedule = ReadonlyArray<ReadonlyArray<readonly [number, number]>>

export const weekSchedule = (hours: OfficeHours): WeekSchedule =>
  [0, 1, 2, 3, 4, 5, 6].map((day) => {
    const spans: Array<readonly [number, number]> = hours.weekly
      .filter((w) => w.day === day)
      .map((w) => [minutesOf(w.open), minutesOf(w.close)] as const)
    const lunch = hours.lunchBreak
    if (lunch === null || !lunch.days.includes(day as Weekday)) return spans
    const [from, to] = [minutesOf(lunch.from), minutesOf(lunch.to)]
    return spans.flatMap(([a, b]): Array<readonly [number, number]> =>
      [[a, Math.min(b, from)] as const, [Math.max(a, to), b] as const].filter(([x, y]) => y > x)
    )
  })

export interface TimeClass {
  readonly inOfficeHours: boolean
  readonly weekend: boolean
  readonly holiday: boolean
}

/** Classifies a local time: open office hours, weekend, public holiday. */
export const classifyTime = (t: LocalTime, schedule: WeekSchedule, hours: OfficeHours): TimeClass => {
  const holiday = isHolidayRP(t.date)
  const minute = t.hour * 60 + t.minute
  const open = !(holiday && hours.closedOnHolidays) &&
    (schedule[t.weekday] ?? []).some(([from, to]) => minute >= from && minute < to)
  return { inOfficeHours: open, weekend: t.weekday >= 5, holiday }
}

/** Share of each hour of the week (168 slots) during which the office is open, 0 … 1; holidays ignored. */
export const openFractions = (schedule: WeekSchedule): ReadonlyArray<number> =>
  Array.from({ length: 168 }, (_, slot) => {
    const day = Math.floor(slot / 24)
    const start = (slot % 24) * 60
    const open = (schedule[day] ?? []).reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, start + 60) - Math.max(from, start)), 0)
    return open / 60
  })

/** Parses "12:00-13:00" or "none" (the CLI's --lunch-break). */
export const parseLunchBreak = (text: string, base: OfficeHours = mayenOfficeHours): OfficeHours => {
  if (text.trim() === "none") return { ...base, lunchBreak: null }
  const match = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(text.trim())
  if (match === null) throw new RangeError(`lunch break: expected HH:MM-HH:MM or none, got "${text}"`)
  const [from, to] = [match[1]!, match[2]!]
  if (minutesOf(to) <= minutesOf(from)) throw new RangeError(`lunch break: ${to} is not after ${from}`)
  return { ...base, lunchBreak: { from, to, days: base.lunchBreak?.days ?? [0, 1, 2, 3] } }
}
