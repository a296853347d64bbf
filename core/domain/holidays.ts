/**
 * Public holidays of Rhineland-Palatinate (the district's state), computed
 * from the year: the fixed dates and the Easter-based ones (Good Friday,
 * Easter Monday, Ascension, Whit Monday, Corpus Christi). Sundays count as
 * weekend, not as holidays, so Easter and Whit Sunday are not listed.
 * Shared by the scenario calendar and the analytics' office hours.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** "YYYY-MM-DD" plus `days` calendar days. */
const addDays = (date: string, days: number): string => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d + days))
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

export interface Holiday {
  readonly date: string
  readonly name: string
}

/** Easter Sunday of the Gregorian calendar (anonymous algorithm, Meeus/Jones/Butcher), "YYYY-MM-DD". */
export const easterSunday = (year: number): string => {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`
}

/** The public holidays of Rhineland-Palatinate in `year`, in calendar order. */
export const holidaysRhinelandPalatinate = (year: number): ReadonlyArray<Holiday> => {
  const y = String(year).padStart(4, "0")
  const easter = easterSunday(year)
  const list: Array<Holiday> = [
    { date: `${y}-01-01`, name: "Neujahr" },
    { date: addDays(easter, -2), name: "Karfreitag" },
    { date: addDays(easter, 1), name: "Ostermontag" },
    { date: `${y}-05-01`, name: "Tag der Arbeit" },
    { date: addDays(easter, 39), name: "Christi Himmelfahrt" },
    { date: addDays(easter, 50), name: "Pfingstmontag" },
    { date: addDays(easter, 60), name: "Fronleichnam" },
    { date: `${y}-10-03`, name: "Tag der Deutschen Einheit" },
    { date: `${y}-11-01`, name: "Allerheiligen" },
    { date: `${y}-12-25`, name: "1. Weihnachtstag" },
    { date: `${y}-12-26`, name: "2. Weihnachtstag" }
  ]
  return list.sort((p, q) => (p.date < q.date ? -1 : p.date > q.date ? 1 : 0))
}
