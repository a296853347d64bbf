/**
 * Staff put finished documents into compartments and take uncollected ones
 * back to the office.
 *
 *   announce -> startLoad (compartment assigned atomically, door opens)
 *   -> confirmLoad (document in, door shut) -> "ready" SMS
 *   expired or locked -> startReturn (door opens) -> confirmReturn (document out, door shut)
 *
 * A document still ready for its citizen is taken back only by a supervisor
 * who says why (logged as ReturnAuthorised): a clerk cannot empty a
 * compartment the citizen may be on the way to.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Deferred, Duration, Effect, Option } from "effect"
import { TerminalPolicy } from "../domain/config.ts"
import { Conflict, DeviceUnavailable, Forbidden, InvalidInput, type NotFound } from "../domain/errors.ts"
import type { CompartmentId, OrderId, StaffId } from "../domain/ids.ts"
import { luhnCheckDigit, OrderId as OrderIdSchema, PickupNumber } from "../domain/ids.ts"
import { type AnnounceOrder, inCompartment, PickupOrder, type PickupOrder as Order } from "../domain/order.ts"
import type { Role } from "../domain/staff.ts"
import { CompartmentsRepo } from "../persistence/CompartmentsRepo.ts"
import { CountyOrdersRepo } from "../persistence/CountyOrdersRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { OrdersRepo } from "../persistence/OrdersRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import type { ChannelStatus } from "../ports/LockerBank.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import type { CancelOutcome } from "../protocols/countyOrders.ts"
import { Alarms } from "./Alarms.ts"
import { DoorWatch, recentWatches } from "./DoorWatch.ts"
import { Notifier, texts } from "./Notifier.ts"
import { Sensors } from "./Sensors.ts"
import { isoOf, makeId, nowIso, nowMillis, untilStored } from "./support.ts"

/** Who asks: the signed-in staff member and their role. */
export interface Actor {
  readonly id: StaffId
  readonly role: Role
}

/** A return before expiry must say why, like an override open. */
export const MIN_RETURN_REASON = 10

