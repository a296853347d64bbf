/**
 * Pickup orders in the database. Status changes are conditional updates:
 * they succeed only from the expected status, so a race loses cleanly.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { NotFound } from "../domain/errors.ts"
import { CompartmentId, OrderId, PickupNumber } from "../domain/ids.ts"
import { type OrderStatus, PickupOrder } from "../domain/order.ts"
import { DocumentKind, type HeightBand, PhoneNumber, type SizeClass } from "../domain/values.ts"

export interface OrderRow {
  id: string
  pickup_number: string
  document_kind: string
  phone: string | null
  requires_old_document: number
  size: SizeClass
  prefer_band: HeightBand | null
  status: OrderStatus
  compartment_id: number | null
  created_at: string
  loaded_at: string | null
  reminded_at: string | null
  closed_at: string | null
  failed_attempts: number
}

export const toOrder = (r: OrderRow) =>
  new PickupOrder({
    id: OrderId.make(r.id),
    pickupNumber: PickupNumber.make(r.pickup_number),
    documentKind: DocumentKind.make(r.document_kind),
    // After retention the phone number is gone; the order keeps its history.
    phone: r.phone === null ? null : PhoneNumber.make(r.phone),
    requiresOldDocument: r.requires_old_document === 1,
    size: r.size,
    preferBand: r.prefer_band,
    status: r.status,
    compartmentId: r.compartment_id === null ? null : CompartmentId.make(r.compartment_id),
    createdAt: r.created_at,
    loadedAt: r.loaded_at,
    remindedAt: r.reminded_at,
    closedAt: r.closed_at,
    failedAttempts: r.failed_attempts
  })

export class Orders extends Effect.Service<Orders>()("amtomat/Orders", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const find = (id: OrderId) => Effect.map(sql<OrderRow>`SELECT * FROM orders WHERE id = ${id}`, (rows) => Option.map(Option.fromNullable(rows[0]), toOrder))

    const get = Effect.fn("Orders.get")(function*(id: OrderId) {
      const found = yield* find(id)
      if (Option.isNone(found)) return yield* new NotFound({ resource: "order", id, message: `no order ${id}` })
      return found.value
    })

    const byPickupNumber = (n: string) =>
      Effect.map(sql<OrderRow>`SELECT * FROM orders WHERE pickup_number = ${n}`, (rows) => Option.map(Option.fromNullable(rows[0]), toOrder))

    const list = (filter: { readonly status?: OrderStatus | undefined; readonly search?: string | undefined }) =>
      Effect.map(
        sql<OrderRow>`SELECT * FROM orders WHERE ${
          sql.and([
            filter.status ? sql`status = ${filter.status}` : sql`1 = 1`,
            filter.search ? sql`(pickup_number LIKE ${`%${filter.search}%`} OR id = ${filter.search})` : sql`1 = 1`
          ])
        } ORDER BY created_at DESC LIMIT 500`,
        (rows) => rows.map(toOrder)
      )

    /** Changes the status only if the order is in one of `from`; true when it did. */
    const transition = (id: OrderId, from: ReadonlyArray<OrderStatus>, to: OrderStatus, extra: Record<string, unknown> = {}) =>
      Effect.map(
        sql<OrderRow>`UPDATE orders SET ${sql.update({ status: to, ...extra })} WHERE id = ${id} AND ${sql.in("status", from)} RETURNING *`,
        (rows) => rows.length === 1
      )

    /** An announced order loses the compartment it was reserved (a load called off). */
    const detachAnnounced = (id: OrderId) => sql`UPDATE orders SET compartment_id = NULL WHERE id = ${id} AND status = 'announced'`

    return { find, get, byPickupNumber, list, transition, detachAnnounced } as const
  })
}) {}
