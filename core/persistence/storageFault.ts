/**
 * Storage that fails, on demand, for the twin and for tests:
 *
 *   full      SQLite's `max_page_count` is set to the database's current
 *             size: a write that needs one more page fails with SQLITE_FULL,
 *             as on a full disk, while a write that fits into the pages there
 *             still succeeds — exactly what a nearly full disk does.
 *   readonly  `query_only`: every write fails (SQLITE_READONLY), as on a disk
 *             remounted read-only after an I/O error. Deterministic: the
 *             tests of "nothing opens without its event" use it.
 *   none      both lifted.
 *
 * Reads keep working in every mode.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export type StorageFault = "none" | "full" | "readonly"

/** SQLite's largest page count (the default limit). */
const NO_LIMIT = 4294967294

export const setStorageFault = (fault: StorageFault) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`PRAGMA query_only = ${fault === "readonly" ? 1 : 0}`)
    if (fault !== "full") return void (yield* sql.unsafe(`PRAGMA max_page_count = ${NO_LIMIT}`))
    const rows = yield* sql<{ page_count: number }>`PRAGMA page_count`
    yield* sql.unsafe(`PRAGMA max_page_count = ${Math.max(1, rows[0]?.page_count ?? 1)}`)
  })
