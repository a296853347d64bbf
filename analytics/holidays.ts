/**
 * Public holidays of Rhineland-Palatinate: computed in core/domain (the
 * scenario calendar uses the same), looked up here by date.
 */
import { holidaysRhinelandPalatinate } from "../core/domain/holidays.ts"

export { easterSunday, type Holiday, holidaysRhinelandPalatinate } from "../core/domain/holidays.ts"

const byYear = new Map<number, ReadonlySet<string>>()

/** Whether "YYYY-MM-DD" is a public holiday in Rhineland-Palatinate. */
export const isHolidayRP = (date: string): boolean => {
  const year = Number(date.slice(0, 4))
  let set = byYear.get(year)
  if (set === undefined) {
    set = new Set(holidaysRhinelandPalatinate(year).map((h) => h.date))
    byYear.set(year, set)
  }
  return set.has(date)
}
