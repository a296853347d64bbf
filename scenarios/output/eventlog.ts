/**
 * The run's event log: the same records a real terminal writes, hash-chained
 * exactly like core/persistence/EventLog.ts (hashRow over the previous hash
 * and the canonical JSON of the event), so `verifyRows` accepts a run's log
 * as it accepts a terminal's. Events are collected with their time, then
 * ordered by time (stable: same-millisecond events keep emission order).
 */
import type { TerminalEvent } from "../../core/domain/events.ts"
import { canonicalJson } from "../../core/persistence/canonical.ts"
import { type EventRow, GENESIS, hashRow } from "../../core/persistence/EventLog.ts"

export interface EventSink {
  /** An event at epoch milliseconds `at`, at the terminal of `site`. */
  readonly emit: (at: number, site: number, event: TerminalEvent) => void
}

export const nullSink: EventSink = { emit: () => {} }

interface Entry {
  readonly at: number
  readonly n: number
  readonly site: number
  readonly event: TerminalEvent
}

export class CollectingSink implements EventSink {
  private readonly entries: Array<Entry> = []
  constructor(readonly siteNames: ReadonlyArray<string>, readonly terminalId = "T1") {}
  readonly emit = (at: number, site: number, event: TerminalEvent): void => {
    this.entries.push({ at, n: this.entries.length, site, event })
  }
  get size(): number {
    return this.entries.length
  }
  /** The chained rows in time order. */
  rows(): ReadonlyArray<EventRow> {
    const sorted = [...this.entries].sort((a, b) => a.at - b.at || a.n - b.n)
    return chain(sorted.map((e) => ({ at: new Date(e.at).toISOString(), site: this.siteNames[e.site]!, terminal: this.terminalId, event: e.event })))
  }
}

/** Chains events given in order: seq from 1, each hash over the one before. */
export const chain = (
  events: ReadonlyArray<{ readonly at: string; readonly site: string; readonly terminal: string; readonly event: TerminalEvent }>
): ReadonlyArray<EventRow> => {
  let prev = GENESIS
  return events.map((e, i) => {
    // The events' schemas have no transformations: the encoded form is the value itself.
    const base = { seq: i + 1, at: e.at, site: e.site, terminal: e.terminal, type: e.event._tag, data: canonicalJson(e.event), prev_hash: prev }
    const hash = hashRow(base)
    prev = hash
    return { ...base, hash }
  })
}

/** One NDJSON line, as `amtomat events` prints it. */
export const ndjsonLine = (row: EventRow): string => {
  const { _tag, ...payload } = JSON.parse(row.data) as { _tag: string }
  return JSON.stringify({ seq: row.seq, at: row.at, site: row.site, terminal: row.terminal, type: _tag, ...payload, hash: row.hash })
}

/** The rows back from NDJSON lines (for verification with verifyRows). */
export const rowsFromNdjson = (lines: ReadonlyArray<string>): ReadonlyArray<EventRow> => {
  let prev = GENESIS
  return lines.filter((l) => l.trim() !== "").map((line) => {
    const { seq, at, site, terminal, type, hash, ...payload } = JSON.parse(line) as Record<string, unknown>
    const row: EventRow = {
      seq: seq as number,
      at: at as string,
      site: site as string,
      terminal: terminal as string,
      type: type as string,
      data: canonicalJson({ _tag: type, ...payload }),
      prev_hash: prev,
      hash: hash as string
    }
    prev = row.hash
    return row
  })
}
