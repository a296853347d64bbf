/**
 * The two databases every repository runs on: SQLite in a file (the terminal)
 * and PostgreSQL (the county), each fresh per call, migrated and with the
 * robust transactions — exactly the layers the programs use
 * (`sqliteDatabase`, `postgresDatabase`). A repository suite is written once
 * and run on both:
 *
 *   for (const db of databases) describe.skipIf(db.skip)(db.name, () => { it.effect(..., () => ....pipe(Effect.provide(db.layer()))) })
 *
 * PostgreSQL comes from the run's server (`test/support/postgresServer.ts`); each
 * `layer()` makes its own database there, so suites and tests never share rows.
 */
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import pg from "pg"
import { inject } from "vitest"
import { postgresDatabase, sqliteDatabase, type StorageCompaction } from "../../core/persistence/database.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"

/** A new database in the run's PostgreSQL server, dropped when the scope closes. */
export const freshPostgres = (url: string) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const name = `t_${randomBytes(6).toString("hex")}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const target = new URL(url)
      target.pathname = `/${name}`
      return { name, url: target.toString() }
    }),
    ({ name }) =>
      Effect.promise(async () => {
        const admin = new pg.Client({ connectionString: url })
        await admin.connect()
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await admin.end()
      }).pipe(Effect.ignore)
  )

export interface TestDatabase {
  readonly name: "SQLite" | "PostgreSQL"
  /** Why this database cannot run here (its half of a suite is skipped), or "" */
  readonly skip: string
  readonly layer: () => Layer.Layer<SqlClient.SqlClient | StorageCompaction>
}

const postgresUrl = inject("postgresUrl")

export const databases: ReadonlyArray<TestDatabase> = [
  {
    name: "SQLite",
    skip: "",
    layer: () => sqliteDatabase().pipe(Layer.provideMerge(SqliteClient.layer({ filename: tempDb() })), Layer.orDie)
  },
  {
    name: "PostgreSQL",
    skip: postgresUrl === "" ? inject("postgresMissing") : "",
    layer: () => Layer.unwrapScoped(Effect.map(freshPostgres(postgresUrl), ({ url }) => postgresDatabase(Redacted.make(url)))).pipe(Layer.orDie)
  }
]
