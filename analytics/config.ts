/**
 * The analysis settings: the local time zone, the office hours beside the
 * terminals, the counter model for minutes saved and waiting-time relief, and
 * when the P6 pattern (pickups in the first months) is read.
 */
import { mayenOfficeHours, type OfficeHours } from "./officeHours.ts"
import { defaultTimeZone } from "./time.ts"

export interface QueueConfig {
  /** Counter minutes one handover takes (saved when the terminal hands the document out). */
  readonly minutesPerHandover: number
  /** Counter servers (clerks) while the office is open. */
  readonly servers: number
  /** Mean counter minutes of the office's other business. */
  readonly serviceMinutes: number
  /**
   * Arrivals per open hour for the office's other business: one rate for every
   * open hour, or 168 rates, one per hour of the week (Monday 00–01 first).
   */
  readonly otherArrivalsPerHour: number | ReadonlyArray<number>
}

export interface AnalyticsConfig {
  readonly timeZone: string
  readonly officeHours: OfficeHours
  /** The counter model for every site without its own entry in `siteQueues`. */
  readonly queue: QueueConfig
  /** Per-site counters, e.g. from a scenario run's manifest. */
  readonly siteQueues: Readonly<Record<string, QueueConfig>>
  /** P6 reads cumulative terminal pickups at the best site this many months after its first month. */
  readonly p6Months: number
}

export const defaultQueue: QueueConfig = {
  minutesPerHandover: 5,
  servers: 2,
  serviceMinutes: 10,
  otherArrivalsPerHour: 9
}

export const queueOf = (config: AnalyticsConfig, site: string): QueueConfig => config.siteQueues[site] ?? config.queue

export const defaultAnalyticsConfig: AnalyticsConfig = {
  timeZone: defaultTimeZone,
  officeHours: mayenOfficeHours,
  queue: defaultQueue,
  siteQueues: {},
  p6Months: 5
}
