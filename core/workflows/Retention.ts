/**
 * Storage limitation: every kind of personal data has a start event and a
 * deletion period (TerminalConfig.retention); this job enforces them. Each
 * run is logged per kind, so the audit trail shows it happened.
 *
 *   phone numbers       order closed (collected, returned, counter)   -> erased
 *   application data    delivered / submitted but never delivered    -> form values and scans erased
 *   stray scans         scanned, never attached                       -> deleted
 *   card sessions       session start (keyed card hash)              -> deleted
 *   one-time codes      used or expired                               -> deleted at once
 *   staff sessions      expired                                       -> deleted at once
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { TerminalConfig } from "../domain/config.ts"
import { StorageCompaction } from "../persistence/database.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { isoOf, nowMillis } from "./support.ts"

const DAY = 86_400_000

export class Retention extends Effect.Service<Retention>()("amtomat/Retention", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const compact = yield* StorageCompaction
    const config = yield* TerminalConfig
    const log = yield* EventLog

    /** Applies (or with dryRun only counts) every deletion that is due; returns the counts per kind. */
    const run = Effect.fn("Retention.run")(function*(options: { readonly dryRun: boolean }) {
      const now = yield* nowMillis
      const r = config.retention
      const closedBefore = isoOf(now - r.phoneAfterCloseDays * DAY)
      const deliveredBefore = isoOf(now - r.applicationAfterDeliveryDays * DAY)
      const submittedBefore = isoOf(now - r.applicationUndeliveredDays * DAY)
      const kinds = [
        {
          kind: "phone-numbers",
          count: sql<
            { n: number }
          >`SELECT COUNT(*) AS n FROM orders WHERE phone IS NOT NULL AND status IN ('collected', 'returned', 'counter') AND closed_at < ${closedBefore}`,
          apply: sql`UPDATE orders SET phone = NULL WHERE phone IS NOT NULL AND status IN ('collected', 'returned', 'counter') AND closed_at < ${closedBefore}`
        },
        {
          kind: "application-data",
          count: sql<{ n: number }>`SELECT COUNT(*) AS n FROM applications WHERE fields != '{"erased":true}' AND (
            (status = 'delivered' AND created_at < ${deliveredBefore}) OR (status != 'delivered' AND created_at < ${submittedBefore}))`,
          apply: Effect.gen(function*() {
            const due = sql`SELECT id FROM applications WHERE fields != '{"erased":true}' AND (
              (status = 'delivered' AND created_at < ${deliveredBefore}) OR (status != 'delivered' AND created_at < ${submittedBefore}))`
            yield* sql`DELETE FROM attachments WHERE application_id IN (${due})`
            yield* sql`UPDATE applications SET fields = '{"erased":true}', last_error = NULL WHERE id IN (${due})`
          })
        },
        {
          kind: "stray-scans",
          count: sql<{ n: number }>`SELECT COUNT(*) AS n FROM attachments WHERE application_id IS NULL AND created_at < ${now - r.strayScanHours * 3_600_000}`,
          apply: sql`DELETE FROM attachments WHERE application_id IS NULL AND created_at < ${now - r.strayScanHours * 3_600_000}`
        },
        {
          kind: "card-sessions",
          count: sql<{ n: number }>`SELECT COUNT(*) AS n FROM sessions WHERE started_at < ${now - r.sessionDays * DAY} AND ended_at IS NOT NULL`,
          apply: sql`DELETE FROM sessions WHERE started_at < ${now - r.sessionDays * DAY} AND ended_at IS NOT NULL`
        },
        {
          kind: "one-time-codes",
          count: sql<{ n: number }>`SELECT COUNT(*) AS n FROM codes WHERE used = 1 OR expires_at < ${now}`,
          apply: sql`DELETE FROM codes WHERE used = 1 OR expires_at < ${now}`
        },
        {
          kind: "staff-sessions",
          count: sql<{ n: number }>`SELECT COUNT(*) AS n FROM staff_sessions WHERE expires_at < ${now}`,
          apply: sql`DELETE FROM staff_sessions WHERE expires_at < ${now}`
        }
      ]
      const result: Array<{ kind: string; count: number }> = []
      for (const k of kinds) {
        const count = (yield* k.count)[0]?.n ?? 0
        result.push({ kind: k.kind, count })
        if (options.dryRun || count === 0) continue
        yield* sql.withTransaction(k.apply)
        yield* log.append({ _tag: "RetentionApplied", kind: k.kind, count })
      }
      if (!options.dryRun && result.some((k) => k.count > 0)) {
        yield* compact
      }
      return result
    })

    return { run } as const
  }),
  dependencies: [EventLog.Default]
}) {}
