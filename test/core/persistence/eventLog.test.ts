/**
 * The event log: append-only, hash-chained, schema-validated, no card
 * identifiers in the clear.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { SessionId } from "../../../core/domain/ids.ts"
import { EventLog, type EventRow, verifyRows } from "../../../core/persistence/EventLog.ts"
import { cardIdOf } from "../../../hardware-sim/behavioural/CardTwin.ts"
import { startSession, testTerminal } from "../../support/terminal.ts"

describe("EventLog", () => {
  it.effect("chains every event to the one before and verifies the chain", () =>
    Effect.gen(function*() {
      const log = yield* EventLog
      for (let i = 0; i < 5; i++) yield* log.append({ _tag: "CardReadFailed", reason: `r${i}` })
      const check = yield* log.verify
      expect(check.ok).toBe(true)
      const rows = yield* log.rows()
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("refuses updates and deletes at the database", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const log = yield* EventLog
      yield* log.append({ _tag: "CardReadFailed", reason: "x" })
      expect(yield* Effect.flip(sql`UPDATE events SET data = '{}' WHERE seq = 1`)).toMatchObject({ _tag: "SqlError" })
      expect(yield* Effect.flip(sql`DELETE FROM events WHERE seq = 1`)).toMatchObject({ _tag: "SqlError" })
      expect((yield* log.verify).ok).toBe(true)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("finds the first changed, removed or reordered row of an exported log", () =>
    Effect.gen(function*() {
      const log = yield* EventLog
      for (let i = 0; i < 6; i++) yield* log.append({ _tag: "CardReadFailed", reason: `r${i}` })
      const rows = yield* log.rows()
      const changed: Array<EventRow> = rows.map((r) => (r.seq === 4 ? { ...r, data: r.data.replace("r", "x") } : r))
      expect(verifyRows(changed)).toMatchObject({ ok: false, brokenAt: 4 })
      expect(verifyRows(rows.filter((r) => r.seq !== 3))).toMatchObject({ ok: false, brokenAt: 4 })
      const swapped = [...rows]
      ;[swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!]
      expect(verifyRows(swapped)).toMatchObject({ ok: false })
      expect(verifyRows(rows)).toMatchObject({ ok: true, count: rows.length })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("validates payloads against their schema before writing", () =>
    Effect.gen(function*() {
      const log = yield* EventLog
      const before = (yield* log.rows()).length
      const bad = { _tag: "FeedbackGiven", sessionId: SessionId.make("ses_aaaaaaaaaaaa"), context: "pickup", rating: 9, recommend: "yes" } as const
      const exit = yield* Effect.exit(log.append(bad))
      expect(exit._tag).toBe("Failure")
      expect((yield* log.rows()).length).toBe(before)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a card appears only as a keyed hash, never as its identifier", () =>
    Effect.gen(function*() {
      const log = yield* EventLog
      const sql = yield* SqlClient.SqlClient
      yield* startSession("card-of-erika")
      const raw = Buffer.from(cardIdOf("card-of-erika")).toString("hex")
      const rows = yield* log.rows()
      const sessions = yield* sql<{ card_key: string }>`SELECT card_key FROM sessions`
      expect(JSON.stringify(rows)).not.toContain(raw)
      expect(JSON.stringify(sessions)).not.toContain(raw)
      expect(sessions[0]?.card_key).toMatch(/^[0-9a-f]{32}$/)
    }).pipe(Effect.provide(testTerminal())))
})
