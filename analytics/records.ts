/**
 * What the aggregations read: one event with its envelope. A terminal's
 * `LoggedEvent` is one; a scenario run's `events.ndjson` line (see
 * docs/run-format.md) becomes one through `parseNdjson`. Parsing is pure: the
 * caller reads the file.
 */
import { Either, ParseResult, Schema } from "effect"
import { type EventType, type TerminalEvent, TerminalEvent as TerminalEventSchema } from "../core/domain/events.ts"
import { type LocalTime, localTime } from "./time.ts"

export interface EventRecord {
  /** Position in the log; orders events with the same time. */
  readonly seq?: number
  readonly at: string
  readonly site: string
  readonly terminal: string
  readonly event: TerminalEvent
}

export interface Parsed {
  readonly records: ReadonlyArray<EventRecord>
  /** Lines that are not events of this version (line number from 1, reason); reported, never fatal. */
  readonly skipped: ReadonlyArray<{ readonly line: number; readonly reason: string }>
}

const decode = Schema.decodeUnknownEither(TerminalEventSchema)
const ENVELOPE = new Set(["seq", "at", "site", "terminal", "type", "hash", "prevHash"])

/** One NDJSON record → an event record, or the reason it is not one. */
export const parseRecord = (value: unknown): Either.Either<EventRecord, string> => {
  if (typeof value !== "object" || value === null) return Either.left("not a JSON object")
  const v = value as Record<string, unknown>
  const { at, site, terminal, type, seq } = v
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) return Either.left("no valid \"at\" time")
  if (typeof site !== "string" || typeof type !== "string") return Either.left("no \"site\" or \"type\"")
  const payload: Record<string, unknown> = { _tag: type }
  for (const [k, x] of Object.entries(v)) if (!ENVELOPE.has(k)) payload[k] = x
  return Either.match(decode(payload), {
    onLeft: (e) => Either.left(`${type}: ${ParseResult.TreeFormatter.formatErrorSync(e).split("\n")[0]}`),
    onRight: (event) => Either.right({ ...(typeof seq === "number" ? { seq } : {}), at, site, terminal: typeof terminal === "string" ? terminal : "", event })
  })
}

/** Parses an `events.ndjson` text: one event per line, blank lines ignored. */
export const parseNdjson = (text: string): Parsed => {
  const records: Array<EventRecord> = []
  const skipped: Array<{ line: number; reason: string }> = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line.length === 0) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      skipped.push({ line: i + 1, reason: "not JSON" })
      continue
    }
    Either.match(parseRecord(value), {
      onLeft: (reason) => skipped.push({ line: i + 1, reason }),
      onRight: (r) => records.push(r)
    })
  }
  return { records, skipped }
}

const decodeStored = Schema.decodeUnknownEither(Schema.parseJson(TerminalEventSchema))

/**
 * Rows of an event log as stored (a terminal's `events`, the county's `county_events`: the
 * event's JSON in `data`) as records in time order, and how many rows are not events of
 * this version (a newer terminal's): counted, never fatal.
 */
export const recordsOfRows = (
  rows: ReadonlyArray<{ readonly seq: number; readonly at: string; readonly site: string; readonly terminal: string; readonly data: string }>
): { readonly records: ReadonlyArray<EventRecord>; readonly skipped: number } => {
  const records: Array<EventRecord> = []
  let skipped = 0
  for (const row of rows) {
    const event = decodeStored(row.data)
    if (Either.isLeft(event)) skipped++
    else records.push({ seq: row.seq, at: row.at, site: row.site, terminal: row.terminal, event: event.right })
  }
  return { records: inTimeOrder(records), skipped }
}

/** Records in time order; events with the same time by `seq`, else in the order given. */
export const inTimeOrder = (records: ReadonlyArray<EventRecord>): ReadonlyArray<EventRecord> =>
  records
    .map((r, i) => ({ r, i, t: Date.parse(r.at), s: r.seq ?? Number.NaN }))
    .sort((a, b) => a.t - b.t || (a.s - b.s || 0) || a.i - b.i)
    .map((x) => x.r)

/** An event record narrowed to one event type. */
export type RecordOf<T extends EventType> = EventRecord & { readonly event: Extract<TerminalEvent, { readonly _tag: T }> }

export const isType = <T extends EventType>(type: T) => (r: EventRecord): r is RecordOf<T> => r.event._tag === type

export const ofType = <T extends EventType>(records: ReadonlyArray<EventRecord>, type: T): ReadonlyArray<RecordOf<T>> => records.filter(isType(type))

/** The sites of a log, sorted. */
export const sitesOf = (records: ReadonlyArray<EventRecord>): ReadonlyArray<string> => [...new Set(records.map((r) => r.site))].sort()

/** Counter keyed by strings; `get` answers 0 for keys never counted. */
export class Tally {
  private readonly counts = new Map<string, number>()
  add(key: string, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by)
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0
  }
  entries(): ReadonlyArray<readonly [string, number]> {
    return [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  }
}

export const siteMonth = (site: string, month: string) => `${site}\u0000${month}`

const localCache = new Map<string, WeakMap<object, LocalTime>>()

/** Local time of a record (or use) in the given zone, computed once per record and zone. */
export const localOf = (r: { readonly at: string }, timeZone: string): LocalTime => {
  let zone = localCache.get(timeZone)
  if (zone === undefined) {
    zone = new WeakMap()
    localCache.set(timeZone, zone)
  }
  let t = zone.get(r)
  if (t === undefined) {
    t = localTime(r.at, timeZone)
    zone.set(r, t)
  }
  return t
}

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null)
