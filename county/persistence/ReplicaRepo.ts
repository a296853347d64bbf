/**
 * `county_events`: every terminal's event rows as the terminal wrote them,
 * one per (terminal, seq), with when the county received it. Append-only (a
 * trigger refuses UPDATE and DELETE); its only writer is the replication.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"
import { type EventRow, EventRowSchema } from "../../core/persistence/EventLog.ts"
import { counting, rowsOrDie } from "../../core/persistence/rows.ts"
import type { ReplicatedRow } from "../../core/protocols/replication.ts"

const decodeRows = Schema.decodeUnknown(Schema.Array(EventRowSchema))
const Hashes = Schema.Array(Schema.Struct({ seq: Schema.Int, hash: Schema.String }))

export class ReplicaRepo extends Effect.Service<ReplicaRepo>()("amtomat/county/ReplicaRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = (terminal: string, rows: ReadonlyArray<ReplicatedRow>, receivedAt: string): Effect.Effect<void, SqlError> =>
      rows.length === 0 ? Effect.void : Effect.asVoid(sql`INSERT INTO county_events ${
        sql.insert(rows.map((r) => ({
          terminal,
          seq: r.seq,
          at: r.at,
          site: r.site,
          type: r.type,
          data: r.data,
          prev_hash: r.prev_hash,
          hash: r.hash,
          mac: r.mac ?? null,
          received_at: receivedAt
        })))
      }`)

    /** The stored hashes at these seqs of the terminal. */
    const hashesAt = (terminal: string, seqs: ReadonlyArray<number>) =>
      seqs.length === 0
        ? Effect.succeed(new Map<number, string>())
        : rowsOrDie(Effect.flatMap(
          sql`SELECT seq, hash FROM county_events WHERE terminal = ${terminal} AND ${sql.in("seq", seqs)}`,
          Schema.decodeUnknown(Hashes)
        )).pipe(Effect.map((rs) => new Map(rs.map((r) => [r.seq, r.hash]))))

    /** The terminal's rows in seq order, after `afterSeq`, at most `limit`. */
    const rows = (terminal: string, options: { readonly afterSeq?: number; readonly limit?: number } = {}): Effect.Effect<ReadonlyArray<EventRow>, SqlError> =>
      rowsOrDie(Effect.flatMap(
        sql`SELECT seq, at, site, terminal, type, data, prev_hash, hash, mac FROM county_events
          WHERE terminal = ${terminal} AND seq > ${options.afterSeq ?? 0} ORDER BY seq ${options.limit === undefined ? sql`` : sql`LIMIT ${options.limit}`}`,
        decodeRows
      ))

    /** Every terminal's rows of these sites (all sites when absent), ordered by time, then terminal and seq: the county's report input. */
    const allRows = (sites?: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<EventRow>, SqlError> =>
      rowsOrDie(Effect.flatMap(
        sql`SELECT seq, at, site, terminal, type, data, prev_hash, hash, mac FROM county_events
          ${sites === undefined ? sql`` : sites.length === 0 ? sql`WHERE 1 = 0` : sql`WHERE ${sql.in("site", sites)}`}
          ORDER BY at, terminal, seq`,
        decodeRows
      ))

    /** Every terminal's rows of one event type, by terminal and seq (rare kinds: device status, compartments out of service). */
    const ofType = (type: string): Effect.Effect<ReadonlyArray<EventRow>, SqlError> =>
      rowsOrDie(Effect.flatMap(
        sql`SELECT seq, at, site, terminal, type, data, prev_hash, hash, mac FROM county_events WHERE type = ${type} ORDER BY terminal, seq`,
        decodeRows
      ))

    /** The terminal's rows of these types that name this order, in seq order (the order's story as the terminal logged it). */
    const ofOrder = (terminal: string, orderId: string, types: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<EventRow>, SqlError> =>
      rowsOrDie(Effect.flatMap(
        sql`SELECT seq, at, site, terminal, type, data, prev_hash, hash, mac FROM county_events
          WHERE terminal = ${terminal} AND ${sql.in("type", types)} AND data LIKE ${`%"orderId":"${orderId}"%`} ORDER BY seq`,
        decodeRows
      ))

    const count = counting(Schema.String, (terminal) => sql`SELECT COUNT(*) AS n FROM county_events WHERE terminal = ${terminal}`)

    return { insert, hashesAt, rows, allRows, ofType, ofOrder, count } as const
  })
}) {}
