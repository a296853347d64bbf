/**
 * What the kiosk asks of an SQLite file as a file, not of a table: is it
 * damaged, which file is it, can it be written, which schema version does it
 * hold, does it have an event log. And the lock database that keeps a second
 * `serve` off the same file (`kiosk/instanceLock.ts` decides what to do with
 * the answers). SQL lives only in core/persistence, so these statements are
 * here; they are SQLite's own (PRAGMA, sqlite_master, BEGIN EXCLUSIVE) and
 * run only where the database is SQLite.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Context, Effect, Layer } from "effect"

/** `PRAGMA quick_check`'s rows: a single "ok" when nothing is damaged. */
export const quickCheck = Effect.flatMap(SqlClient.SqlClient, (sql) => sql<Record<string, unknown>>`PRAGMA quick_check`)

/** The path of the main database file ("" for an in-memory one or when SQLite will not say). */
export const mainFile = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    sql<{ name: string; file: string }>`PRAGMA database_list`.pipe(
      Effect.map((files) => files.find((f) => f.name === "main")?.file ?? ""),
      Effect.orElseSucceed(() => "")
    )
)

/**
 * A write statement that matches nothing: it takes the write lock and writes nothing, so it
 * fails on a read-only file or file system, on a full disk with a pending journal, on a corrupt file.
 */
export const writeProbe = Effect.flatMap(SqlClient.SqlClient, (sql) => Effect.asVoid(sql`DELETE FROM throttle WHERE 0`))

/** Whether the file has this table (an event log: `events`; a schema version: `effect_sql_migrations`). */
export const hasTable = (name: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => Effect.map(sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${name}`, (rows) => rows.length > 0)
  )

/** The newest migration the file has had (0 for none). */
export const schemaVersion = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    Effect.map(
      sql<{ version: number | null }>`SELECT MAX(migration_id) AS version FROM effect_sql_migrations`,
      ([row]) => Number(row?.version ?? 0)
    )
)

/** Opens the lock database beside a terminal's database (`<db>.lock`) for the rest of the scope. */
export const openLockDatabase = (lockFile: string) =>
  Effect.map(Layer.build(SqliteClient.layer({ filename: lockFile })), (context) => lockDatabase(Context.get(context, SqlClient.SqlClient)))

/** The lock database's statements: who holds it and since when. */
const lockDatabase = (sql: SqlClient.SqlClient) => ({
  /** never wait for the lock: a held lock is an answer, not a delay */
  noWaiting: Effect.asVoid(sql`PRAGMA busy_timeout = 0`),
  /** the write lock, held until COMMIT (or the process's end) */
  takeExclusive: Effect.asVoid(sql`BEGIN EXCLUSIVE`),
  holder: Effect.map(sql<{ pid: number; since: string }>`SELECT pid, since FROM holder WHERE id = 1`, (rows) => rows[0]),
  /** records the holder and commits the transaction `takeExclusive` opened */
  recordHolder: (pid: number, since: string) =>
    Effect.all([
      sql`CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, since TEXT NOT NULL)`,
      sql`INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ${pid}, ${since})`,
      sql`COMMIT`
    ], { discard: true })
})
