/**
 * Device failures and alarms per site.
 *
 * A device failure is a `DeviceStatusChanged` to offline (per device), a door
 * that did not open (`CompartmentOpenFailed`), a card that could not be read
 * (`CardReadFailed`), a text that could not be sent (`NotificationFailed`) or
 * an application the office never received (`ApplicationDeliveryFailed`).
 * Offline hours run from a device going offline to it coming back, or to the
 * end of the log. Alarms are counted by kind.
 *
 * One site's figures are a fold (`SiteReliability`), read at any point with
 * the end of the log so far; `reliability` folds a whole log.
 */
import { AlarmKind, Device } from "../core/domain/events.ts"
import { type EventRecord, Tally } from "./records.ts"

export interface Reliability {
  readonly site: string
  readonly offline: Readonly<Record<Device, number>>
  readonly offlineHours: Readonly<Record<Device, number>>
  readonly doorOpenFailures: number
  readonly cardReadFailures: number
  readonly smsFailures: number
  readonly deliveryFailures: number
  readonly compartmentsOutOfService: number
  /** Every failure above, together. */
  readonly deviceFailures: number
  readonly alarms: Readonly<Record<AlarmKind, number>>
  readonly alarmsTotal: number
}

const zeros = <K extends string>(keys: ReadonlyArray<K>): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>
const HOUR = 3_600_000

/** Whether an event is one of the device failures defined above. */
export const isDeviceFailure = (r: EventRecord): boolean => {
  switch (r.event._tag) {
    case "DeviceStatusChanged":
      return !r.event.online
    case "CompartmentOpenFailed":
    case "CardReadFailed":
    case "NotificationFailed":
    case "ApplicationDeliveryFailed":
      return true
    default:
      return false
  }
}

/** The figures of one site as a fold: its records in time order, each with its time in ms. */
export class SiteReliability {
  private readonly count = new Tally()
  private readonly offline = zeros(Device.literals)
  /** Hours of the outages that have ended. */
  private readonly offlineHours = zeros(Device.literals)
  /** Devices offline now, since when. */
  private readonly since = new Map<Device, number>()
  private readonly alarms = zeros(AlarmKind.literals)
  private failures = 0

  add(r: EventRecord, ms: number): void {
    const e = r.event
    this.count.add(e._tag)
    if (isDeviceFailure(r)) this.failures += 1
    if (e._tag === "AlarmRaised") this.alarms[e.kind] += 1
    if (e._tag !== "DeviceStatusChanged") return
    if (!e.online) {
      this.offline[e.device] += 1
      if (!this.since.has(e.device)) this.since.set(e.device, ms)
    } else if (this.since.has(e.device)) {
      this.offlineHours[e.device] += (ms - this.since.get(e.device)!) / HOUR
      this.since.delete(e.device)
    }
  }

  /** The figures with outages still open running to `endMs`, the end of the log. */
  reliability(site: string, endMs: number): Reliability {
    const hours = { ...this.offlineHours }
    for (const [device, t] of this.since) hours[device] += Math.max(0, endMs - t) / HOUR
    const count = this.count
    return {
      site,
      offline: { ...this.offline },
      offlineHours: hours,
      doorOpenFailures: count.get("CompartmentOpenFailed"),
      cardReadFailures: count.get("CardReadFailed"),
      smsFailures: count.get("NotificationFailed"),
      deliveryFailures: count.get("ApplicationDeliveryFailed"),
      compartmentsOutOfService: count.get("CompartmentOutOfService"),
      deviceFailures: this.failures,
      alarms: { ...this.alarms },
      alarmsTotal: count.get("AlarmRaised")
    }
  }
}

/** One row per site, in the order given; `records` in time order. */
export const reliability = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<Reliability> => {
  const bySite = new Map(sites.map((s) => [s, new SiteReliability()]))
  for (const r of records) bySite.get(r.site)?.add(r, Date.parse(r.at))
  const endMs = records.length > 0 ? Date.parse(records[records.length - 1]!.at) : 0
  return sites.map((site) => bySite.get(site)!.reliability(site, endMs))
}
