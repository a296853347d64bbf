/**
 * The append-only, hash-chained event log.
 *
 * Each row's hash is SHA-256 over the previous row's hash and the row's own
 * canonical content, so changing, deleting or reordering any row breaks the
 * chain from that row on. SQLite triggers refuse UPDATE and DELETE as well.
 *
 * The chain alone is unkeyed: whoever holds the file can recompute it from a
 * changed row on, or cut its tail. So each row also carries a MAC, HMAC-SHA256
 * under the audit key (kept apart from the database, see kiosk/auditKey.ts)
 * over the row's hash; a recomputed chain fails the MACs, and signed head
 * checkpoints kept elsewhere (anchor.ts) show a cut tail.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Context, DateTime, Effect, Layer, Option, PubSub, Schema, Stream } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { TerminalPolicy } from "../domain/config.ts"
import { type LoggedEvent, TerminalEvent } from "../domain/events.ts"
import { macRow, macsEqual } from "./anchor.ts"
import { canonicalJson } from "./canonical.ts"
import { counting, rowsOrDie } from "./rows.ts"
import { afterCommit } from "./transactions.ts"

export const GENESIS = "0".repeat(64)

/**
 * A row of `events` as both dialects return it. Decoded for its column types only: the
 * content (hash, chain, payload) is what `verify` judges, so a tampered row still reads.
 */
export const EventRowSchema = Schema.Struct({
  seq: Schema.Int,
  at: Schema.String,
  site: Schema.String,
  terminal: Schema.String,
  type: Schema.String,
  data: Schema.String,
  prev_hash: Schema.String,
  hash: Schema.String,
  /** HMAC-SHA256 under the audit key over `hash`; NULL in rows written before migration 0005, absent in exports. */
  mac: Schema.optional(Schema.NullOr(Schema.String))
})
export type EventRow = Schema.Schema.Type<typeof EventRowSchema>
const decodeRows = Schema.decodeUnknown(Schema.Array(EventRowSchema))

/**
 * The audit key: the secret the rows' MACs and the head checkpoints are made with. Never in
 * the database (a file beside it, mode 0600, or the environment: kiosk/auditKey.ts).
 */
export class AuditKey extends Context.Tag("amtomat/AuditKey")<AuditKey, Uint8Array>() {
  /**
   * For programs that only read the log (the export, reports): a fresh random key nobody else
   * knows, so an event such a program appended by mistake fails `audit verify` instead of
   * passing as genuine.
   */
  static readonly forReading = Layer.sync(AuditKey, () => new Uint8Array(randomBytes(32)))
}

export const hashRow = (row: Omit<EventRow, "hash" | "mac">): string =>
  createHash("sha256")
    .update(`${row.prev_hash}|${row.seq}|${row.at}|${row.site}|${row.terminal}|${row.type}|${row.data}`)
    .digest("hex")

/** The result of checking the chain: fine, or the first row that does not fit. */
export type ChainCheck =
  | { readonly ok: true; readonly count: number; readonly head: string }
  | { readonly ok: false; readonly count: number; readonly brokenAt: number; readonly problem: string }

/** Where a chain starts: the genesis, or a row already checked (to check only what came after it). */
export interface ChainStart {
  readonly seq: number
  readonly hash: string
}

/** Checks rows in stored order (by seq). Pure, so it also runs over exports. */
export const verifyRows = (rows: ReadonlyArray<EventRow>, from?: ChainStart): ChainCheck => {
  let prev = from?.hash ?? GENESIS
  let expectedSeq: number | undefined = from === undefined ? undefined : from.seq + 1
  for (const row of rows) {
    if (expectedSeq !== undefined && row.seq !== expectedSeq) {
      return { ok: false, count: rows.length, brokenAt: row.seq, problem: `sequence jumps from ${expectedSeq - 1} to ${row.seq}` }
    }
    if (row.prev_hash !== prev) {
      return { ok: false, count: rows.length, brokenAt: row.seq, problem: "does not point to the hash of the row before it" }
    }
    const { hash, mac: _mac, ...rest } = row
    if (hashRow(rest) !== hash) {
      return { ok: false, count: rows.length, brokenAt: row.seq, problem: "its content does not match its hash" }
    }
    prev = hash
    expectedSeq = row.seq + 1
  }
  return { ok: true, count: rows.length, head: prev }
}

/**
 * The MACs of rows in stored order. Rows without a MAC are accepted only before the first
 * row that has one (written before migration 0005): `unkeyedBefore` names the first keyed
 * row's seq (or the seq after the last row when none is keyed); null when every row is keyed.
 */
export type MacCheck =
  | { readonly ok: true; readonly keyed: number; readonly unkeyedBefore: number | null }
  | { readonly ok: false; readonly brokenAt: number; readonly problem: string }

export const verifyMacs = (rows: ReadonlyArray<EventRow>, key: Uint8Array): MacCheck => {
  let firstKeyed: number | undefined
  let keyed = 0
  for (const row of rows) {
    const mac = row.mac ?? null
    if (mac === null) {
      if (firstKeyed !== undefined) {
        return { ok: false, brokenAt: row.seq, problem: `row ${row.seq} has no MAC though row ${firstKeyed} before it has one: it was written without the key` }
      }
      continue
    }
    firstKeyed ??= row.seq
    if (!macsEqual(mac, macRow(key, row.hash))) {
      return {
        ok: false,
        brokenAt: row.seq,
        problem: `row ${row.seq}'s MAC does not match: the chain was recomputed without the key (or this is not the terminal's key)`
      }
    }
    keyed++
  }
  const unkeyedBefore = firstKeyed ?? (rows.length > 0 ? rows[rows.length - 1]!.seq + 1 : null)
  return { ok: true, keyed, unkeyedBefore: unkeyedBefore === rows[0]?.seq ? null : unkeyedBefore }
}

