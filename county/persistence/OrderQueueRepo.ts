/**
 * `county_orders`: its only reader and writer. Orders the citizens' office
 * announced, queued for a terminal or held for a counter. Every change of
 * status is one conditional UPDATE from the states it may come from, scoped to
 * the answering terminal, so a terminal answers only for its own orders and a
 * repeated or late answer changes nothing it should not.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"
import { rowsOrDie } from "../../core/persistence/rows.ts"
import type { ReplicatedRow } from "../../core/protocols/replication.ts"

export const QueueStatus = Schema.Literal("queued", "taken", "cancelling", "cancelled", "recalled", "too_late", "refused", "counter", "handed_over")
export type QueueStatus = typeof QueueStatus.Type

export const QueuedOrderRow = Schema.Struct({
  id: Schema.String,
  destination: Schema.Literal("terminal", "counter"),
  terminal: Schema.NullOr(Schema.String),
  site: Schema.String,
  origin_site: Schema.NullOr(Schema.String),
  announced_by: Schema.String,
  document_kind: Schema.String,
  phone: Schema.NullOr(Schema.String),
  requires_old_document: Schema.Union(Schema.Literal(0, 1), Schema.NumberFromString),
  size: Schema.Literal("S", "M", "L"),
  prefer_band: Schema.NullOr(Schema.Literal("low", "high")),
  status: QueueStatus,
  progress: Schema.NullOr(Schema.String),
  terminal_order: Schema.NullOr(Schema.String),
  note: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  taken_at: Schema.NullOr(Schema.String),
  closed_at: Schema.NullOr(Schema.String)
})
export type QueuedOrderRow = typeof QueuedOrderRow.Type

/** The terminal's status of an order, as its replicated events tell it. */
const progressOf: Record<string, string> = {
  OrderAnnounced: "announced",
  OrderLoaded: "loaded",
  LoadAborted: "announced",
  OrderReminded: "reminded",
  OrderLocked: "locked",
  OrderReleased: "loaded",
  OrderExpired: "expired",
  OrderCancelled: "cancelled",
  DocumentTaken: "collected",
  OrderReturned: "returned",
  CounterHandover: "counter"
}
export const progressTypes: ReadonlyArray<string> = Object.keys(progressOf)

const fieldsOf = (data: string): { readonly orderId?: unknown; readonly stage?: unknown } => {
  try {
    const parsed: unknown = JSON.parse(data)
    return typeof parsed === "object" && parsed !== null ? parsed : {}
  } catch {
    return {} // a row that is not JSON is the chain audit's finding, not an order's progress
  }
}

/** The last progress of each order in these rows (seq order), by the terminal's order id. */
export const progressIn = (rows: ReadonlyArray<{ readonly type: string; readonly data: string }>): ReadonlyMap<string, string> => {
  const last = new Map<string, string>()
  for (const r of rows) {
    const progress = progressOf[r.type]
    if (progress === undefined) continue
    const fields = fieldsOf(r.data)
    if (typeof fields.orderId !== "string") continue
    // a loaded order the office cancelled is on its way back: expired, as the terminal holds it
    last.set(fields.orderId, r.type === "OrderCancelled" && fields.stage === "loaded" ? "expired" : progress)
  }
  return last
}

export interface NewQueuedOrder {
  readonly id: string
  readonly destination: "terminal" | "counter"
  readonly terminal: string | null
  readonly site: string
  readonly originSite: string | null
  readonly announcedBy: string
  readonly documentKind: string
  readonly phone: string | null
  readonly requiresOldDocument: boolean
  readonly size: "S" | "M" | "L"
  readonly preferBand: "low" | "high" | null
  readonly at: string
}

