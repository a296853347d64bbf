/**
 * The event log tells live subscribers (the staff screens) about an event
 * only once it is committed: an event appended inside a transaction that
 * rolls back was never logged, so no screen may have seen it. The control at
 * the end runs the same rollback over a client without the deferral and sees
 * the phantom event arrive — the check catches the broken property.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref, Stream } from "effect"
import { defaultPolicy, TerminalPolicy } from "../../../core/domain/config.ts"
import { OrderId } from "../../../core/domain/ids.ts"
import { AuditKey, EventLog } from "../../../core/persistence/EventLog.ts"
import { migrate } from "../../../core/persistence/migrations.ts"
import { tempDb, testTerminal } from "../../support/terminal.ts"

const reminded = (n: number) => ({ _tag: "OrderReminded" as const, orderId: OrderId.make(`ord_${String(n).padStart(12, "0")}`) })

class Rollback {
  readonly _tag = "Rollback"
}

const settle = Effect.repeatN(Effect.yieldNow(), 20)

/** Subscribes to the live feed and returns what it has heard so far (the order ids). */
const listen = Effect.gen(function*() {
  const log = yield* EventLog
  const heard = yield* Ref.make<ReadonlyArray<string>>([])
  yield* Effect.forkScoped(
    Stream.runForEach(log.live, (e) => Ref.update(heard, (xs) => [...xs, e.event._tag === "OrderReminded" ? e.event.orderId : e.event._tag]))
  )
  yield* settle
  return Effect.zipRight(settle, Ref.get(heard))
})

const stored = Effect.flatMap(
  EventLog,
  (log) => Effect.map(log.read({ types: ["OrderReminded"] }), (es) => es.map((e) => (e.event as { orderId: string }).orderId))
)

const scenario = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const log = yield* EventLog
  const heard = yield* listen
  // rolled back: neither stored nor heard
  yield* Effect.flip(sql.withTransaction(Effect.zipRight(log.append(reminded(1)), Effect.fail(new Rollback()))))
  const afterRollback = yield* heard
  // committed: heard only after the commit, not while the transaction is still open
  const whileOpen = yield* sql.withTransaction(Effect.zipRight(log.append(reminded(2)), heard))
  const afterCommit = yield* heard
  // a savepoint that fails inside a transaction that commits: its event is dropped, the outer one is heard
  yield* sql.withTransaction(Effect.gen(function*() {
    yield* log.append(reminded(3))
    yield* Effect.ignore(sql.withTransaction(Effect.zipRight(log.append(reminded(4)), Effect.fail(new Rollback()))))
  }))
  // outside any transaction: at once
  yield* log.append(reminded(5))
  return { afterRollback, whileOpen, afterCommit, atEnd: yield* heard, stored: yield* stored }
})

describe("the live feed hears only committed events", () => {
  it.scoped("rolled back: never heard; committed: heard after the commit; a failed savepoint's event dropped", () =>
    Effect.gen(function*() {
      const r = yield* scenario
      const id = (n: number) => reminded(n).orderId
      expect(r.afterRollback).not.toContain(id(1))
      expect(r.whileOpen).not.toContain(id(2))
      expect(r.afterCommit).toContain(id(2))
      expect(r.atEnd.filter((x) => x.startsWith("ord_"))).toEqual([id(2), id(3), id(5)])
      // what was heard is exactly what was stored
      expect(r.stored).toEqual([id(2), id(3), id(5)])
    }).pipe(Effect.provide(testTerminal())))

  it.scoped("control: over a client without the deferral, the rolled-back event reaches the subscriber", () =>
    Effect.gen(function*() {
      const r = yield* scenario
      expect(r.afterRollback).toContain(reminded(1).orderId)
      expect(r.stored).not.toContain(reminded(1).orderId)
    }).pipe(Effect.provide(EventLog.Default.pipe(Layer.provideMerge(Layer.mergeAll(
      Layer.effectDiscard(migrate).pipe(Layer.provideMerge(SqliteClient.layer({ filename: tempDb() }))),
      Layer.succeed(TerminalPolicy, defaultPolicy),
      Layer.succeed(AuditKey, new Uint8Array(32))
    ))))))
})
