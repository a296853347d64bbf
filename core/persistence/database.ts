/**
 * The terminal's SQLite database as every composition opens it — the kiosk's
 * and a scenario's full-fidelity site alike: WAL with synchronous=FULL (a
 * committed transaction survives a power cut; `durable: false` only to
 * measure what that costs), foreign keys, secure delete (erased personal data
 * is overwritten, not left in free pages), migrations, transactions that fail
 * as errors. Provides the storage compaction retention needs to make erasure
 * final on disk. Needs the SqlClient below it (the kiosk checks the file
 * before it opens one).
 */
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import type { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Layer, type Redacted } from "effect"
import pg from "pg"
import { migrate } from "./migrations.ts"
import * as Transactions from "./transactions.ts"

/** Makes erasure final on disk (for SQLite: checkpoint the WAL, whose old page images would still hold erased values). */
export class StorageCompaction extends Context.Tag("amtomat/StorageCompaction")<StorageCompaction, Effect.Effect<void, SqlError>>() {}

export interface DatabaseSettings {
  /** synchronous=FULL (default) or OFF, only to measure what durable commits cost */
  readonly durable?: boolean
}

export const sqliteDatabase = (settings: DatabaseSettings = {}) =>
  Layer.effect(
    StorageCompaction,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* (settings.durable === false ? sql`PRAGMA synchronous = OFF` : sql`PRAGMA synchronous = FULL`)
      yield* sql`PRAGMA foreign_keys = ON`
      yield* sql`PRAGMA busy_timeout = 5000`
      yield* sql`PRAGMA secure_delete = ON`
      yield* migrate
      return Effect.asVoid(sql`PRAGMA wal_checkpoint(TRUNCATE)`)
    })
  ).pipe(Layer.provideMerge(Transactions.layer))

/** PostgreSQL's BIGINT (oid 20) as a number, as SQLite returns it: epoch milliseconds and counts fit in 2^53. */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser:
    ((oid: number, format?: "text" | "binary") => oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig[
      "getTypeParser"
    ]
}

/**
 * The same schema and transactions on PostgreSQL (the county; the repositories' tests run on
 * both): the client, the migrations, robust transactions. Nothing to compact: PostgreSQL's
 * VACUUM reclaims erased rows on its own schedule, so compaction is a no-op here.
 */
export const postgresDatabase = (url: Redacted.Redacted) =>
  Layer.effect(StorageCompaction, Effect.as(migrate, Effect.void)).pipe(
    Layer.provideMerge(Transactions.layer),
    Layer.provideMerge(PgClient.layer({ url, types: pgTypes, maxConnections: 8 }))
  )
