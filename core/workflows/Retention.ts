/**
 * Storage limitation: every kind of personal data has a start event and a
 * deletion period (TerminalPolicy.retention); this job enforces them. Each
 * run is logged per kind, so the audit trail shows it happened.
 *
 *   phone numbers       order closed (collected, returned, counter)   -> erased
 *   application data    delivered / submitted but never delivered    -> form values and scans erased
 *   stray scans         scanned, never attached                       -> deleted
 *   card sessions       session start (keyed card hash)              -> deleted
 *   one-time codes      used or expired                               -> deleted at once
 *   staff sessions      expired                                       -> deleted at once
 */
import { Effect } from "effect"
import { TerminalPolicy } from "../domain/config.ts"
import { ApplicationsRepo } from "../persistence/ApplicationsRepo.ts"
import { AttachmentsRepo } from "../persistence/AttachmentsRepo.ts"
import { CodesRepo } from "../persistence/CodesRepo.ts"
import { StorageCompaction } from "../persistence/database.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { OrdersRepo } from "../persistence/OrdersRepo.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { StaffSessionsRepo } from "../persistence/StaffSessionsRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { isoOf, nowMillis } from "./support.ts"

const DAY = 86_400_000

export class Retention extends Effect.Service<Retention>()("amtomat/Retention", {
  effect: Effect.gen(function*() {
    const transaction = yield* withTransaction
    const compact = yield* StorageCompaction
    const config = yield* TerminalPolicy
    const log = yield* EventLog
    const orders = yield* OrdersRepo
    const applications = yield* ApplicationsRepo
    const attachments = yield* AttachmentsRepo
    const sessions = yield* SessionsRepo
    const codes = yield* CodesRepo
    const staffSessions = yield* StaffSessionsRepo

    /** Applies (or with dryRun only counts) every deletion that is due; returns the counts per kind. */
    const run = Effect.fn("Retention.run")(function*(options: { readonly dryRun: boolean }) {
      const now = yield* nowMillis
      const r = config.retention
      const closedBefore = isoOf(now - r.phoneAfterCloseDays * DAY)
      const cutoffs = {
        deliveredBefore: isoOf(now - r.applicationAfterDeliveryDays * DAY),
        submittedBefore: isoOf(now - r.applicationUndeliveredDays * DAY)
      }
      const strayBefore = now - r.strayScanHours * 3_600_000
      const sessionsBefore = now - r.sessionDays * DAY
      const kinds = [
        { kind: "phone-numbers", count: orders.countPhonesDue(closedBefore), apply: orders.erasePhones(closedBefore) },
        {
          kind: "application-data",
          count: applications.countDataDue(cutoffs),
          apply: Effect.flatMap(applications.eraseDataDue(cutoffs), attachments.deleteOfApplications)
        },
        { kind: "stray-scans", count: attachments.countStray(strayBefore), apply: attachments.deleteStray(strayBefore) },
        { kind: "card-sessions", count: sessions.countRetentionDue(sessionsBefore), apply: sessions.deleteRetentionDue(sessionsBefore) },
        { kind: "one-time-codes", count: codes.countSpent(now), apply: codes.deleteSpent(now) },
        { kind: "staff-sessions", count: staffSessions.countExpired(now), apply: staffSessions.deleteExpired(now) }
      ]
      const result: Array<{ kind: string; count: number }> = []
      for (const k of kinds) {
        const count = yield* k.count
        result.push({ kind: k.kind, count })
        if (options.dryRun || count === 0) continue
        yield* transaction(Effect.asVoid(k.apply))
        yield* log.append({ _tag: "RetentionApplied", kind: k.kind, count })
      }
      if (!options.dryRun && result.some((k) => k.count > 0)) {
        yield* compact
      }
      return result
    })

    return { run } as const
  }),
  dependencies: [
    EventLog.Default,
    OrdersRepo.Default,
    ApplicationsRepo.Default,
    AttachmentsRepo.Default,
    SessionsRepo.Default,
    CodesRepo.Default,
    StaffSessionsRepo.Default
  ]
}) {}
