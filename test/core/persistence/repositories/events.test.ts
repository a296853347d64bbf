/**
 * The event log's table on SQLite and on PostgreSQL: appends from many fibers
 * at once get one gap-free sequence and one unbroken hash chain on both (on
 * PostgreSQL that needs the log's own lock: READ COMMITTED lets two
 * transactions read the same head); the table refuses UPDATE and DELETE on
 * both; the head and the per-type count the kiosk's health report reads.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { defaultPolicy, TerminalPolicy } from "../../../../core/domain/config.ts"
import { SessionId } from "../../../../core/domain/ids.ts"
import { AuditKey, EventLog } from "../../../../core/persistence/EventLog.ts"
import { databases } from "../../../support/databases.ts"
import { testAuditKey } from "../../../support/terminal.ts"

const session = (n: number) => SessionId.make(`ses_${String(n).padStart(12, "0")}`)

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`the event log on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, EventLog | SqlClient.SqlClient>) =>
      effect.pipe(
        Effect.provide(EventLog.Default.pipe(Layer.provide(Layer.merge(Layer.succeed(TerminalPolicy, defaultPolicy), Layer.succeed(AuditKey, testAuditKey))))),
        Effect.provide(db.layer())
      )

    it.effect("64 parallel appends: seq 1..64 without a gap, the chain verifies, the head and counts agree", () =>
      run(Effect.gen(function*() {
        const log = yield* EventLog
        expect(yield* log.lastSeq).toBe(0)
        yield* Effect.forEach(
          Array.from({ length: 64 }, (_, i) => i),
          (i) =>
            log.append(
              i % 4 === 0
                ? { _tag: "CardSessionEnded", sessionId: session(i), reason: "timeout" }
                : { _tag: "CardSessionEnded", sessionId: session(i), reason: "cancelled" }
            ),
          { concurrency: "unbounded", discard: true }
        )
        const rows = yield* log.rows()
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1))
        expect((yield* log.verify).ok).toBe(true)
        expect(yield* log.lastSeq).toBe(64)
        expect(yield* log.count("CardSessionEnded")).toBe(64)
        expect(yield* log.count("PickupCompleted")).toBe(0)
        expect((yield* log.read({ afterSeq: 60 })).map((e) => e.seq)).toEqual([61, 62, 63, 64])
      })))

    it.effect("the table refuses UPDATE and DELETE: the log is append-only in the database itself", () =>
      run(Effect.gen(function*() {
        const log = yield* EventLog
        const sql = yield* SqlClient.SqlClient
        yield* log.append({ _tag: "CardSessionEnded", sessionId: session(1), reason: "cancelled" })
        const update = yield* Effect.flip(sql`UPDATE events SET data = '{}' WHERE seq = 1`)
        expect(String(update.cause)).toContain("append-only")
        const remove = yield* Effect.flip(sql`DELETE FROM events`)
        expect(String(remove.cause)).toContain("append-only")
        expect((yield* log.rows()).length).toBe(1)
        expect((yield* log.verify).ok).toBe(true)
      })))
  })
}
