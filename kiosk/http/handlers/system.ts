import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { TerminalConfig } from "../../../core/domain/config.ts"
import { CardTerminal } from "../../../core/ports/CardTerminal.ts"
import { LockerBank } from "../../../core/ports/LockerBank.ts"
import { AmtomatApi } from "../api.ts"

export const SystemHandlers = HttpApiBuilder.group(AmtomatApi, "system", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalConfig
    const locker = yield* LockerBank
    const card = yield* CardTerminal
    return handlers.handle("health", () =>
      Effect.gen(function*() {
        const events = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM events`.pipe(
          Effect.map((r) => r[0]?.n ?? 0),
          Effect.orElseSucceed(() => -1)
        )
        const snapshot = yield* Effect.either(locker.snapshot)
        const lockerState = snapshot._tag === "Left" ? "offline" : snapshot.right.some((s) => s.door === "unknown") ? "degraded" : "ok"
        const cardState = (yield* Effect.either(card.health))._tag === "Left" ? "offline" : "ok"
        const devices = { locker: lockerState, card: cardState, database: events >= 0 ? "ok" : "offline" }
        return {
          status: Object.values(devices).every((v) => v === "ok") ? "ok" as const : "degraded" as const,
          site: config.site,
          terminal: config.terminalId,
          devices,
          events: Math.max(0, events)
        }
      }))
  }))
