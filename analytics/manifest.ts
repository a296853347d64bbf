/**
 * What the report takes from a scenario run's manifest.json: the scenario's
 * name and each site's counter (servers, mean service minutes, other visits
 * per day, opening hours), read leniently — anything missing falls back to
 * the report's settings.
 */
import type { AnalyticsConfig, QueueConfig } from "./config.ts"
import { openFractions, weekSchedule } from "./officeHours.ts"
import { minutesOf } from "./time.ts"

type Json = Record<string, unknown>
const obj = (v: unknown): Json | null => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : null)
const positive = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null)

/** The scenario's name: `scenario` as a string, or `scenario.name`, or `name`. */
export const scenarioName = (manifest: unknown): string | null => {
  const m = obj(manifest)
  if (m === null) return null
  const s = m["scenario"] ?? m["name"]
  if (typeof s === "string") return s
  const nested = obj(s)?.["name"]
  return typeof nested === "string" ? nested : null
}

/** Open minutes and open days per week of hours like { mon: ["07:30-12:00", "13:00-16:00"], … }; null when unreadable. */
export const openWeek = (hours: unknown): { readonly minutes: number; readonly days: number } | null => {
  const h = obj(hours)
  if (h === null) return null
  let minutes = 0
  let days = 0
  for (const spans of Object.values(h)) {
    if (!Array.isArray(spans)) return null
    let day = 0
    for (const span of spans) {
      const match = typeof span === "string" ? /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(span) : null
      if (match === null) return null
      day += Math.max(0, minutesOf(match[2]!) - minutesOf(match[1]!))
    }
    minutes += day
    if (day > 0) days += 1
  }
  return { minutes, days }
}

/**
 * Per-site counters from `parameters.sites[].counter` ({ servers,
 * serviceMinutes, otherVisitsPerDay, hours }). Other visits per day become
 * arrivals per open hour: visits × open days / open hours of the week (the
 * report's office hours when the site gives none).
 */
export const siteQueuesFromManifest = (manifest: unknown, config: AnalyticsConfig): Readonly<Record<string, QueueConfig>> => {
  const base = config.queue
  const fractions = openFractions(weekSchedule(config.officeHours))
  const fallbackWeek = {
    minutes: fractions.reduce((a, b) => a + b, 0) * 60,
    days: new Set(fractions.flatMap((f, slot) => (f > 0 ? [Math.floor(slot / 24)] : []))).size
  }
  const params = obj(obj(manifest)?.["parameters"] ?? null) ?? obj(obj(manifest)?.["scenario"] ?? null)
  const sites = params?.["sites"]
  if (!Array.isArray(sites)) return {}
  const out: Record<string, QueueConfig> = {}
  for (const raw of sites) {
    const site = obj(raw)
    const counter = obj(site?.["counter"] ?? null)
    if (site === null || counter === null || typeof site["name"] !== "string") continue
    const week = openWeek(counter["hours"]) ?? fallbackWeek
    const visits = positive(counter["otherVisitsPerDay"])
    out[site["name"]] = {
      ...base,
      servers: positive(counter["servers"]) ?? base.servers,
      serviceMinutes: positive(counter["serviceMinutes"]) ?? base.serviceMinutes,
      otherArrivalsPerHour: visits !== null && week.minutes > 0 ? (visits * week.days) / (week.minutes / 60) : base.otherArrivalsPerHour
    }
  }
  return out
}