export class Loading extends Effect.Service<Loading>()("amtomat/Loading", {
  effect: Effect.gen(function*() {
    const transaction = yield* withTransaction
    const config = yield* TerminalPolicy
    const random = yield* SecureRandom
    const log = yield* EventLog
    const orders = yield* OrdersRepo
    const compartments = yield* CompartmentsRepo
    const countyOrders = yield* CountyOrdersRepo
    const notifier = yield* Notifier
    const alarms = yield* Alarms
    const sensors = yield* Sensors
    const doors = yield* DoorWatch

    const wrongState = (message: string) => new Conflict({ reason: "WrongState", message })

    /** A new order from the office: the document is on its way to the terminal. */
    const announce = Effect.fn("Loading.announce")(function*(input: AnnounceOrder) {
      if (!config.documentKinds.includes(input.documentKind)) {
        return yield* new InvalidInput({
          field: "documentKind",
          problem: `must be one of ${config.documentKinds.join(", ")}`,
          message: `documentKind: must be one of ${config.documentKinds.join(", ")}`
        })
      }
      const id = OrderIdSchema.make(yield* makeId("ord"))
      let pickupNumber = ""
      for (;;) {
        const body = yield* random.digits(7)
        pickupNumber = body + String(luhnCheckDigit(body))
        if (Option.isNone(yield* orders.byPickupNumber(pickupNumber))) break
      }
      yield* orders.insert(
        new PickupOrder({
          id,
          pickupNumber: PickupNumber.make(pickupNumber),
          documentKind: input.documentKind,
          phone: input.phone,
          requiresOldDocument: input.requiresOldDocument,
          size: input.size,
          preferBand: input.preferBand,
          status: "announced",
          compartmentId: null,
          createdAt: yield* nowIso,
          loadedAt: null,
          remindedAt: null,
          closedAt: null,
          failedAttempts: 0
        })
      )
      yield* log.append({
        _tag: "OrderAnnounced",
        orderId: id,
        documentKind: input.documentKind,
        requiresOldDocument: input.requiresOldDocument,
        size: input.size
      })
      return yield* orders.get(id)
    })

    const openFor = (compartmentId: CompartmentId, orderId: OrderId, purpose: "load" | "return") =>
      Effect.gen(function*() {
        const c = yield* compartments.get(compartmentId)
        // recorded before the lock is touched: if the database cannot be written, nothing opens
        yield* log.append({ _tag: "UnlockRequested", compartmentId, orderId, purpose })
        const opened = yield* (sensors.tryOpen(c.channel, (attempt, e) =>
          Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId, attempt, reason: e.reason }))))
        if (opened._tag === "Left") {
          const kind = opened.left.reason === "Jammed" ? "jam" as const : "device_offline" as const
          yield* alarms.raise(kind, compartmentId, `compartment ${compartmentId}: ${opened.left.message}`)
          return yield* new DeviceUnavailable({ device: "locker", message: `compartment ${compartmentId} did not open: ${opened.left.message}` })
        }
        yield* log.append({ _tag: "CompartmentOpened", compartmentId, orderId, purpose })
        return c
      })

    /** The loads and returns whose door the server watches, by order: confirmLoad and confirmReturn wait for them. */
    const watches = yield* recentWatches<OrderId, Deferred.Deferred<Order, Conflict | DeviceUnavailable | SqlError | NotFound>>(64)

    /**
     * The server's watch of a door opened by staff: once it is shut, what is
     * inside decides — whatever happens to the staff member's browser. A door
     * still open after `takeSeconds` calls staff.
     */
    const watchStaffDoor = (
      orderId: OrderId,
      compartmentId: CompartmentId,
      purpose: "load" | "return",
      settle: Effect.Effect<Order, Conflict | DeviceUnavailable | SqlError | NotFound>
    ) =>
      Effect.gen(function*() {
        const result = yield* Deferred.make<Order, Conflict | DeviceUnavailable | SqlError | NotFound>()
        // kept after the door is shut, so a confirmation that comes late still gets the answer; a few dozen suffice
        yield* watches.set(orderId, result)
        const c = yield* compartments.get(compartmentId)
        yield* doors.start(
          compartmentId,
          purpose,
          Effect.gen(function*() {
            const shut = yield* sensors.watchFor(c.channel, config.takeSeconds, (s) => s.door === "closed")
            if (Option.isNone(shut)) {
              yield* alarms.raise(
                "door_left_open",
                compartmentId,
                `compartment ${compartmentId} left open while ${purpose === "load" ? "loading" : "returning"}`
              )
              yield* doors.setPhase(compartmentId, "close")
              yield* sensors.watchFor(c.channel, Infinity, (s) => s.door === "closed")
            }
            yield* untilStored(`the ${purpose} of order ${orderId}`, settle).pipe(Effect.onExit((exit) => Deferred.done(result, exit)))
          })
        )
      })

    /** What the door's watch decided, or what `fallback` finds when there is no watch (after a restart). */
    const awaitWatch = <E>(
      orderId: OrderId,
      compartmentId: CompartmentId,
      fallback: Effect.Effect<Order, E | Conflict | DeviceUnavailable | SqlError | NotFound>
    ) =>
      Effect.gen(function*() {
        const watch = yield* watches.get(orderId)
        if (watch === undefined) return yield* fallback
        const done = yield* Deferred.await(watch).pipe(Effect.timeoutOption(Duration.seconds(config.takeSeconds)))
        if (Option.isNone(done)) {
          return yield* new DeviceUnavailable({ device: "locker", message: `compartment ${compartmentId} is still open; close it to finish` })
        }
        return done.value
      })

    /**
     * Puts the loaded document on sale: the order is ready and the citizen told. An order the
     * office cancelled during the load goes straight back instead (expired, no text), and staff
     * are called to take it out.
     */
    const finishLoad = (orderId: OrderId, id: CompartmentId, by: StaffId) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        const cancelled = yield* transaction(Effect.gen(function*() {
          yield* compartments.transition(id, ["open"], "loaded", orderId)
          yield* orders.markLoaded(orderId, { compartmentId: id, loadedAt: isoOf(now) })
          yield* log.append({ _tag: "OrderLoaded", orderId, compartmentId: id, by })
          if (!(yield* countyOrders.cancelRequested(orderId))) return false
          yield* orders.expire(orderId)
          yield* log.append({ _tag: "OrderCancelled", orderId, stage: "loaded" })
          return true
        }))
        if (cancelled) yield* raiseRecalled(orderId, id)
        else yield* notifyReady(orderId)
        return yield* orders.get(orderId)
      })

    const raiseRecalled = (orderId: OrderId, id: CompartmentId) =>
      alarms.raise("order_recalled", id, `the office cancelled order ${orderId}: take its document out of compartment ${id}`)

    /**
     * The office cancelled the order at the county. Not yet in a compartment: closed. Being
     * loaded: decided when the door is shut (pending). In a compartment at rest: no longer
     * collectable, back like an expired one, staff called. A compartment open for a pickup, or a
     * document gone: too late (pending while the door is open, the final status after).
     */
    const cancelFromOffice = Effect.fn("Loading.cancelFromOffice")(function*(orderId: OrderId) {
      const now = yield* nowIso
      const decided = yield* transaction(Effect.gen(function*() {
        const order = yield* orders.get(orderId)
        switch (order.status) {
          case "announced": {
            if (order.compartmentId !== null) {
              yield* countyOrders.requestCancel(orderId)
              return { outcome: "pending" as const, recalledFrom: null }
            }
            yield* orders.close(orderId, ["announced"], "cancelled", now)
            yield* log.append({ _tag: "OrderCancelled", orderId, stage: "announced" })
            return { outcome: "cancelled" as const, recalledFrom: null }
          }
          case "loaded":
          case "reminded":
          case "locked": {
            const c = order.compartmentId === null ? null : yield* compartments.get(order.compartmentId)
            if (c === null || c.state !== "loaded") return { outcome: "pending" as const, recalledFrom: null } // a pickup's door is open
            yield* orders.expire(orderId)
            yield* log.append({ _tag: "OrderCancelled", orderId, stage: "loaded" })
            return { outcome: "recalled" as const, recalledFrom: c.id }
          }
          case "expired":
            return { outcome: "recalled" as const, recalledFrom: null } // on its way back already
          case "cancelled":
            return { outcome: "cancelled" as const, recalledFrom: null }
          default:
            return { outcome: order.status, recalledFrom: null }
        }
      }))
      if (decided.recalledFrom !== null) yield* raiseRecalled(orderId, decided.recalledFrom)
      return decided.outcome satisfies CancelOutcome
    })

    /** The load's door is shut: a document inside means loaded; none means the load is called off. */
    const settleLoad = (orderId: OrderId, id: CompartmentId, by: StaffId, status: ChannelStatus) =>
      Effect.gen(function*() {
        if (status.item !== true) {
          yield* releaseReservation(orderId, id, "door closed without a document")
          return yield* wrongState(`no document detected in compartment ${id}; loading cancelled`)
        }
        return yield* finishLoad(orderId, id, by)
      })

    const statusNow = (compartmentId: CompartmentId) =>
      Effect.flatMap(
        compartments.get(compartmentId),
        (c) => sensors.status(c.channel).pipe(Effect.mapError((e) => new DeviceUnavailable({ device: "locker", message: e.message })))
      )

    /**
     * Assigns a compartment (never double-booked) and opens it for loading.
     * Repeatable while the door is open. With `by`, the server settles the
     * load itself when the door is shut (confirmLoad then only waits for it).
     */
    const startLoad = Effect.fn("Loading.startLoad")(function*(orderId: OrderId, by?: StaffId) {
      const order = yield* orders.get(orderId)
      if (order.status !== "announced") return yield* wrongState(`order ${orderId} is ${order.status}, not announced`)
      if (yield* countyOrders.cancelRequested(orderId)) return yield* wrongState(`the office cancelled order ${orderId}; do not load it`)
      let compartmentId = order.compartmentId
      if (compartmentId === null) {
        const assigned = yield* transaction(Effect.gen(function*() {
          const c = yield* compartments.assign(orderId, order.size, order.preferBand)
          if (Option.isSome(c)) yield* orders.attachCompartment(orderId, c.value.id)
          return c
        }))
        if (Option.isNone(assigned)) {
          return yield* new Conflict({ reason: "NoFreeCompartment", message: `no free compartment of size ${order.size} or larger` })
        }
        compartmentId = assigned.value.id
        yield* log.append({ _tag: "CompartmentAssigned", orderId, compartmentId })
      }
      const id: CompartmentId = compartmentId
      const opened = yield* Effect.either(openFor(id, orderId, "load"))
      if (opened._tag === "Left") {
        yield* releaseReservation(orderId, id, "door did not open")
        return yield* opened.left
      }
      yield* compartments.transition(id, ["reserved"], "open", orderId, "load")
      if (by !== undefined) {
        yield* watchStaffDoor(orderId, id, "load", Effect.flatMap(statusNow(id), (s) => settleLoad(orderId, id, by, s)))
      }
      return yield* compartments.get(id)
    })

    const releaseReservation = (orderId: OrderId, compartmentId: CompartmentId, reason: string) =>
      Effect.gen(function*() {
        yield* orders.detachAnnounced(orderId)
        yield* compartments.transition(compartmentId, ["reserved", "open"], "free", null)
        yield* log.append({ _tag: "LoadAborted", orderId, compartmentId, reason })
      })

    /** Waits for the document to be inside and the door shut; then the order is ready and the citizen told. */
    const confirmLoad = Effect.fn("Loading.confirmLoad")(function*(orderId: OrderId, by: StaffId) {
      const order = yield* orders.get(orderId)
      if ((yield* watches.get(orderId)) !== undefined && order.compartmentId !== null) return yield* awaitWatch(orderId, order.compartmentId, Effect.never)
      if (order.status !== "announced" || order.compartmentId === null) {
        return yield* wrongState(`order ${orderId} is not being loaded`)
      }
      const id: CompartmentId = order.compartmentId
      const c = yield* compartments.get(id)
      if (c.state !== "open") return yield* wrongState(`compartment ${id} has not been opened for loading`)
      return yield* awaitWatch(
        orderId,
        id,
        Effect.gen(function*() {
          const done = yield* sensors.waitFor(c.channel, config.takeSeconds, (s) => s.door === "closed").pipe(
            Effect.mapError((e) => new DeviceUnavailable({ device: "locker", message: e.message }))
          )
          if (Option.isNone(done)) {
            yield* alarms.raise("door_left_open", id, `compartment ${id} left open while loading`)
            return yield* new DeviceUnavailable({ device: "locker", message: `compartment ${id} is still open; close it to finish loading` })
          }
          return yield* settleLoad(orderId, id, by, done.value)
        })
      )
    })

    /** Sends the "ready" text; a failure leaves the order marked for a later retry. */
    const notifyReady = (orderId: OrderId) =>
      Effect.gen(function*() {
        const order = yield* orders.get(orderId)
        if (order.phone === null) return false
        const sent = yield* Effect.either(notifier.send(orderId, "ready", order.phone, texts.ready(order.documentKind, order.pickupNumber)))
        yield* orders.setReadyPending(orderId, sent._tag === "Left")
        return sent._tag === "Right"
      })

    /** The return's door is shut: the document out means returned; still inside means it stays ready. */
    const settleReturn = (orderId: OrderId, id: CompartmentId, by: StaffId, status: ChannelStatus) =>
      Effect.gen(function*() {
        if (status.item !== false) {
          yield* compartments.transition(id, ["open"], "loaded", orderId)
          return yield* wrongState(`the document is still in compartment ${id}`)
        }
        const now = yield* nowMillis
        yield* transaction(Effect.gen(function*() {
          yield* orders.close(orderId, inCompartment, "returned", isoOf(now))
          yield* compartments.vacate(id)
          yield* log.append({ _tag: "OrderReturned", orderId, by })
        }))
        return yield* orders.get(orderId)
      })

    /**
     * Opens the compartment of an expired or locked order so staff can take it
     * back; an order still ready (loaded, reminded) only for a supervisor with
     * a reason. The server settles the return itself when the door is shut.
     */
    const startReturn = Effect.fn("Loading.startReturn")(function*(orderId: OrderId, actor: Actor, reason?: string) {
      const order = yield* orders.get(orderId)
      if (!inCompartment.includes(order.status) || order.compartmentId === null) {
        return yield* wrongState(`order ${orderId} is ${order.status}; nothing to return`)
      }
      const early = order.status !== "expired" && order.status !== "locked"
      if (early) {
        if (actor.role !== "supervisor") {
          return yield* new Forbidden({
            message: `order ${orderId} is still ready for its citizen: only a supervisor can take it back before it expires, saying why`
          })
        }
        const why = (reason ?? "").trim()
        if (why.length < MIN_RETURN_REASON) {
          const problem = `a return before expiry must say why, in at least ${MIN_RETURN_REASON} characters`
          return yield* new InvalidInput({ field: "reason", problem, message: `reason: ${problem}` })
        }
        yield* log.append({ _tag: "ReturnAuthorised", orderId, by: actor.id, reason: why })
      }
      const c = yield* compartments.get(order.compartmentId)
      if (c.state === "loaded" || c.state === "open") yield* compartments.transition(c.id, ["loaded", "open"], "open", orderId, "return")
      yield* openFor(c.id, orderId, "return").pipe(
        Effect.tapError(() => compartments.transition(c.id, ["open"], "loaded", orderId))
      )
      yield* watchStaffDoor(orderId, c.id, "return", Effect.flatMap(statusNow(c.id), (s) => settleReturn(orderId, c.id, actor.id, s)))
      return yield* compartments.get(c.id)
    })

    const confirmReturn = Effect.fn("Loading.confirmReturn")(function*(orderId: OrderId, by: StaffId) {
      const order = yield* orders.get(orderId)
      if ((yield* watches.get(orderId)) !== undefined && order.compartmentId !== null) return yield* awaitWatch(orderId, order.compartmentId, Effect.never)
      if (!inCompartment.includes(order.status) || order.compartmentId === null) {
        return yield* wrongState(`order ${orderId} is ${order.status}; nothing to return`)
      }
      const id: CompartmentId = order.compartmentId
      const c = yield* compartments.get(id)
      return yield* awaitWatch(
        orderId,
        id,
        Effect.gen(function*() {
          const done = yield* sensors.waitFor(c.channel, config.takeSeconds, (s) => s.door === "closed").pipe(
            Effect.mapError((e) => new DeviceUnavailable({ device: "locker", message: e.message }))
          )
          if (Option.isNone(done)) return yield* new DeviceUnavailable({ device: "locker", message: `compartment ${id} is still open` })
          return yield* settleReturn(orderId, id, by, done.value)
        })
      )
    })

    /** A locked order (too many wrong codes) goes back to ready after staff checked the citizen. */
    const release = Effect.fn("Loading.release")(function*(orderId: OrderId, by: StaffId, note?: string) {
      const written = note?.trim() ?? ""
      const ok = yield* transaction(Effect.gen(function*() {
        const changed = yield* orders.release(orderId)
        if (changed) yield* log.append({ _tag: "OrderReleased", orderId, by, ...(written === "" ? {} : { note: written }) })
        return changed
      }))
      if (!ok) return yield* wrongState(`order ${orderId} is not locked`)
      return yield* orders.get(orderId)
    })

    /** The citizen collected at the counter instead (order not yet in a compartment). */
    const counterHandover = Effect.fn("Loading.counterHandover")(function*(orderId: OrderId) {
      const closedAt = yield* nowIso
      // status and event in one transaction, and never for an order that already has a compartment
      // (a load under way): the audit's state check would rightly call that tampering
      const ok = yield* transaction(Effect.gen(function*() {
        const order = yield* orders.get(orderId)
        if (order.compartmentId !== null) return false
        const changed = yield* orders.close(orderId, ["announced"], "counter", closedAt)
        if (changed) yield* log.append({ _tag: "CounterHandover", orderId, documentKind: order.documentKind })
        return changed
      }))
      const order = yield* orders.get(orderId)
      if (!ok) {
        return yield* wrongState(
          `order ${orderId} is ${order.status}${
            order.compartmentId !== null ? ` in compartment ${order.compartmentId}` : ""
          }; only announced orders not yet in a compartment go to the counter`
        )
      }
      return order
    })

    /**
     * Reminders and expiry, run periodically: a reminder after `reminderDays`,
     * expiry after `expiryDays` (the document then goes back to the office),
     * and a retry of "ready" texts that could not be sent.
     */
    const runPolicies = Effect.fn("Loading.runPolicies")(function*() {
      const now = yield* nowMillis
      const day = 86_400_000
      const remindBefore = isoOf(now - config.reminderDays * day)
      const expireBefore = isoOf(now - config.expiryDays * day)
      const toExpire = yield* orders.dueToExpire(expireBefore)
      for (const orderId of toExpire) {
        if (yield* orders.expire(orderId)) yield* log.append({ _tag: "OrderExpired", orderId })
      }
      const toRemind = yield* orders.dueForReminder(remindBefore)
      let reminded = 0
      for (const orderId of toRemind) {
        const order = yield* orders.get(orderId)
        if (order.phone === null) continue
        const sent = yield* Effect.either(notifier.send(orderId, "reminder", order.phone, texts.reminder(order.documentKind, order.pickupNumber)))
        if (sent._tag === "Right" && (yield* orders.markReminded(orderId, isoOf(now)))) {
          yield* log.append({ _tag: "OrderReminded", orderId })
          reminded++
        }
      }
      const pending = yield* orders.readyPending
      for (const orderId of pending) yield* notifyReady(orderId)
      return { expired: toExpire.length, reminded, retried: pending.length }
    })

    return { announce, startLoad, confirmLoad, startReturn, confirmReturn, release, counterHandover, cancelFromOffice, runPolicies } as const
  }),
  dependencies: [
    EventLog.Default,
    OrdersRepo.Default,
    CompartmentsRepo.Default,
    CountyOrdersRepo.Default,
    Notifier.Default,
    Alarms.Default,
    Sensors.Default,
    DoorWatch.Default
  ]
}) {}
