/**
 * The `orders` table: its only writer. Rows are decoded with Schema into the
 * domain's `PickupOrder` (a row that does not decode is a defect naming the
 * column at fault), and every change of status is a typed method. Status
 * changes are conditional updates: they apply only from the expected status
 * and say whether they did, so of two racing changes exactly one wins.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Schema } from "effect"
import { NotFound } from "../domain/errors.ts"
import { CompartmentId, OrderId } from "../domain/ids.ts"
import { OrderStatus, PickupOrder } from "../domain/order.ts"
import { HeightBand, SizeClass } from "../domain/values.ts"
import { counting, rowsOrDie } from "./rows.ts"

/** A row of `orders` as both dialects return it (`notify_pending` is the repository's own bookkeeping). */
export const OrderRow = Schema.Struct({
  id: Schema.String,
  pickup_number: Schema.String,
  document_kind: Schema.String,
  phone: Schema.NullOr(Schema.String),
  requires_old_document: Schema.Literal(0, 1),
  size: SizeClass,
  prefer_band: Schema.NullOr(HeightBand),
  status: OrderStatus,
  compartment_id: Schema.NullOr(Schema.Int),
  created_at: Schema.String,
  loaded_at: Schema.NullOr(Schema.String),
  reminded_at: Schema.NullOr(Schema.String),
  closed_at: Schema.NullOr(Schema.String),
  failed_attempts: Schema.Int
})

export const OrderFromRow = Schema.transform(OrderRow, PickupOrder, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    pickupNumber: r.pickup_number,
    documentKind: r.document_kind,
    // After retention the phone number is gone; the order keeps its history.
    phone: r.phone,
    requiresOldDocument: r.requires_old_document === 1,
    size: r.size,
    preferBand: r.prefer_band,
    status: r.status,
    compartmentId: r.compartment_id,
    createdAt: r.created_at,
    loadedAt: r.loaded_at,
    remindedAt: r.reminded_at,
    closedAt: r.closed_at,
    failedAttempts: r.failed_attempts
  }),
  encode: (o) => ({
    id: o.id,
    pickup_number: o.pickupNumber,
    document_kind: o.documentKind,
    phone: o.phone,
    requires_old_document: o.requiresOldDocument ? 1 as const : 0 as const,
    size: o.size,
    prefer_band: o.preferBand,
    status: o.status,
    compartment_id: o.compartmentId,
    created_at: o.createdAt,
    loaded_at: o.loadedAt,
    reminded_at: o.remindedAt,
    closed_at: o.closedAt,
    failed_attempts: o.failedAttempts
  })
})

/** The statuses an order is closed in: the document left the terminal's care. */
export type ClosedStatus = "collected" | "returned" | "counter" | "cancelled"

/** What the back office filters the list by. */
export interface OrderFilter {
  readonly status?: OrderStatus | undefined
  readonly search?: string | undefined
}

const Id = Schema.Struct({ id: OrderId })
const Statuses = Schema.Array(OrderStatus)

