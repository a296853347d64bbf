/**
 * Simulated time: minutes since the scenario's start (local midnight), days,
 * weekdays, months, public holidays, and each site's opening hours with the
 * lunch break. Times are written out as UTC with the scenario's offset.
 */
import { holidaysRhinelandPalatinate } from "../../core/domain/holidays.ts"
import { type OpeningHours, parseInterval, weekdays } from "../schema/sites.ts"

export const DAY = 1440
const MS_DAY = 86_400_000

/** Public holidays of Rhineland-Palatinate in a year, as YYYY-MM-DD (computed in core/domain). */
export const rlpHolidays = (y: number): ReadonlyArray<string> => holidaysRhinelandPalatinate(y).map((h) => h.date)

export class Calendar {
  readonly startMs: number
  readonly weekday: Uint8Array
  readonly month: Uint8Array
  readonly holiday: Uint8Array
  constructor(
    start: string,
    readonly days: number,
    readonly utcOffsetHours: number,
    holidays: { readonly region: "rlp" | "none"; readonly extra: ReadonlyArray<string> }
  ) {
    this.startMs = Date.parse(`${start}T00:00:00Z`)
    this.weekday = new Uint8Array(days + 1)
    this.month = new Uint8Array(days + 1)
    this.holiday = new Uint8Array(days + 1)
    const names = new Set(holidays.extra)
    if (holidays.region === "rlp") {
      const y0 = new Date(this.startMs).getUTCFullYear()
      for (let y = y0; y <= y0 + Math.ceil(days / 365) + 1; y++) for (const h of rlpHolidays(y)) names.add(h)
    }
    for (let d = 0; d <= days; d++) {
      const date = new Date(this.startMs + d * MS_DAY)
      this.weekday[d] = (date.getUTCDay() + 6) % 7
      this.month[d] = date.getUTCMonth()
      this.holiday[d] = names.has(date.toISOString().slice(0, 10)) ? 1 : 0
    }
  }
  /** The day index of a date (may be negative or past the end). */
  dayOf(date: string): number {
    return Math.round((Date.parse(`${date}T00:00:00Z`) - this.startMs) / MS_DAY)
  }
  dateOf(day: number): string {
    return new Date(this.startMs + day * MS_DAY).toISOString().slice(0, 10)
  }
  /** Epoch milliseconds (UTC) of a simulated time in minutes. */
  epochMs(t: number): number {
    return Math.round(this.startMs + t * 60_000 - this.utcOffsetHours * 3_600_000)
  }
  iso(t: number): string {
    return new Date(this.epochMs(t)).toISOString()
  }
}

/** A site's opening hours, resolved to minute intervals per weekday. */
export class Hours {
  private readonly intervals: ReadonlyArray<ReadonlyArray<readonly [number, number]>>
  readonly weeklyMinutes: number
  constructor(hours: OpeningHours, private readonly calendar: Calendar) {
    this.intervals = weekdays.map((d) => hours[d].map(parseInterval).sort((a, b) => a[0] - b[0]))
    this.weeklyMinutes = this.intervals.reduce((s, xs) => s + xs.reduce((t, [a, b]) => t + b - a, 0), 0)
  }
  on(day: number): ReadonlyArray<readonly [number, number]> {
    if (day < 0 || day > this.calendar.days || this.calendar.holiday[day] === 1) return []
    return this.intervals[this.calendar.weekday[day]!]!
  }
  /** Whether the counter is open at minute-of-week `how` (0 = Monday 00:00), holidays aside. */
  openAtWeekMinute(how: number): boolean {
    const d = Math.floor(how / DAY)
    const m = how - d * DAY
    return this.intervals[d]!.some(([a, b]) => m >= a && m < b)
  }
  /** The first open minute at or after t; Infinity when the calendar ends first. */
  nextOpen(t: number): number {
    for (let day = Math.floor(t / DAY); day <= this.calendar.days; day++) {
      for (const [a, b] of this.on(day)) {
        const from = day * DAY + a
        if (t < day * DAY + b) return Math.max(t, from)
      }
    }
    return Infinity
  }
  /** A uniformly drawn open minute of the first open day at or after `day`; Infinity past the end. */
  timeOnOrAfter(day: number, u: number): number {
    for (let d = Math.max(0, day); d <= this.calendar.days; d++) {
      const xs = this.on(d)
      const total = xs.reduce((s, [a, b]) => s + b - a, 0)
      if (total === 0) continue
      let x = u * total
      for (const [a, b] of xs) {
        if (x < b - a) return d * DAY + a + x
        x -= b - a
      }
    }
    return Infinity
  }
}
