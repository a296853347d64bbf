/**
 * Local time for analytics: office hours, weekends, months and the hour of the
 * week are all wall-clock notions, so every UTC timestamp of the event log is
 * turned into the site's local time (Europe/Berlin by default, daylight saving
 * included) with `Intl.DateTimeFormat`.
 *
 * The zone's UTC offset is looked up once per UTC hour and cached: exact for
 * every zone whose transitions fall on a full UTC hour, as all of Europe's do.
 */

export const defaultTimeZone = "Europe/Berlin"

/** Monday = 0 … Sunday = 6, the order of the hour-of-week profile. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6
export const weekdayNames: ReadonlyArray<string> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

export interface LocalTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly weekday: Weekday
  /** "YYYY-MM-DD" */
  readonly date: string
  /** "YYYY-MM" */
  readonly monthKey: string
  /** 0 … 167: weekday × 24 + hour */
  readonly hourOfWeek: number
  /** Minutes east of UTC at that instant (60 in winter, 120 in summer for Berlin). */
  readonly offsetMinutes: number
}

const HOUR = 3_600_000
const formatters = new Map<string, Intl.DateTimeFormat>()
const offsets = new Map<string, Map<number, number>>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The zone's offset from UTC, in minutes, at the start of the UTC hour holding `ms`. */
const offsetAt = (ms: number, timeZone: string): number => {
  const hourStart = Math.floor(ms / HOUR) * HOUR
  let zone = offsets.get(timeZone)
  if (zone === undefined) {
    zone = new Map()
    offsets.set(timeZone, zone)
  }
  const cached = zone.get(hourStart)
  if (cached !== undefined) return cached
  const parts: Record<string, number> = {}
  for (const p of formatterFor(timeZone).formatToParts(new Date(hourStart))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value)
  }
  const asUtc = Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!)
  const offset = Math.round((asUtc - hourStart) / 60_000)
  if (zone.size > 500_000) zone.clear()
  zone.set(hourStart, offset)
  return offset
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** Local wall-clock time of an instant (ISO 8601 string or epoch milliseconds). */
export const localTime = (at: string | number, timeZone: string = defaultTimeZone): LocalTime => {
  const ms = typeof at === "number" ? at : Date.parse(at)
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(at)}`)
  const offsetMinutes = offsetAt(ms, timeZone)
  const d = new Date(ms + offsetMinutes * 60_000)
  const weekday = ((d.getUTCDay() + 6) % 7) as Weekday
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  const day = d.getUTCDate()
  const hour = d.getUTCHours()
  return {
    year,
    month,
    day,
    hour,
    minute: d.getUTCMinutes(),
    weekday,
    date: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    monthKey: `${pad(year, 4)}-${pad(month)}`,
    hourOfWeek: weekday * 24 + hour,
    offsetMinutes
  }
}

/** Every month key from `first` to `last` inclusive ("2024-01" … "2024-04"). */
export const monthRange = (first: string, last: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  let [y, m] = first.split("-").map(Number) as [number, number]
  const [ly, lm] = last.split("-").map(Number) as [number, number]
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${pad(y, 4)}-${pad(m)}`)
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
  return out
}

/** Calendar date `days` after "YYYY-MM-DD". */
export const addDays = (date: string, days: number): string => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + days))
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** Parses "HH:MM" into minutes after midnight. */
export const minutesOf = (hhmm: string): number => {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm)
  if (match === null) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`)
  const minutes = Number(match[1]) * 60 + Number(match[2])
  if (Number(match[2]) > 59 || minutes > 24 * 60) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`)
  return minutes
}
