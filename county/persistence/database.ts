/**
 * The county's database: PostgreSQL with the county's migrations and the
 * robust transactions (core/persistence/transactions.ts). `countySqlite`
 * gives the same schema on an SQLite client, for in-process tests and the
 * scenario engine's county.
 */
import { PgClient } from "@effect/sql-pg"
import { Layer, type Redacted } from "effect"
import { pgTypes } from "../../core/persistence/database.ts"
import * as Transactions from "../../core/persistence/transactions.ts"
import { migrateCounty } from "./migrations.ts"

/** The county's schema on the SqlClient below (migrated), with robust transactions. */
export const countySchema = Layer.effectDiscard(migrateCounty).pipe(Layer.provideMerge(Transactions.layer))

export const countyPostgres = (url: Redacted.Redacted, options: { readonly maxConnections?: number } = {}) =>
  countySchema.pipe(Layer.provideMerge(PgClient.layer({ url, types: pgTypes, maxConnections: options.maxConnections ?? 16 })))