const decodeEvent = Schema.decodeUnknownSync(TerminalEvent)
const encodeEvent = Schema.encodeSync(TerminalEvent)

export const rowToLogged = (row: EventRow): LoggedEvent => ({
  seq: row.seq,
  at: row.at,
  site: row.site,
  terminal: row.terminal,
  event: decodeEvent(JSON.parse(row.data)),
  prevHash: row.prev_hash,
  hash: row.hash
})

export interface EventFilter {
  readonly types?: ReadonlyArray<string> | undefined
  readonly since?: string | undefined
  readonly until?: string | undefined
  readonly afterSeq?: number | undefined
  readonly limit?: number | undefined
}

export class EventLog extends Effect.Service<EventLog>()("amtomat/EventLog", {
  scoped: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalPolicy
    const key = yield* AuditKey
    const hub = yield* PubSub.unbounded<LoggedEvent>()

    /** Appends one event; returns it as stored. Validates the payload against its schema first. */
    const serialise = sql.onDialectOrElse({
      pg: () => Effect.asVoid(sql`SELECT pg_advisory_xact_lock(7105)`),
      orElse: () => Effect.void
    })

    const append = Effect.fn("EventLog.append")(function*(event: TerminalEvent) {
      const data = canonicalJson(encodeEvent(event))
      const now = yield* Clock.currentTimeMillis
      const at = DateTime.formatIso(DateTime.unsafeMake(now))
      const row = yield* sql.withTransaction(Effect.gen(function*() {
        // one writer at a time: SQLite's write lock does this by itself; PostgreSQL's READ COMMITTED
        // would let two transactions read the same head and collide on its seq
        yield* serialise
        const last = yield* sql<{ seq: number; hash: string }>`SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`
        const prev = last[0]
        const base = {
          seq: prev ? prev.seq + 1 : 1,
          at,
          site: config.site,
          terminal: config.terminalId,
          type: event._tag,
          data,
          prev_hash: prev ? prev.hash : GENESIS
        }
        const hash = hashRow(base)
        const full: EventRow = { ...base, hash, mac: macRow(key, hash) }
        yield* sql`INSERT INTO events ${sql.insert({ ...full })}`
        return full
      }))
      const logged: LoggedEvent = { seq: row.seq, at, site: row.site, terminal: row.terminal, event, prevHash: row.prev_hash, hash: row.hash }
      // live subscribers hear of it once it is durable: after the commit of the transaction around, if any
      yield* afterCommit(Effect.asVoid(PubSub.publish(hub, logged)))
      return logged
    })

    const rows = (filter: EventFilter = {}): Effect.Effect<ReadonlyArray<EventRow>, SqlError> => {
      const conditions = [
        filter.types && filter.types.length > 0 ? sql.in("type", filter.types) : undefined,
        filter.since ? sql`at >= ${filter.since}` : undefined,
        filter.until ? sql`at < ${filter.until}` : undefined,
        filter.afterSeq !== undefined ? sql`seq > ${filter.afterSeq}` : undefined
      ].filter((c) => c !== undefined)
      const where = conditions.length > 0 ? sql`WHERE ${sql.and(conditions)}` : sql``
      const limit = filter.limit !== undefined ? sql`LIMIT ${filter.limit}` : sql``
      return rowsOrDie(Effect.flatMap(sql`SELECT * FROM events ${where} ORDER BY seq ${limit}`, decodeRows))
    }

    const read = (filter: EventFilter = {}) => Effect.map(rows(filter), (rs) => rs.map(rowToLogged))

    const verify = Effect.map(rows(), verifyRows)

    const last = (type: string) =>
      Effect.map(
        rowsOrDie(Effect.flatMap(sql`SELECT * FROM events WHERE type = ${type} ORDER BY seq DESC LIMIT 1`, decodeRows)),
        (rs) => Option.map(Option.fromNullable(rs[0]), rowToLogged)
      )

    /** The newest event's seq (0 for an empty log): how far the log has come. */
    const lastSeq = Effect.map(sql<{ n: number | null }>`SELECT MAX(seq) AS n FROM events`, (rs) => Number(rs[0]?.n ?? 0))

    /** The newest row's seq and hash (seq 0 and the genesis for an empty log): what the county is told the log ends at. */
    const head = Effect.map(
      sql<{ seq: number; hash: string }>`SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`,
      (rs) => ({ seq: Number(rs[0]?.seq ?? 0), hash: rs[0]?.hash ?? GENESIS })
    )

    /** How many events of this type the log holds. */
    const count = counting(Schema.String, (type) => sql`SELECT COUNT(*) AS n FROM events WHERE type = ${type}`)

    /** Live feed of appended events (for the staff screen's live updates). */
    const live = Stream.fromPubSub(hub)

    return { append, rows, read, verify, last, lastSeq, head, count, live } as const
  })
}) {}
