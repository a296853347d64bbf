/**
 * Hand-built event logs for the aggregation tests: valid ids, one-line event
 * constructors and the NDJSON export format of docs/run-format.md.
 */
import { createHash } from "node:crypto"
import type { TerminalEvent } from "../../core/domain/events.ts"
import { AlarmId, ApplicationId, CompartmentId, OrderId, SessionId, StaffId } from "../../core/domain/ids.ts"
import type { EventRecord } from "../records.ts"

const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(12, "0")}`

export const ord = (n: number) => OrderId.make(id("ord", n))
export const ses = (n: number) => SessionId.make(id("ses", n))
export const app = (n: number) => ApplicationId.make(id("app", n))
export const alarmId = (n: number) => AlarmId.make(id("alm", n))
export const staff = StaffId.make(id("stf", 1))
export const box = (n: number) => CompartmentId.make(n)

export const rec = (at: string, site: string, event: TerminalEvent): EventRecord => ({ at, site, terminal: "T1", event })

/** Events of a complete terminal pickup: session, code, old document, door, taken. */
export const pickupEvents = (at: string, site: string, s: number, o: number, card: string, wrongCodes = 0): ReadonlyArray<EventRecord> => [
  rec(at, site, { _tag: "CardSessionStarted", sessionId: ses(s), cardKey: card }),
  rec(at, site, { _tag: "PickupStarted", sessionId: ses(s), orderId: ord(o) }),
  ...Array.from({ length: wrongCodes }, (_, i) => rec(at, site, { _tag: "CodeRejected", sessionId: ses(s), orderId: ord(o), reason: "wrong", attempt: i + 1 })),
  rec(at, site, { _tag: "CodeVerified", sessionId: ses(s), orderId: ord(o) }),
  rec(at, site, { _tag: "OldDocumentReceived", sessionId: ses(s), orderId: ord(o) }),
  rec(at, site, { _tag: "PickupCompleted", sessionId: ses(s), orderId: ord(o), documentKind: "id-card", durationMs: 90_000 }),
  rec(at, site, { _tag: "CardSessionEnded", sessionId: ses(s), reason: "finished" })
]

export const loaded = (at: string, site: string, o: number): ReadonlyArray<EventRecord> => [
  rec(at, site, { _tag: "OrderAnnounced", orderId: ord(o), documentKind: "id-card", requiresOldDocument: true, size: "S" }),
  rec(at, site, { _tag: "OrderLoaded", orderId: ord(o), compartmentId: box(1), by: staff })
]

export const announced = (at: string, site: string, o: number): EventRecord =>
  rec(at, site, { _tag: "OrderAnnounced", orderId: ord(o), documentKind: "id-card", requiresOldDocument: true, size: "S" })

export const counter = (at: string, site: string, o: number): EventRecord =>
  rec(at, site, { _tag: "CounterHandover", orderId: ord(o), documentKind: "id-card" })

export const application = (at: string, site: string, s: number, a: number, card: string, serviceId: string): ReadonlyArray<EventRecord> => [
  rec(at, site, { _tag: "CardSessionStarted", sessionId: ses(s), cardKey: card }),
  rec(at, site, { _tag: "AttachmentScanned", sessionId: ses(s), pages: 1, bytes: 1000 }),
  rec(at, site, { _tag: "ApplicationSubmitted", sessionId: ses(s), applicationId: app(a), serviceId, attachments: 1 })
]

/** The NDJSON line `amtomat events` prints for a record. */
export const ndjsonLine = (r: EventRecord, seq: number): string => {
  const { _tag, ...payload } = r.event
  const body = { seq, at: r.at, site: r.site, terminal: r.terminal, type: _tag, ...payload }
  return JSON.stringify({ ...body, hash: createHash("sha256").update(JSON.stringify(body)).digest("hex") })
}

export const toNdjson = (records: ReadonlyArray<EventRecord>): string =>
  records.map((r, i) => ndjsonLine(r, i + 1)).join("\n") + (records.length > 0 ? "\n" : "")
