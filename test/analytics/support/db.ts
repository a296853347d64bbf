/**
 * A terminal database written through the real EventLog (hash chain, schema
 * checks, migrations), each event at the time it names: the clock is the
 * TestClock, set before every append.
 */
import { Effect, Layer, TestClock, TestContext } from "effect"
import type { EventRecord } from "../../../analytics/records.ts"
import { defaultPolicy, TerminalPolicy } from "../../../core/domain/config.ts"
import { AuditKey, EventLog } from "../../../core/persistence/EventLog.ts"
import { databaseLayer } from "../../../kiosk/composition.ts"

export const seedTerminalDb = (file: string, site: string, records: ReadonlyArray<Pick<EventRecord, "at" | "event">>) =>
  Effect.gen(function*() {
    const log = yield* EventLog
    for (const r of records) {
      yield* TestClock.setTime(Date.parse(r.at))
      yield* log.append(r.event)
    }
  }).pipe(
    Effect.provide(EventLog.Default.pipe(
      Layer.provide(
        Layer.mergeAll(databaseLayer(file), Layer.succeed(TerminalPolicy, { ...defaultPolicy, site }), Layer.succeed(AuditKey, new Uint8Array(32)))
      ),
      Layer.merge(TestContext.TestContext)
    )),
    Effect.runPromise
  )
