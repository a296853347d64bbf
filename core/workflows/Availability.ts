/**
 * What the kiosk can offer right now, from cached state only (no bus poll):
 * which services work with the devices that are there, and which doors the
 * server is watching. A kiosk page that loads shows this instead of assuming
 * a quiet terminal: "Abholung zurzeit nicht möglich" while the locker bus is
 * down, "please close compartment 6" while a door stands open.
 */
import { Effect, Schema } from "effect"
import { Device, OpenPurpose } from "../domain/events.ts"
import { CompartmentId } from "../domain/ids.ts"
import { DeviceStatus } from "../ports/DeviceStatus.ts"
import { DoorWatch } from "./DoorWatch.ts"

/** The devices each service of the kiosk cannot do without. */
export const serviceNeeds = {
  pickup: ["locker", "card", "sms"],
  applications: ["card", "scanner"]
} as const satisfies Record<string, ReadonlyArray<typeof Device.Type>>

export const ServiceState = Schema.Struct({
  available: Schema.Boolean,
  /** the devices it needs that are down */
  missing: Schema.Array(Device)
})

export const KioskStatus = Schema.Struct({
  services: Schema.Struct({ pickup: ServiceState, applications: ServiceState }),
  /** doors the server watches now: the kiosk shows the matching screen */
  doors: Schema.Array(Schema.Struct({
    compartmentId: Schema.NullOr(CompartmentId),
    purpose: OpenPurpose,
    phase: Schema.Literal("hands", "close"),
    since: Schema.Number
  }))
})
export type KioskStatus = typeof KioskStatus.Type

export class Availability extends Effect.Service<Availability>()("amtomat/Availability", {
  effect: Effect.gen(function*() {
    const devices = yield* DeviceStatus
    const doors = yield* DoorWatch

    const status = Effect.gen(function*() {
      const current = yield* devices.current
      // a device counts as down when it, or any part of it (a locker board), is down
      const down = new Set(current.filter((h) => !h.up).map((h) => h.device))
      const state = (needs: ReadonlyArray<typeof Device.Type>) => {
        const missing = needs.filter((d) => down.has(d))
        return { available: missing.length === 0, missing }
      }
      return {
        services: { pickup: state(serviceNeeds.pickup), applications: state(serviceNeeds.applications) },
        doors: yield* doors.current
      } satisfies KioskStatus
    }).pipe(Effect.withSpan("Availability.status"))

    return { status } as const
  }),
  dependencies: [DoorWatch.Default]
}) {}
