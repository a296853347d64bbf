/**
 * Device failures and alarms per site.
 *
 * A device failure is a `DeviceStatusChanged` to offline (per device), a door
 * that did not open (`CompartmentOpenFailed`), a card that could not be read
 * (`CardReadFailed`), a text that could not be sent (`NotificationFailed`) or
 * an application the office never received (`ApplicationDeliveryFailed`).
 * Offline hours run from a device going offline to it coming back, or to the
 * end of the log. Alarms are counted by kind.
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

const reliabilityOf = (site: string, records: ReadonlyArray<EventRecord>, endMs: number): Reliability => {
  const offline = zeros(Device.literals)
  const hours = zeros(Device.literals)
  const since = new Map<Device, number>()
  const alarms = zeros(AlarmKind.literals)
  const count = new Tally()
  for (const r of records) {
    const e = r.event
    count.add(e._tag)
    if (e._tag === "AlarmRaised") alarms[e.kind] += 1
    if (e._tag !== "DeviceStatusChanged") continue
    const t = Date.parse(r.at)
    if (!e.online) {
      offline[e.device] += 1
      if (!since.has(e.device)) since.set(e.device, t)
    } else if (since.has(e.device)) {
      hours[e.device] += (t - since.get(e.device)!) / 3_600_000
      since.delete(e.device)
    }
  }
  for (const [device, t] of since) hours[device] += Math.max(0, endMs - t) / 3_600_000
  const failures = Object.values(offline).reduce((a, b) => a + b, 0) +
    count.get("CompartmentOpenFailed") + count.get("CardReadFailed") +
    count.get("NotificationFailed") + count.get("ApplicationDeliveryFailed")
  return {
    site,
    offline,
    offlineHours: hours,
    doorOpenFailures: count.get("CompartmentOpenFailed"),
    cardReadFailures: count.get("CardReadFailed"),
    smsFailures: count.get("NotificationFailed"),
    deliveryFailures: count.get("ApplicationDeliveryFailed"),
    compartmentsOutOfService: count.get("CompartmentOutOfService"),
    deviceFailures: failures,
    alarms,
    alarmsTotal: count.get("AlarmRaised")
  }
}

/** One row per site, in the order given; `records` in time order. */
export const reliability = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<Reliability> => {
  const endMs = records.length > 0 ? Date.parse(records[records.length - 1]!.at) : 0
  return sites.map((site) => reliabilityOf(site, records.filter((r) => r.site === site), endMs))
}
