/**
 * The `county_orders` table: which of the terminal's orders came from the
 * county, under the county's id (each taken once, so an inbox fetched twice
 * announces nothing twice), and whether the office cancelled one while its
 * load was under way (decided when the load's door is shut).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { OrderId } from "../domain/ids.ts"
import { rowsOrDie } from "./rows.ts"

const Link = Schema.Struct({ order_id: OrderId, cancel_requested: Schema.Literal(0, 1) })

export class CountyOrdersRepo extends Effect.Service<CountyOrdersRepo>()("amtomat/CountyOrdersRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const byCountyOrder_ = SqlSchema.findOne({
      Request: Schema.String,
      Result: Link,
      execute: (id) => sql`SELECT order_id, cancel_requested FROM county_orders WHERE county_order_id = ${id}`
    })
    const cancelRequested_ = SqlSchema.findOne({
      Request: OrderId,
      Result: Schema.Struct({ cancel_requested: Schema.Literal(0, 1) }),
      execute: (id) => sql`SELECT cancel_requested FROM county_orders WHERE order_id = ${id}`
    })
    const link_ = SqlSchema.void({
      Request: Schema.Struct({ county_order_id: Schema.String, order_id: OrderId }),
      execute: (row) => sql`INSERT INTO county_orders ${sql.insert(row)}`
    })
    const requestCancel_ = SqlSchema.void({
      Request: OrderId,
      execute: (id) => sql`UPDATE county_orders SET cancel_requested = 1 WHERE order_id = ${id}`
    })
    return {
      /** The terminal's order for a county order, if it took it. */
      byCountyOrder: (countyOrder: string) =>
        rowsOrDie(Effect.map(byCountyOrder_(countyOrder), Option.map((l) => ({ orderId: l.order_id, cancelRequested: l.cancel_requested === 1 })))),
      /** Records that `orderId` is the county's `countyOrder` (in the transaction that announces it). */
      link: (countyOrder: string, orderId: OrderId) => rowsOrDie(link_({ county_order_id: countyOrder, order_id: orderId })),
      /** The office cancelled it while a load was under way. */
      requestCancel: (orderId: OrderId) => rowsOrDie(requestCancel_(orderId)),
      /** Whether the office cancelled this order (false for one not from the county). */
      cancelRequested: (orderId: OrderId) =>
        rowsOrDie(Effect.map(cancelRequested_(orderId), Option.match({ onNone: () => false, onSome: (r) => r.cancel_requested === 1 })))
    } as const
  })
}) {}
