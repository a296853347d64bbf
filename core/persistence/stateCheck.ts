/**
 * State against log: the orders and compartments tables must tell the story
 * the event log tells. Someone who edits a table with SQL (an order marked
 * collected to cover a document taken out by hand, a collected order set back
 * to ready) leaves a table the log contradicts, even when the log itself is
 * intact. `checkState` is pure, so it also runs over copies and exports.
 *
 * Only sound checks: each one follows from a status change and its event being
 * written in one transaction (or from a status that never goes back), so a
 * normal run, restarts and reconciliation included, gives no finding. Changes
 * whose event is written after the status commits (reminded, expired) are not
 * required to have their event.
 */
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import { CompartmentsRepo } from "./CompartmentsRepo.ts"
import type { EventRow } from "./EventLog.ts"
import { OrdersRepo } from "./OrdersRepo.ts"

export interface OrderState {
  readonly id: string
  readonly status: string
}

export interface CompartmentState {
  readonly id: number
  readonly state: string
  readonly order_id: string | null
}

export interface StateTables {
  readonly orders: ReadonlyArray<OrderState>
  readonly compartments: ReadonlyArray<CompartmentState>
}

/** The tables as stored, through their repositories. */
export const readStateTables: Effect.Effect<StateTables, SqlError, OrdersRepo | CompartmentsRepo> = Effect.gen(function*() {
  const orders = yield* (yield* OrdersRepo).statusesAsStored
  const compartments = yield* (yield* CompartmentsRepo).holdingsAsStored
  return { orders, compartments }
})

const afterLoad = ["loaded", "reminded", "locked", "collected", "expired", "returned"]

/** What each event says about its order's status from then on, and how to say it. */
const constraints: Record<string, { readonly allowed: ReadonlyArray<string>; readonly says: string }> = {
  OrderLoaded: { allowed: afterLoad, says: "was loaded" },
  OrderExpired: { allowed: ["expired", "returned"], says: "expired" },
  DocumentTaken: { allowed: ["collected"], says: "was collected" },
  OrderReturned: { allowed: ["returned"], says: "went back to the office" },
  CounterHandover: { allowed: ["counter"], says: "was handed over at the counter" },
  OrderCancelled: { allowed: ["cancelled", "expired", "returned"], says: "was cancelled by the office" }
}

/** The events each status cannot be reached without (written in the transaction that sets it). */
const required: Record<string, ReadonlyArray<string>> = {
  loaded: ["OrderLoaded"],
  reminded: ["OrderLoaded"],
  locked: ["OrderLoaded", "OrderLocked"],
  expired: ["OrderLoaded"],
  collected: ["OrderLoaded", "DocumentTaken"],
  returned: ["OrderLoaded", "OrderReturned"],
  counter: ["CounterHandover"],
  cancelled: ["OrderCancelled"]
}
const known = new Set(["announced", ...Object.keys(required)])
const closing = ["DocumentTaken", "OrderReturned", "CounterHandover"]

const orderIdOf = (row: EventRow): string | undefined => {
  try {
    const data = JSON.parse(row.data) as { readonly orderId?: unknown }
    return typeof data.orderId === "string" ? data.orderId : undefined
  } catch {
    return undefined // a row that is not JSON is the chain check's finding
  }
}

/** One sentence per contradiction between the tables and the log (rows in stored order). */
export const checkState = (tables: StateTables, rows: ReadonlyArray<EventRow>): ReadonlyArray<string> => {
  const findings: Array<string> = []
  // per order: the last row of each relevant type
  const seen = new Map<string, Map<string, number>>()
  const relevant = new Set(["OrderAnnounced", "OrderLocked", ...Object.keys(constraints)])
  for (const row of rows) {
    if (!relevant.has(row.type)) continue
    const id = orderIdOf(row)
    if (id === undefined) continue
    const events = seen.get(id) ?? new Map<string, number>()
    events.set(row.type, row.seq)
    seen.set(id, events)
  }
  const inTable = new Set(tables.orders.map((o) => o.id))
  for (const order of tables.orders) {
    const events = seen.get(order.id) ?? new Map<string, number>()
    if (!known.has(order.status)) {
      findings.push(`order ${order.id} has the status "${order.status}", which the terminal never writes`)
      continue
    }
    const missing = (required[order.status] ?? []).filter((t) => !events.has(t))
    if (missing.length > 0) {
      findings.push(`order ${order.id} is ${order.status}, but the log has no ${missing.join(" or ")} for it`)
      continue
    }
    // the latest event that rules the status out names the contradiction
    const against = [...events.entries()]
      .filter(([type]) => constraints[type] !== undefined && !constraints[type]!.allowed.includes(order.status))
      .sort(([, a], [, b]) => b - a)[0]
    if (against !== undefined) {
      const [type, seq] = against
      findings.push(`order ${order.id} is ${order.status}, but the log says it ${constraints[type]!.says} (${type} at seq ${seq})`)
    }
  }
  for (const [id, events] of seen) {
    const announced = events.get("OrderAnnounced")
    if (announced !== undefined && !inTable.has(id)) {
      findings.push(`order ${id}, announced at seq ${announced}, is missing from the orders table`)
    }
  }
  for (const c of tables.compartments) {
    if (c.order_id === null) continue
    const events = seen.get(c.order_id)
    const closed = events === undefined ? undefined : closing.map((t) => [t, events.get(t)] as const).find(([, seq]) => seq !== undefined)
    if (closed !== undefined) {
      findings.push(`compartment ${c.id} (${c.state}) still holds order ${c.order_id}, which the log closed (${closed[0]} at seq ${closed[1]})`)
    }
  }
  return findings
}
