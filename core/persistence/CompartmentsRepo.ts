/**
 * The `compartments` table: its only writer, and the one place where a
 * compartment changes hands. Rows are decoded with Schema into the domain's
 * `Compartment`. Assignment is a single conditional UPDATE, so two loads can
 * never get the same compartment; a change of state applies only from the
 * expected state and says whether it did.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Schema } from "effect"
import { Channel, Compartment, CompartmentState, DoorState, type TerminalLayout } from "../domain/compartment.ts"
import { NotFound } from "../domain/errors.ts"
import { CompartmentId, OrderId } from "../domain/ids.ts"
import { HeightBand, SizeClass } from "../domain/values.ts"
import { rowsOrDie } from "./rows.ts"

/** A row of `compartments` as both dialects return it, and the domain's Compartment it decodes to. */
export const CompartmentRow = Schema.Struct({
  id: Schema.Int,
  board: Schema.Int,
  lock: Schema.Int,
  size: SizeClass,
  band: HeightBand,
  state: CompartmentState,
  door: DoorState,
  item: Schema.Literal(0, 1),
  order_id: Schema.NullOr(Schema.String),
  out_of_service_reason: Schema.NullOr(Schema.String),
  /** Why an open compartment is open: pickup, load, return. */
  purpose: Schema.NullOr(Schema.String)
})

export const CompartmentFromRow = Schema.transform(CompartmentRow, Compartment, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    channel: { board: r.board, lock: r.lock },
    size: r.size,
    band: r.band,
    state: r.state,
    door: r.door,
    item: r.item === 1,
    orderId: r.order_id,
    outOfServiceReason: r.out_of_service_reason,
    purpose: r.purpose
  }),
  encode: (c) => ({
    id: c.id,
    board: c.channel.board,
    lock: c.channel.lock,
    size: c.size,
    band: c.band,
    state: c.state,
    door: c.door,
    item: c.item ? 1 as const : 0 as const,
    order_id: c.orderId,
    out_of_service_reason: c.outOfServiceReason,
    purpose: c.purpose
  })
})

/** Why a compartment is opened by a workflow. */
export type OpenPurpose = "pickup" | "load" | "return"

const Id = Schema.Struct({ id: CompartmentId })

