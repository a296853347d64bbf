/**
 * The replication protocol between a terminal and the county, as data: the
 * rows a terminal pushes, the head the county holds for it, and why the county
 * refuses a push. Pure schemas; the county's judge is county/replication/judge.ts,
 * the terminal's side core/workflows/CountySync.ts.
 *
 * A terminal pushes its event log in order: the rows after the head the county
 * holds for it (at most MAX_PUSH at a time), and `through`, its own head when it
 * read them. The county takes a row once (by terminal and seq), checks the hash
 * chain from its head on, and answers with its new head; a gap, a fork, a broken
 * chain or a log that ends before the county's head is refused, changes nothing,
 * and raises an alarm at the county.
 */
import { Schema } from "effect"

/** At most this many rows in one push (a 500-row push of typical events is about 250 kB). */
export const MAX_PUSH = 500

const Hex64 = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/), Schema.annotations({ description: "SHA-256 in lower-case hex" }))

/** A chain position: a row's seq and hash (seq 0 and the genesis for an empty log). */
export const ChainHead = Schema.Struct({
  seq: Schema.Int.pipe(Schema.nonNegative()),
  hash: Hex64
})
export type ChainHead = typeof ChainHead.Type

/** One event row as the terminal stores it (core/persistence/EventLog.ts), MAC included: the county keeps it for audits with the terminal's key. */
export const ReplicatedRow = Schema.Struct({
  seq: Schema.Int.pipe(Schema.positive()),
  at: Schema.String.pipe(Schema.maxLength(40)),
  site: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  terminal: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  type: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  data: Schema.String.pipe(Schema.maxLength(64 * 1024)),
  prev_hash: Hex64,
  hash: Hex64,
  mac: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(64))))
})
export type ReplicatedRow = typeof ReplicatedRow.Type

/** One compartment as the terminal's own table has it: what the fleet's grid shows (no order, no person). */
export const GridCompartment = Schema.Struct({
  id: Schema.Int,
  state: Schema.String.pipe(Schema.maxLength(40)),
  door: Schema.String.pipe(Schema.maxLength(40)),
  item: Schema.Boolean
})
export type GridCompartment = typeof GridCompartment.Type

export const PushRequest = Schema.Struct({
  /** Consecutive rows, ascending, starting right after the county's head (empty: only `through`). */
  rows: Schema.Array(ReplicatedRow).pipe(Schema.maxItems(MAX_PUSH)),
  /** The terminal's own head when it read the rows: the county sees how far behind it is, and a log cut below its head. */
  through: ChainHead,
  /** The terminal's compartment grid as it is now (absent from a terminal before this field, or without one). */
  grid: Schema.optional(Schema.Array(GridCompartment).pipe(Schema.maxItems(500)))
})
export type PushRequest = typeof PushRequest.Type

/** What the county holds of one terminal. */
export const CountyHead = Schema.Struct({
  terminal: Schema.String,
  site: Schema.String,
  head: ChainHead,
  /** How many of the terminal's rows the county holds (head.seq when nothing is missing). */
  events: Schema.Int,
  /** The highest seq the terminal ever reported as its head: a log that now ends below it was cut. */
  reported: Schema.optionalWith(Schema.NonNegativeInt, { default: () => 0 }) // absent from a county before this field
})
export type CountyHead = typeof CountyHead.Type

export const PushResult = Schema.Struct({
  /** Rows stored by this push. */
  accepted: Schema.Int,
  /** Rows the county held already (a push repeated after a lost answer). */
  duplicates: Schema.Int,
  head: ChainHead
})
export type PushResult = typeof PushResult.Type

/**
 * Why a push was refused. Gap: rows after the county's head are missing; Fork: a row differs
 * from the one the county holds at its seq (a log restored from a backup, or rewritten); Broken:
 * a row does not match its own hash or the row before it; Cut: the terminal's log ends below the
 * head the county holds; Disordered: the rows are not consecutive and ascending; WrongTerminal:
 * a row names another terminal or site than the credential's.
 */
export const RefusalReason = Schema.Literal("Gap", "Fork", "Broken", "Cut", "Disordered", "WrongTerminal")
export type RefusalReason = typeof RefusalReason.Type

export class ReplicationRefused extends Schema.TaggedError<ReplicationRefused>()("ReplicationRefused", {
  reason: RefusalReason,
  message: Schema.String,
  /** The county's head for the terminal, unchanged by the refused push. */
  head: ChainHead
}) {}