export class OrderQueueRepo extends Effect.Service<OrderQueueRepo>()("amtomat/county/OrderQueueRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = (o: NewQueuedOrder) =>
      sql`INSERT INTO county_orders ${
        sql.insert({
          id: o.id,
          destination: o.destination,
          terminal: o.terminal,
          site: o.site,
          origin_site: o.originSite,
          announced_by: o.announcedBy,
          document_kind: o.documentKind,
          phone: o.phone,
          requires_old_document: o.requiresOldDocument ? 1 : 0,
          size: o.size,
          prefer_band: o.preferBand,
          status: o.destination === "terminal" ? "queued" : "counter",
          created_at: o.at
        })
      }`

    const byId_ = SqlSchema.findOne({ Request: Schema.String, Result: QueuedOrderRow, execute: (id) => sql`SELECT * FROM county_orders WHERE id = ${id}` })

    /** The newest 500 orders of these sites (as destination or origin), all sites when none. */
    const list_ = SqlSchema.findAll({
      Request: Schema.NullOr(Schema.String),
      Result: QueuedOrderRow,
      execute: (site) =>
        site === null
          ? sql`SELECT * FROM county_orders ORDER BY created_at DESC, id LIMIT 500`
          : sql`SELECT * FROM county_orders WHERE site = ${site} OR origin_site = ${site} ORDER BY created_at DESC, id LIMIT 500`
    })

    const inbox_ = SqlSchema.findAll({
      Request: Schema.Struct({ terminal: Schema.String, status: QueueStatus, limit: Schema.Int }),
      Result: QueuedOrderRow,
      execute: (r) => sql`SELECT * FROM county_orders WHERE terminal = ${r.terminal} AND status = ${r.status} ORDER BY created_at, id LIMIT ${r.limit}`
    })

    const setProgress = (terminal: string, order: string, progress: string) =>
      sql`UPDATE county_orders SET progress = ${progress} WHERE terminal = ${terminal} AND terminal_order = ${order}`

    /** An UPDATE … RETURNING id: whether it changed the order. */
    const changed = (statement: Effect.Effect<ReadonlyArray<unknown>, SqlError>) => Effect.map(statement, (rows) => rows.length > 0)

    return {
      insert,
      byId: (id: string) => rowsOrDie(byId_(id)),
      list: (site: string | null) => rowsOrDie(list_(site)),
      /** Orders for the terminal in this status, oldest first. */
      ofTerminal: (terminal: string, status: QueueStatus, limit: number) => rowsOrDie(inbox_({ terminal, status, limit })),
      /** The terminal took it: its own id, the county forgets the phone. A cancel that came meanwhile goes to the terminal next. */
      taken: (r: { readonly id: string; readonly terminal: string; readonly order: string; readonly at: string }) =>
        changed(
          sql`UPDATE county_orders SET
            status = CASE WHEN status = 'cancelled' THEN 'cancelling' ELSE 'taken' END,
            terminal_order = ${r.order}, phone = NULL, taken_at = ${r.at}, progress = COALESCE(progress, 'announced')
            WHERE id = ${r.id} AND terminal = ${r.terminal} AND terminal_order IS NULL AND status IN ('queued', 'cancelled') RETURNING id`
        ),
      /** The terminal cannot take it, and says why. */
      refused: (r: { readonly id: string; readonly terminal: string; readonly reason: string; readonly at: string }) =>
        changed(
          sql`UPDATE county_orders SET status = 'refused', note = ${r.reason}, phone = NULL, closed_at = ${r.at}
            WHERE id = ${r.id} AND terminal = ${r.terminal} AND status = 'queued' RETURNING id`
        ),
      /** What the terminal did with a cancellation (pending changes nothing: the county asks again). */
      cancelSettled: (r: { readonly id: string; readonly terminal: string; readonly status: QueueStatus; readonly note: string | null; readonly at: string }) =>
        changed(
          sql`UPDATE county_orders SET status = ${r.status}, note = COALESCE(${r.note}, note), closed_at = ${r.at}
            WHERE id = ${r.id} AND terminal = ${r.terminal} AND status = 'cancelling' RETURNING id`
        ),
      /** The office cancels: queued or at the counter, at once (phone forgotten); taken, through the terminal. */
      cancel: (r: { readonly id: string; readonly by: string; readonly at: string }) =>
        changed(
          sql`UPDATE county_orders SET
            status = CASE WHEN status = 'taken' THEN 'cancelling' ELSE 'cancelled' END,
            phone = CASE WHEN status = 'taken' THEN phone ELSE NULL END,
            closed_at = CASE WHEN status = 'taken' THEN NULL ELSE ${r.at} END,
            note = ${`cancelled by ${r.by}`}
            WHERE id = ${r.id} AND status IN ('queued', 'taken', 'counter') RETURNING id`
        ),
      /** The counter handed the document over. */
      handedOver: (r: { readonly id: string; readonly by: string; readonly at: string }) =>
        changed(
          sql`UPDATE county_orders SET status = 'handed_over', phone = NULL, closed_at = ${r.at}, note = ${`handed over by ${r.by}`}
            WHERE id = ${r.id} AND status = 'counter' RETURNING id`
        ),
      /** The terminal's status of one of its orders. */
      setProgress,
      /** The terminal's status of its orders, from rows it pushed (one UPDATE per order they move). */
      progress: (terminal: string, rows: ReadonlyArray<Pick<ReplicatedRow, "type" | "data">>) =>
        Effect.forEach(progressIn(rows), ([order, progress]) => setProgress(terminal, order, progress), { discard: true })
    } as const
  })
}) {}
