/**
 * After a restart (a crash, a power cut): read every board, close out what
 * was half done against what the sensors say, and tell staff about anything
 * that does not add up. Never opens a door.
 *
 *   sessions still open         -> ended ("restart")
 *   compartment reserved        -> loading never opened the door: free again
 *   compartment open, pickup    -> document gone: collected; still there: ready again
 *   compartment open, load      -> document in and door shut: staff confirm; else free again
 *   compartment open, return    -> document gone: staff confirm the return; else loaded again
 *   door open anywhere          -> door-left-open alarm
 *   loaded but empty            -> reconciliation alarm (document missing)
 *   free but occupied           -> reconciliation alarm (item where none should be)
 *   board not answering         -> device-offline alarm
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { channelKey, Layout } from "../domain/compartment.ts"
import type { AlarmKind } from "../domain/events.ts"
import { type CompartmentId, SessionId } from "../domain/ids.ts"
import { collectable, finalStatuses } from "../domain/order.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { LockerBank } from "../ports/LockerBank.ts"
import { Alarms } from "./Alarms.ts"
import { Compartments } from "./Compartments.ts"
import { Orders } from "./Orders.ts"
import { isoOf, nowMillis } from "./support.ts"

export interface Finding {
  readonly compartmentId: CompartmentId | null
  readonly finding: string
  readonly alarm: AlarmKind | null
}

export class Reconciliation extends Effect.Service<Reconciliation>()("amtomat/Reconciliation", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const locker = yield* LockerBank
    const layout = yield* Layout
    const log = yield* EventLog
    const alarms = yield* Alarms
    const compartments = yield* Compartments
    const orders = yield* Orders

    const run = Effect.fn("Reconciliation.run")(function*() {
      const findings: Array<Finding> = []
      const note = (compartmentId: CompartmentId | null, finding: string, alarm: AlarmKind | null) =>
        Effect.gen(function*() {
          findings.push({ compartmentId, finding, alarm })
          yield* log.append({ _tag: "ReconciliationFinding", compartmentId, finding })
          if (alarm !== null) yield* alarms.raise(alarm, compartmentId, finding)
        })

      const now = yield* nowMillis
      const open = yield* sql<{ id: string; order_id: string | null; opened: number }>`SELECT id, order_id, opened FROM sessions WHERE ended_at IS NULL`
      for (const s of open) {
        yield* sql`UPDATE sessions SET ended_at = ${now}, end_reason = 'restart' WHERE id = ${s.id}`
        yield* log.append({ _tag: "CardSessionEnded", sessionId: SessionId.make(s.id), reason: "restart" })
      }
      const pickupSessions = new Map(open.filter((s) => s.opened === 1 && s.order_id !== null).map((s) => [s.order_id!, s.id]))

      const snapshot = yield* Effect.either(locker.snapshot)
      if (snapshot._tag === "Left") {
        yield* note(null, `locker bus not readable at start: ${snapshot.left.message}`, "device_offline")
        return findings
      }
      const sensed = new Map(snapshot.right.map((s) => [channelKey(s.channel), s]))
      const offline = new Set(snapshot.right.filter((s) => s.door === "unknown").map((s) => s.channel.board))
      for (const board of offline) yield* note(null, `locker board ${board} does not answer`, "device_offline")
      for (const s of snapshot.right) yield* compartments.recordSensors(s.channel.board, s.channel.lock, s.door, s.item)

      for (const c of yield* compartments.all) {
        const s = sensed.get(channelKey(c.channel))
        if (!s || s.door === "unknown") continue
        const id = c.id
        const order = c.orderId === null ? null : yield* orders.get(c.orderId)
        if (c.state === "reserved") {
          yield* sql`UPDATE compartments SET state = 'free', order_id = NULL WHERE id = ${id}`
          if (order) {
            yield* sql`UPDATE orders SET compartment_id = NULL WHERE id = ${order.id} AND status = 'announced'`
            yield* log.append({ _tag: "LoadAborted", orderId: order.id, compartmentId: id, reason: "restart before the door opened" })
          }
        } else if (order && finalStatuses.includes(order.status)) {
          // the order was closed but its compartment not yet released when the terminal stopped
          yield* sql`UPDATE compartments SET state = ${s.door === "closed" ? "free" : "open"}, order_id = NULL, purpose = NULL WHERE id = ${id}`
          yield* note(id, `compartment ${id} still recorded order ${order.id} (${order.status}); released`, s.item === true ? "reconciliation" : null)
        } else if (c.state === "open" && c.purpose === "pickup" && order) {
          if (s.item === false && collectable.includes(order.status)) {
            const session = pickupSessions.get(order.id)
            yield* sql.withTransaction(Effect.gen(function*() {
              yield* orders.transition(order.id, collectable, "collected", { closed_at: isoOf(now) })
              yield* sql`UPDATE compartments SET state = ${s.door === "closed" ? "free" : "open"}, order_id = NULL, purpose = NULL WHERE id = ${id}`
              yield* log.append({ _tag: "DocumentTaken", orderId: order.id, compartmentId: id })
              if (session) {
                yield* log.append({ _tag: "PickupCompleted", sessionId: SessionId.make(session), orderId: order.id, documentKind: order.documentKind, durationMs: 0 })
              }
            }))
            yield* note(id, `pickup of order ${order.id} interrupted by a restart; the document was taken: collected`, null)
          } else {
            yield* compartments.transition(id, ["open"], "loaded", order.id)
            yield* note(id, `pickup of order ${order.id} interrupted by a restart; the document is still inside`, null)
          }
        } else if (c.state === "open" && c.purpose === "load" && order) {
          if (s.item === true && s.door === "closed") {
            yield* note(id, `loading of order ${order.id} interrupted by a restart; document inside: confirm the load`, "reconciliation")
          } else if (s.item !== true) {
            yield* sql`UPDATE compartments SET state = 'free', order_id = NULL, purpose = NULL WHERE id = ${id}`
            yield* sql`UPDATE orders SET compartment_id = NULL WHERE id = ${order.id} AND status = 'announced'`
            yield* log.append({ _tag: "LoadAborted", orderId: order.id, compartmentId: id, reason: "restart with an empty compartment" })
          }
        } else if (c.state === "open" && c.purpose === "return" && order) {
          if (s.item === false) yield* note(id, `return of order ${order.id} interrupted by a restart; compartment empty: confirm the return`, "reconciliation")
          else yield* compartments.transition(id, ["open"], "loaded", order.id)
        } else if (c.state === "open" && order === null && s.door === "closed" && s.item === false) {
          yield* sql`UPDATE compartments SET state = 'free', purpose = NULL WHERE id = ${id}`
        } else if (c.state === "loaded" && s.item === false) {
          yield* note(id, `compartment ${id} should hold order ${c.orderId} but reads empty`, "reconciliation")
        } else if (c.state === "free" && s.item === true) {
          yield* note(id, `compartment ${id} should be empty but holds an item`, "reconciliation")
        }
        if (s.door === "open") yield* note(id, `compartment ${id} is open at start`, "door_left_open")
      }
      const intake = sensed.get(channelKey(layout.intake))
      if (intake?.door === "open") yield* note(null, "the intake flap is open at start", "door_left_open")
      return findings
    })

    return { run } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default, Compartments.Default, Orders.Default]
}) {}
