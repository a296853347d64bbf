/**
 * Compartments out of service and back, and the supervisor's override open.
 */
import { Effect } from "effect"
import { Conflict, DeviceUnavailable, InvalidInput } from "../domain/errors.ts"
import type { CompartmentId, StaffId } from "../domain/ids.ts"
import { CompartmentsRepo } from "../persistence/CompartmentsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { LockerBank } from "../ports/LockerBank.ts"

const MIN_REASON = 10

export class Maintenance extends Effect.Service<Maintenance>()("amtomat/Maintenance", {
  effect: Effect.gen(function*() {
    const compartments = yield* CompartmentsRepo
    const locker = yield* LockerBank
    const log = yield* EventLog

    const needReason = (reason: string) =>
      reason.trim().length < MIN_REASON
        ? Effect.fail(
          new InvalidInput({
            field: "reason",
            problem: `must say why, in at least ${MIN_REASON} characters`,
            message: `reason: must say why, in at least ${MIN_REASON} characters`
          })
        )
        : Effect.void

    const outOfService = Effect.fn("Maintenance.outOfService")(function*(id: CompartmentId, reason: string, by: StaffId) {
      yield* needReason(reason)
      const c = yield* compartments.get(id)
      if (c.state === "out_of_service") return c
      if (c.state === "open" || c.state === "reserved") {
        return yield* new Conflict({ reason: "CompartmentBusy", message: `compartment ${id} is in use (${c.state})` })
      }
      yield* compartments.setService(id, reason.trim(), "out_of_service")
      yield* log.append({ _tag: "CompartmentOutOfService", compartmentId: id, reason: reason.trim(), by })
      return yield* compartments.get(id)
    })

    /** Back in service only when the door is shut and the contents match the records. */
    const backInService = Effect.fn("Maintenance.backInService")(function*(id: CompartmentId, by: StaffId) {
      const c = yield* compartments.get(id)
      if (c.state !== "out_of_service") return yield* new Conflict({ reason: "WrongState", message: `compartment ${id} is not out of service` })
      const s = yield* locker.status(c.channel).pipe(Effect.mapError((e) => new DeviceUnavailable({ device: "locker", message: e.message })))
      if (s.door !== "closed") return yield* new Conflict({ reason: "CompartmentBusy", message: `close the door of compartment ${id} first` })
      if (s.item === true && c.orderId === null) {
        return yield* new Conflict({ reason: "CompartmentBusy", message: `compartment ${id} holds an item but no order; empty it first` })
      }
      if (s.item === false && c.orderId !== null) {
        return yield* new Conflict({
          reason: "CompartmentBusy",
          message: `compartment ${id} should hold order ${c.orderId} but is empty; return the order first`
        })
      }
      yield* compartments.setService(id, null, c.orderId === null ? "free" : "loaded")
      yield* log.append({ _tag: "CompartmentBackInService", compartmentId: id, by })
      return yield* compartments.get(id)
    })

    /** Opens a door outside any workflow. Needs a reason; always logged. */
    const overrideOpen = Effect.fn("Maintenance.overrideOpen")(function*(id: CompartmentId, reason: string, by: StaffId) {
      yield* needReason(reason)
      const c = yield* compartments.get(id)
      yield* log.append({ _tag: "OverrideOpened", compartmentId: id, by, reason: reason.trim() })
      yield* locker.open(c.channel).pipe(
        Effect.tapError((e) => log.append({ _tag: "CompartmentOpenFailed", compartmentId: id, attempt: 1, reason: e.reason })),
        Effect.mapError((e) => new DeviceUnavailable({ device: "locker", message: `compartment ${id}: ${e.message}` }))
      )
      yield* log.append({ _tag: "CompartmentOpened", compartmentId: id, orderId: c.orderId, purpose: "override" })
      return yield* compartments.get(id)
    })

    return { outOfService, backInService, overrideOpen } as const
  }),
  dependencies: [EventLog.Default, CompartmentsRepo.Default]
}) {}
