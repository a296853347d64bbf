/**
 * After a restart (a crash, a power cut): read every board, close out what
 * was half done against what the sensors say, and tell staff about anything
 * that does not add up. Never opens a door.
 *
 * Open sessions are ended ("restart"); every compartment is decided by the
 * table in reconciliationTable.ts (every record against every door and item
 * reading, listed in the README); a board not answering is left to the device
 * watch (device-offline alarm); an intake flap open at start calls staff.
 */
import { Effect } from "effect"
import { channelKey, type CompartmentState, Layout } from "../domain/compartment.ts"
import type { AlarmKind } from "../domain/events.ts"
import type { CompartmentId, OrderId, SessionId } from "../domain/ids.ts"
import { collectable, finalStatuses, type OrderStatus } from "../domain/order.ts"
import { CompartmentsRepo, type OpenPurpose } from "../persistence/CompartmentsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { OrdersRepo } from "../persistence/OrdersRepo.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { LockerBank } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { decide, type RecordKind } from "./reconciliationTable.ts"
import { isoOf, nowMillis } from "./support.ts"

/** The record as the table knows it (see reconciliationTable.ts). */
export const recordOf = (state: CompartmentState, purpose: string | null, order: OrderStatus | null): RecordKind => {
  if (order !== null && finalStatuses.includes(order)) return "stale-order"
  switch (state) {
    case "free":
      return "free"
    case "reserved":
      return "reserved"
    case "loaded":
      return order === null ? "free" : "loaded"
    case "out_of_service":
      return order === null ? "out-of-service-empty" : "out-of-service-order"
    case "open":
      if (order === null) return "open-empty"
      // an open compartment with an order and no known purpose is treated like a return: nothing is
      // recorded as collected on a guess
      return purpose === "pickup" ? "pickup" : purpose === "load" ? "load" : "return"
  }
}

export interface Finding {
  readonly compartmentId: CompartmentId | null
  readonly finding: string
  readonly alarm: AlarmKind | null
}

export class Reconciliation extends Effect.Service<Reconciliation>()("amtomat/Reconciliation", {
  effect: Effect.gen(function*() {
    const transaction = yield* withTransaction
    const locker = yield* LockerBank
    const layout = yield* Layout
    const log = yield* EventLog
    const alarms = yield* Alarms
    const compartments = yield* CompartmentsRepo
    const orders = yield* OrdersRepo
    const sessions = yield* SessionsRepo

    const run = Effect.fn("Reconciliation.run")(function*() {
      const findings: Array<Finding> = []
      /** `subject` as the device watch names it, so a board's alarm is raised once, not twice */
      const note = (compartmentId: CompartmentId | null, finding: string, alarm: AlarmKind | null, subject = "") =>
        Effect.gen(function*() {
          findings.push({ compartmentId, finding, alarm })
          yield* log.append({ _tag: "ReconciliationFinding", compartmentId, finding })
          if (alarm !== null) yield* alarms.raise(alarm, compartmentId, finding, subject)
        })

      const now = yield* nowMillis
      const open = yield* sessions.endAllOpen("restart", now)
      for (const s of open) yield* log.append({ _tag: "CardSessionEnded", sessionId: s.id, reason: "restart" })
      const pickupSessions = new Map(
        open.flatMap((s): ReadonlyArray<readonly [OrderId, SessionId]> => s.opened && s.orderId !== null ? [[s.orderId, s.id]] : [])
      )

      const snapshot = yield* Effect.either(locker.snapshot)
      if (snapshot._tag === "Left") {
        yield* note(null, `locker bus not readable at start: ${snapshot.left.message}`, "device_offline", "locker")
        return findings
      }
      const sensed = new Map(snapshot.right.map((s) => [channelKey(s.channel), s]))
      const offline = new Set(snapshot.right.filter((s) => s.door === "unknown").map((s) => s.channel.board))
      for (const board of offline) yield* note(null, `locker board ${board} does not answer`, "device_offline", `locker/board ${board}`)
      for (const s of snapshot.right) yield* compartments.recordSensors(s.channel.board, s.channel.lock, s.door, s.item)

      for (const c of yield* compartments.all) {
        const s = sensed.get(channelKey(c.channel))
        if (!s || s.door === "unknown" || s.item === null) continue
        const id = c.id
        const order = c.orderId === null ? null : yield* orders.get(c.orderId)
        const record = recordOf(c.state, c.purpose, order === null ? null : order.status)
        const d = decide(record, { door: s.door, item: s.item })
        yield* transaction(Effect.gen(function*() {
          if (d.state !== "same") {
            yield* compartments.transition(
              id,
              [c.state],
              d.state,
              d.keepsOrder ? c.orderId : null,
              record === "reserved" ? "load" : c.purpose as OpenPurpose | null
            )
          }
          if (d.state === "out_of_service") {
            yield* compartments.setService(id, "holds an item without an order", "out_of_service")
            yield* log.append({ _tag: "CompartmentOutOfService", compartmentId: id, reason: "holds an item without an order", by: null })
          }
          if (order !== null && d.order === "collected") {
            yield* orders.close(order.id, collectable, "collected", isoOf(now))
            yield* log.append({ _tag: "DocumentTaken", orderId: order.id, compartmentId: id })
            const session = pickupSessions.get(order.id)
            if (session) {
              yield* log.append({
                _tag: "PickupCompleted",
                sessionId: session,
                orderId: order.id,
                documentKind: order.documentKind,
                durationMs: 0
              })
            }
          }
          if (order !== null && d.order === "load-aborted") {
            yield* orders.detachAnnounced(order.id)
            yield* log.append({
              _tag: "LoadAborted",
              orderId: order.id,
              compartmentId: id,
              reason: `restart: ${s.item ? "document inside" : "no document"}, door ${s.door}`
            })
          }
        }))
        if (d.finding !== null) {
          const finding = `compartment ${id} ${d.finding}${order === null ? "" : ` (order ${order.id}, ${order.status})`}`
          findings.push({ compartmentId: id, finding, alarm: d.alarms[0] ?? null })
          yield* log.append({ _tag: "ReconciliationFinding", compartmentId: id, finding })
          for (const alarm of d.alarms) yield* alarms.raise(alarm, id, finding)
        }
      }
      const intake = sensed.get(channelKey(layout.intake))
      if (intake?.door === "open") yield* note(null, "the intake flap is open at start", "door_left_open")
      return findings
    })

    return { run } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, CompartmentsRepo.Default, OrdersRepo.Default, SessionsRepo.Default]
}) {}
