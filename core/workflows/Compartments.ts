/**
 * The compartments as the database knows them, and the one place where a
 * compartment changes hands. Assignment is a single conditional UPDATE inside
 * a transaction, so two loads can never get the same compartment.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { Compartment, type CompartmentState, type DoorState, type TerminalLayout } from "../domain/compartment.ts"
import { NotFound } from "../domain/errors.ts"
import { CompartmentId, OrderId } from "../domain/ids.ts"
import type { HeightBand, SizeClass } from "../domain/values.ts"

export interface CompartmentRow {
  id: number
  board: number
  lock: number
  size: SizeClass
  band: HeightBand
  state: CompartmentState
  door: DoorState
  item: number
  order_id: string | null
  out_of_service_reason: string | null
  /** Why an open compartment is open: pickup, load, return, override. */
  purpose: string | null
}

export const toCompartment = (r: CompartmentRow) =>
  new Compartment({
    id: CompartmentId.make(r.id),
    channel: { board: r.board, lock: r.lock },
    size: r.size,
    band: r.band,
    state: r.state,
    door: r.door,
    item: r.item === 1,
    orderId: r.order_id === null ? null : OrderId.make(r.order_id),
    outOfServiceReason: r.out_of_service_reason,
    purpose: r.purpose
  })

export class Compartments extends Effect.Service<Compartments>()("amtomat/Compartments", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** Makes the table match the configured layout; existing rows keep their state. */
    const install = Effect.fn("Compartments.install")(function*(layout: TerminalLayout) {
      for (const c of layout.compartments) {
        yield* sql`INSERT INTO compartments (id, board, lock, size, band) VALUES (${c.id}, ${c.channel.board}, ${c.channel.lock}, ${c.size}, ${c.band})
          ON CONFLICT (id) DO UPDATE SET board = excluded.board, lock = excluded.lock, size = excluded.size, band = excluded.band`
      }
    })

    const all = Effect.map(sql<CompartmentRow>`SELECT * FROM compartments ORDER BY id`, (rows) => rows.map(toCompartment))

    const get = Effect.fn("Compartments.get")(function*(id: CompartmentId) {
      const rows = yield* sql<CompartmentRow>`SELECT * FROM compartments WHERE id = ${id}`
      if (!rows[0]) return yield* new NotFound({ resource: "compartment", id: String(id), message: `no compartment ${id}` })
      return toCompartment(rows[0])
    })

    const byChannel = (board: number, lock: number) =>
      Effect.map(
        sql<CompartmentRow>`SELECT * FROM compartments WHERE board = ${board} AND lock = ${lock}`,
        (rows) => Option.map(Option.fromNullable(rows[0]), toCompartment)
      )

    /**
     * Reserves the best free compartment for an order: at least the order's size,
     * the smallest that fits first, the preferred height band first. Without a
     * preference the high band goes first, keeping the wheelchair-reachable
     * compartments for those who need them. Atomic.
     */
    const assign = Effect.fn("Compartments.assign")(function*(orderId: OrderId, size: SizeClass, band: HeightBand | null) {
      const rank = sql`CASE size WHEN 'S' THEN 1 WHEN 'M' THEN 2 ELSE 3 END`
      const need = size === "S" ? 1 : size === "M" ? 2 : 3
      const rows = yield* sql<CompartmentRow>`UPDATE compartments SET state = 'reserved', order_id = ${orderId}
        WHERE state = 'free' AND item = 0 AND id = (
          SELECT id FROM compartments WHERE state = 'free' AND item = 0 AND ${rank} >= ${need}
          ORDER BY ${rank}, CASE band WHEN ${band ?? "high"} THEN 0 ELSE 1 END, id LIMIT 1
        ) RETURNING *`
      return Option.map(Option.fromNullable(rows[0]), toCompartment)
    })

    /**
     * Moves a compartment from one state to another only if it is still in the
     * expected one. Opening records why (`purpose`); any other state clears it.
     */
    const transition = (
      id: CompartmentId,
      from: ReadonlyArray<CompartmentState>,
      to: CompartmentState,
      orderId: OrderId | null,
      purpose: "pickup" | "load" | "return" | null = null
    ) =>
      Effect.map(
        sql<CompartmentRow>`UPDATE compartments SET state = ${to}, order_id = ${orderId}, purpose = ${to === "open" ? purpose : null}
          WHERE id = ${id} AND ${sql.in("state", from)} RETURNING *`,
        (rows) => rows.length === 1
      )

    const setService = (id: CompartmentId, reason: string | null, state: CompartmentState) =>
      sql`UPDATE compartments SET state = ${state}, out_of_service_reason = ${reason} WHERE id = ${id}`

    const recordSensors = (board: number, lock: number, door: DoorState | undefined, item: boolean | null | undefined) =>
      Effect.gen(function*() {
        if (door !== undefined) yield* sql`UPDATE compartments SET door = ${door} WHERE board = ${board} AND lock = ${lock}`
        if (item !== undefined && item !== null) {
          yield* sql`UPDATE compartments SET item = ${item ? 1 : 0} WHERE board = ${board} AND lock = ${lock}`
        }
      })

    /**
     * After a door was shut outside a workflow: an open compartment with no
     * order becomes free; one whose document was left inside (and no pickup is
     * under way) becomes loaded again.
     */
    const settleClosed = (id: CompartmentId) =>
      Effect.gen(function*() {
        // never freed with something inside: an item nobody owns keeps the compartment from the next load
        const freed = yield* sql`UPDATE compartments SET state = 'free', purpose = NULL
          WHERE id = ${id} AND state = 'open' AND order_id IS NULL AND item = 0 RETURNING id`
        if (freed.length > 0) return "freed" as const
        const reloaded = yield* sql`UPDATE compartments SET state = 'loaded', purpose = NULL
          WHERE id = ${id} AND state = 'open' AND purpose = 'pickup' AND item = 1 AND order_id IN (
            SELECT id FROM orders WHERE status IN ('loaded', 'reminded', 'locked', 'expired'))
          AND order_id NOT IN (SELECT order_id FROM sessions WHERE opened = 1 AND ended_at IS NULL AND order_id IS NOT NULL)
          RETURNING id`
        return reloaded.length > 0 ? "reloaded" as const : "none" as const
      })

    /** Whether a pickup session currently holds this order's compartment open. */
    const pickupUnderWay = (orderId: OrderId) =>
      Effect.map(
        sql`SELECT id FROM sessions WHERE order_id = ${orderId} AND opened = 1 AND ended_at IS NULL`,
        (rows) => rows.length > 0
      )

    return { install, all, get, byChannel, assign, transition, setService, recordSensors, settleClosed, pickupUnderWay } as const
  })
}) {}