export class CompartmentsRepo extends Effect.Service<CompartmentsRepo>()("amtomat/CompartmentsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** An UPDATE … RETURNING id: whether it changed the compartment. */
    const applied = <I, II>(Request: Schema.Schema<I, II>, execute: (request: II) => Effect.Effect<ReadonlyArray<unknown>, SqlError>) => {
      const run = SqlSchema.findAll({ Request, Result: Id, execute })
      return (request: I) => rowsOrDie(Effect.map(run(request), (rows) => rows.length > 0))
    }

    const install_ = SqlSchema.void({
      Request: Schema.Struct({ id: CompartmentId, channel: Channel, size: SizeClass, band: HeightBand }),
      execute: (c) =>
        sql`INSERT INTO compartments (id, board, lock, size, band) VALUES (${c.id}, ${c.channel.board}, ${c.channel.lock}, ${c.size}, ${c.band})
          ON CONFLICT (id) DO UPDATE SET board = excluded.board, lock = excluded.lock, size = excluded.size, band = excluded.band`
    })
    const all_ = SqlSchema.findAll({ Request: Schema.Void, Result: CompartmentFromRow, execute: () => sql`SELECT * FROM compartments ORDER BY id` })
    const find_ = SqlSchema.findOne({
      Request: CompartmentId,
      Result: CompartmentFromRow,
      execute: (id) => sql`SELECT * FROM compartments WHERE id = ${id}`
    })
    const byChannel_ = SqlSchema.findOne({
      Request: Schema.Struct({ board: Schema.Int, lock: Schema.Int }),
      Result: CompartmentFromRow,
      execute: ({ board, lock }) => sql`SELECT * FROM compartments WHERE board = ${board} AND lock = ${lock}`
    })
    const holdingItems_ = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Channel,
      execute: () => sql`SELECT board, lock FROM compartments WHERE item = 1 ORDER BY board, lock`
    })

    const rank = sql`CASE size WHEN 'S' THEN 1 WHEN 'M' THEN 2 ELSE 3 END`
    // PostgreSQL: a second load waits for the row the first one is taking, then looks further
    // (SQLite runs one writer at a time, so nothing is needed there)
    const forUpdate = sql.onDialectOrElse({ pg: () => sql.literal("FOR UPDATE"), orElse: () => sql.literal("") })
    const assign_ = SqlSchema.findOne({
      Request: Schema.Struct({ orderId: OrderId, need: Schema.Int, band: HeightBand }),
      Result: CompartmentFromRow,
      execute: ({ band, need, orderId }) =>
        sql`UPDATE compartments SET state = 'reserved', order_id = ${orderId}
          WHERE state = 'free' AND item = 0 AND id = (
            SELECT id FROM compartments WHERE state = 'free' AND item = 0 AND ${rank} >= ${need}
            ORDER BY ${rank}, CASE band WHEN ${band} THEN 0 ELSE 1 END, id LIMIT 1 ${forUpdate}
          ) RETURNING *`
    })

    const transition_ = applied(
      Schema.Struct({
        id: CompartmentId,
        from: Schema.Array(CompartmentState),
        to: CompartmentState,
        orderId: Schema.NullOr(OrderId),
        purpose: Schema.NullOr(Schema.String)
      }),
      ({ from, id, orderId, purpose, to }) =>
        sql`UPDATE compartments SET state = ${to}, order_id = ${orderId}, purpose = ${purpose}
          WHERE id = ${id} AND ${sql.in("state", from)} RETURNING id`
    )
    const setService_ = SqlSchema.void({
      Request: Schema.Struct({ id: CompartmentId, reason: Schema.NullOr(Schema.String), state: CompartmentState }),
      execute: ({ id, reason, state }) => sql`UPDATE compartments SET state = ${state}, out_of_service_reason = ${reason} WHERE id = ${id}`
    })
    const vacate_ = SqlSchema.void({
      Request: CompartmentId,
      execute: (id) =>
        sql`UPDATE compartments SET state = CASE WHEN state = 'out_of_service' THEN state ELSE 'free' END, order_id = NULL, purpose = NULL
          WHERE id = ${id}`
    })
    const clearOrder_ = SqlSchema.void({ Request: CompartmentId, execute: (id) => sql`UPDATE compartments SET order_id = NULL WHERE id = ${id}` })
    const recordDoor_ = SqlSchema.void({
      Request: Schema.Struct({ board: Schema.Int, lock: Schema.Int, door: DoorState }),
      execute: ({ board, door, lock }) => sql`UPDATE compartments SET door = ${door} WHERE board = ${board} AND lock = ${lock}`
    })
    const recordItem_ = SqlSchema.void({
      Request: Schema.Struct({ board: Schema.Int, lock: Schema.Int, item: Schema.Boolean }),
      execute: ({ board, item, lock }) => sql`UPDATE compartments SET item = ${item ? 1 : 0} WHERE board = ${board} AND lock = ${lock}`
    })
    // never freed with something inside: an item nobody owns keeps the compartment from the next load
    const free_ = applied(
      CompartmentId,
      (id) =>
        sql`UPDATE compartments SET state = 'free', purpose = NULL
          WHERE id = ${id} AND state = 'open' AND order_id IS NULL AND item = 0 RETURNING id`
    )
    const reload_ = applied(
      CompartmentId,
      (id) =>
        sql`UPDATE compartments SET state = 'loaded', purpose = NULL
          WHERE id = ${id} AND state = 'open' AND purpose = 'pickup' AND item = 1 AND order_id IN (
            SELECT id FROM orders WHERE status IN ('loaded', 'reminded', 'locked', 'expired'))
          AND order_id NOT IN (SELECT order_id FROM sessions WHERE opened = 1 AND ended_at IS NULL AND order_id IS NOT NULL)
          RETURNING id`
    )

    const holdingsAsStored_ = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Schema.Struct({ id: Schema.Number, state: Schema.String, order_id: Schema.NullOr(Schema.String) }),
      execute: () => sql`SELECT id, state, order_id FROM compartments ORDER BY id`
    })

    const find = (id: CompartmentId) => rowsOrDie(find_(id))

    /** Makes the table match the configured layout; existing rows keep their state. */
    const install = Effect.fn("CompartmentsRepo.install")(function*(layout: TerminalLayout) {
      for (const c of layout.compartments) yield* rowsOrDie(install_(c))
    })

    /** The compartment, or NotFound. */
    const get = Effect.fn("CompartmentsRepo.get")(function*(id: CompartmentId) {
      const found = yield* find(id)
      if (Option.isNone(found)) return yield* new NotFound({ resource: "compartment", id: String(id), message: `no compartment ${id}` })
      return found.value
    })

    /**
     * Reserves the best free compartment for an order: at least the order's size,
     * the smallest that fits first, the preferred height band first. Without a
     * preference the high band goes first, keeping the wheelchair-reachable
     * compartments for those who need them. Atomic: none, when nothing fits.
     */
    const assign = (orderId: OrderId, size: SizeClass, band: HeightBand | null) =>
      rowsOrDie(assign_({ orderId, need: size === "S" ? 1 : size === "M" ? 2 : 3, band: band ?? "high" }))

    /**
     * Moves a compartment from one state to another only if it is still in the
     * expected one; true when it did. Opening records why (`purpose`); any other
     * state clears it.
     */
    const transition = (
      id: CompartmentId,
      from: ReadonlyArray<CompartmentState>,
      to: CompartmentState,
      orderId: OrderId | null,
      purpose: OpenPurpose | null = null
    ) => transition_({ id, from, to, orderId, purpose: to === "open" ? purpose : null })

    /** What the sensors read at a channel: the door (when given) and the item sensor (when it reads). */
    const recordSensors = Effect.fn("CompartmentsRepo.recordSensors")(
      function*(board: number, lock: number, door: DoorState | undefined, item: boolean | null | undefined) {
        if (door !== undefined) yield* rowsOrDie(recordDoor_({ board, lock, door }))
        if (item !== undefined && item !== null) yield* rowsOrDie(recordItem_({ board, lock, item }))
      }
    )

    /**
     * After a door was shut outside a workflow: an open compartment with no
     * order becomes free; one whose document was left inside (and no pickup is
     * under way) becomes loaded again.
     */
    const settleClosed = Effect.fn("CompartmentsRepo.settleClosed")(function*(id: CompartmentId) {
      if (yield* free_(id)) return "freed" as const
      return (yield* reload_(id)) ? "reloaded" as const : "none" as const
    })

    return {
      install,
      all: rowsOrDie(all_(undefined)),
      find,
      get,
      byChannel: (board: number, lock: number) => rowsOrDie(byChannel_({ board, lock })),
      /** The channels whose item sensor last read a document inside (the twin starts from them). */
      channelsHoldingItems: rowsOrDie(holdingItems_(undefined)),
      /** Every compartment's state and order as the table holds them, unchecked (the audit's comparison with the log). */
      holdingsAsStored: rowsOrDie(holdingsAsStored_(undefined)),
      assign,
      transition,
      /** Out of service (with why) or back in service, whatever the state was. */
      setService: (id: CompartmentId, reason: string | null, state: CompartmentState) => rowsOrDie(setService_({ id, reason, state })),
      /** The document went back to the office: no order, free unless out of service. */
      vacate: (id: CompartmentId) => rowsOrDie(vacate_(id)),
      /** The document was collected: the compartment (still open) no longer holds the order. */
      clearOrder: (id: CompartmentId) => rowsOrDie(clearOrder_(id)),
      recordSensors,
      settleClosed
    } as const
  })
}) {}
