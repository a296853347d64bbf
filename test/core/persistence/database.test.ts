/**
 * One database layer for every composition root (issue 12): the kiosk's
 * checked file and a scenario's full-fidelity site open SQLite the same way —
 * the scenario copy had drifted (no secure delete, no storage compaction,
 * hidden because retention looked the compaction up optionally; now it is
 * required, so a composition without it does not compile).
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { StorageCompaction } from "../../../core/persistence/database.ts"
import { databaseLayer } from "../../../kiosk/composition.ts"
import { siteDatabase } from "../../../scenarios/full/terminal.ts"
import { tempDb } from "../../support/terminal.ts"

const settings = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const one = (rows: ReadonlyArray<Record<string, unknown>>) => Number(Object.values(rows[0] ?? {})[0])
  yield* yield* StorageCompaction
  return {
    synchronous: one(yield* sql`PRAGMA synchronous`),
    foreignKeys: one(yield* sql`PRAGMA foreign_keys`),
    secureDelete: one(yield* sql`PRAGMA secure_delete`),
    journal: String(Object.values((yield* sql`PRAGMA journal_mode`)[0] ?? {})[0]),
    migrations: one(yield* sql`SELECT COUNT(*) FROM effect_sql_migrations`)
  }
})

describe("the terminal's database, opened the same way everywhere", () => {
  it.effect("kiosk and full-fidelity scenario: synchronous=FULL, foreign keys, secure delete, WAL, every migration, compaction", () =>
    Effect.gen(function*() {
      const kiosk = yield* settings.pipe(Effect.provide(databaseLayer(tempDb())))
      const scenario = yield* settings.pipe(Effect.provide(siteDatabase(tempDb())))
      expect(kiosk).toEqual({ synchronous: 2, foreignKeys: 1, secureDelete: 1, journal: "wal", migrations: kiosk.migrations })
      expect(kiosk.migrations).toBeGreaterThanOrEqual(5)
      expect(scenario).toEqual(kiosk)
      // only the benchmark's explicit choice differs
      expect((yield* settings.pipe(Effect.provide(siteDatabase(tempDb(), false)))).synchronous).toBe(0)
    }))
})