export class OrdersRepo extends Effect.Service<OrdersRepo>()("amtomat/OrdersRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    /** Retention erases the phone number of an order closed before this time. */
    const phoneDue = (closedBefore: string) =>
      sql`phone IS NOT NULL AND status IN ('collected', 'returned', 'counter', 'cancelled') AND closed_at < ${closedBefore}`

    const find_ = SqlSchema.findOne({ Request: OrderId, Result: OrderFromRow, execute: (id) => sql`SELECT * FROM orders WHERE id = ${id}` })
    const byPickupNumber_ = SqlSchema.findOne({
      Request: Schema.String,
      Result: OrderFromRow,
      execute: (n) => sql`SELECT * FROM orders WHERE pickup_number = ${n}`
    })
    const list_ = SqlSchema.findAll({
      Request: Schema.Struct({ status: Schema.optional(OrderStatus), search: Schema.optional(Schema.String) }),
      Result: OrderFromRow,
      execute: (filter) =>
        sql`SELECT * FROM orders WHERE ${
          sql.and([
            filter.status ? sql`status = ${filter.status}` : sql`1 = 1`,
            filter.search ? sql`(pickup_number LIKE ${`%${filter.search}%`} OR id = ${filter.search})` : sql`1 = 1`
          ])
        } ORDER BY created_at DESC LIMIT 500`
    })
    const insert_ = SqlSchema.void({ Request: OrderFromRow, execute: (row) => sql`INSERT INTO orders ${sql.insert(row)}` })

    /** An UPDATE … RETURNING id: whether it changed the order. */
    const applied = <I, II>(Request: Schema.Schema<I, II>, execute: (request: II) => Effect.Effect<ReadonlyArray<unknown>, SqlError>) => {
      const run = SqlSchema.findAll({ Request, Result: Id, execute })
      return (request: I) => rowsOrDie(Effect.map(run(request), (rows) => rows.length === 1))
    }

    const markLoaded_ = applied(
      Schema.Struct({ id: OrderId, compartmentId: CompartmentId, loadedAt: Schema.String }),
      ({ compartmentId, id, loadedAt }) =>
        sql`UPDATE orders SET status = 'loaded', compartment_id = ${compartmentId}, loaded_at = ${loadedAt}
          WHERE id = ${id} AND status = 'announced' RETURNING id`
    )
    const markReminded_ = applied(
      Schema.Struct({ id: OrderId, remindedAt: Schema.String }),
      ({ id, remindedAt }) => sql`UPDATE orders SET status = 'reminded', reminded_at = ${remindedAt} WHERE id = ${id} AND status = 'loaded' RETURNING id`
    )
    const expire_ = applied(
      OrderId,
      (id) => sql`UPDATE orders SET status = 'expired' WHERE id = ${id} AND status IN ('loaded', 'reminded', 'locked') RETURNING id`
    )
    const lock_ = applied(
      OrderId,
      (id) => sql`UPDATE orders SET status = 'locked' WHERE id = ${id} AND status IN ('loaded', 'reminded') RETURNING id`
    )
    const release_ = applied(
      OrderId,
      (id) => sql`UPDATE orders SET status = 'loaded', failed_attempts = 0 WHERE id = ${id} AND status = 'locked' RETURNING id`
    )
    const close_ = applied(
      Schema.Struct({ id: OrderId, from: Statuses, to: Schema.Literal("collected", "returned", "counter", "cancelled"), closedAt: Schema.String }),
      ({ closedAt, from, id, to }) => sql`UPDATE orders SET status = ${to}, closed_at = ${closedAt} WHERE id = ${id} AND ${sql.in("status", from)} RETURNING id`
    )
    const attachCompartment_ = applied(
      Schema.Struct({ id: OrderId, compartmentId: CompartmentId }),
      ({ compartmentId, id }) => sql`UPDATE orders SET compartment_id = ${compartmentId} WHERE id = ${id} RETURNING id`
    )
    const detachAnnounced_ = applied(
      OrderId,
      (id) => sql`UPDATE orders SET compartment_id = NULL WHERE id = ${id} AND status = 'announced' RETURNING id`
    )

    const recordWrongCode_ = SqlSchema.findOne({
      Request: OrderId,
      Result: Schema.Struct({ failed_attempts: Schema.Int }),
      execute: (id) => sql`UPDATE orders SET failed_attempts = failed_attempts + 1 WHERE id = ${id} RETURNING failed_attempts`
    })
    const resetAttempts_ = SqlSchema.void({ Request: OrderId, execute: (id) => sql`UPDATE orders SET failed_attempts = 0 WHERE id = ${id}` })
    const setReadyPending_ = SqlSchema.void({
      Request: Schema.Struct({ id: OrderId, pending: Schema.Boolean }),
      execute: ({ id, pending }) => sql`UPDATE orders SET notify_pending = ${pending ? "ready" : null} WHERE id = ${id}`
    })

    const ids = <I, II>(Request: Schema.Schema<I, II>, execute: (request: II) => Effect.Effect<ReadonlyArray<unknown>, SqlError>) => {
      const run = SqlSchema.findAll({ Request, Result: Id, execute })
      return (request: I) => rowsOrDie(Effect.map(run(request), (rows) => rows.map((r) => r.id)))
    }
    const dueToExpire_ = ids(
      Schema.String,
      (loadedBefore) => sql`SELECT id FROM orders WHERE status IN ('loaded', 'reminded', 'locked') AND loaded_at < ${loadedBefore}`
    )
    const dueForReminder_ = ids(Schema.String, (loadedBefore) => sql`SELECT id FROM orders WHERE status = 'loaded' AND loaded_at < ${loadedBefore}`)
    const readyPending_ = ids(Schema.Void, () => sql`SELECT id FROM orders WHERE notify_pending = 'ready' AND status IN ('loaded', 'reminded')`)

    const countPhonesDue_ = counting(Schema.String, (closedBefore) => sql`SELECT COUNT(*) AS n FROM orders WHERE ${phoneDue(closedBefore)}`)
    const erasePhones_ = SqlSchema.void({
      Request: Schema.String,
      execute: (closedBefore) => sql`UPDATE orders SET phone = NULL WHERE ${phoneDue(closedBefore)}`
    })

    const statusesAsStored_ = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Schema.Struct({ id: Schema.String, status: Schema.String }),
      execute: () => sql`SELECT id, status FROM orders ORDER BY created_at, id`
    })

    const find = (id: OrderId) => rowsOrDie(find_(id))

    /** The order, or NotFound. */
    const get = Effect.fn("OrdersRepo.get")(function*(id: OrderId) {
      const found = yield* find(id)
      if (Option.isNone(found)) return yield* new NotFound({ resource: "order", id, message: `no order ${id}` })
      return found.value
    })

    return {
      find,
      get,
      byPickupNumber: (pickupNumber: string) => rowsOrDie(byPickupNumber_(pickupNumber)),
      /** The newest 500 orders, by status and by a part of the pickup number (or the whole id). */
      list: (filter: OrderFilter) =>
        rowsOrDie(list_({
          ...(filter.status === undefined ? {} : { status: filter.status }),
          ...(filter.search === undefined ? {} : { search: filter.search })
        })),
      /** A new order (announced, as a rule). */
      insert: (order: PickupOrder) => rowsOrDie(insert_(order)),
      /** announced -> loaded: the document lies in `compartmentId`. */
      markLoaded: (id: OrderId, at: { readonly compartmentId: CompartmentId; readonly loadedAt: string }) => markLoaded_({ id, ...at }),
      /** loaded -> reminded: the reminder text went out. */
      markReminded: (id: OrderId, remindedAt: string) => markReminded_({ id, remindedAt }),
      /** loaded, reminded or locked -> expired: the document goes back to the office. */
      expire: (id: OrderId) => expire_(id),
      /** loaded or reminded -> locked: too many wrong codes. */
      lock: (id: OrderId) => lock_(id),
      /** locked -> loaded, the wrong codes forgiven: staff checked the citizen. */
      release: (id: OrderId) => release_(id),
      /** One of `from` -> a closed status, at `closedAt`. */
      close: (id: OrderId, from: ReadonlyArray<OrderStatus>, to: ClosedStatus, closedAt: string) => close_({ id, from, to, closedAt }),
      /** The order is reserved this compartment (a load starts). */
      attachCompartment: (id: OrderId, compartmentId: CompartmentId) => attachCompartment_({ id, compartmentId }),
      /** An announced order loses the compartment it was reserved (a load called off). */
      detachAnnounced: (id: OrderId) => detachAnnounced_(id),
      /** Counts a wrong code; the number of wrong codes now, or none for an unknown order. */
      recordWrongCode: (id: OrderId) => rowsOrDie(Effect.map(recordWrongCode_(id), Option.map((r) => r.failed_attempts))),
      /** The right code: the wrong ones before it are forgotten. */
      resetAttempts: (id: OrderId) => rowsOrDie(resetAttempts_(id)),
      /** Whether the "ready" text still has to be sent (it could not be). */
      setReadyPending: (id: OrderId, pending: boolean) => rowsOrDie(setReadyPending_({ id, pending })),
      /** Orders in a compartment (not yet expired) loaded before this time. */
      dueToExpire: (loadedBefore: string) => dueToExpire_(loadedBefore),
      /** Loaded orders, not yet reminded, loaded before this time. */
      dueForReminder: (loadedBefore: string) => dueForReminder_(loadedBefore),
      /** Ready orders whose "ready" text could not be sent. */
      readyPending: readyPending_(undefined),
      /** Retention: closed orders, closed before this time, that still have a phone number. */
      countPhonesDue: countPhonesDue_,
      /**
       * Every order's id and status as the table holds them, unchecked: the
       * audit compares them with the log, and a hand-edited status is its
       * finding, not a defect.
       */
      statusesAsStored: rowsOrDie(statusesAsStored_(undefined)),
      /** Retention: erases those phone numbers. */
      erasePhones: (closedBefore: string) => rowsOrDie(erasePhones_(closedBefore))
    } as const
  })
}) {}
