/**
 * A terminal's database read without writing to it: a live terminal's file
 * beside a running `serve`, or an archived copy on read-only media (a DVD, a
 * write-protected stick, a read-only mount).
 *
 * SQLite in WAL mode needs its `-shm` file writable, or the URI parameter
 * `immutable=1`; better-sqlite3 is built with SQLITE_USE_URI=0 and does not
 * pass SQLITE_OPEN_URI, so `file:…?immutable=1` is taken as a file name. So a
 * file whose folder is writable is opened in place, read-only (SQLite keeps
 * its `-shm` beside it, as for any reader of a live terminal's database), and
 * a file whose folder is not writable is copied with its `-wal` to a
 * temporary folder first, which is always correct: the committed rows still
 * in the `-wal` are read too, and nothing on the medium is touched. The copy
 * is removed when the layer's scope closes.
 *
 * No migrations run. A database whose schema is older or newer than this
 * version's, a missing file, a file that is not a database and a damaged one
 * (PRAGMA quick_check) each fail with one sentence (DatabaseError).
 */
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Effect, Layer } from "effect"
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { migrations } from "../core/persistence/migrations.ts"
import { hasTable, quickCheck, schemaVersion as schemaVersionOf } from "../core/persistence/sqliteFile.ts"
import { damaged, DatabaseError, explain, hasSqliteHeader, isDamageCode, quickCheckProblem } from "./databaseFile.ts"

/** The schema version this amtomat writes: the highest migration id. */
export const schemaVersion = Math.max(...Object.keys(migrations).map((k) => Number(k.split("_")[0])))

const fail = (reason: DatabaseError["reason"], file: string, message: string) => new DatabaseError({ reason, file, message })

/** A folder SQLite could keep its `-shm` in; the owner's write bit counts even for root, so a folder marked read-only is left alone. */
const writableFolder = (folder: string) => {
  try {
    accessSync(folder, constants.W_OK)
    return (statSync(folder).mode & 0o200) !== 0
  } catch {
    return false
  }
}

/** Missing, a folder, unreadable or not SQLite: one sentence before SQLite sees the file. */
const inspect = (file: string): DatabaseError | undefined => {
  let size: number
  try {
    const stat = statSync(file, { throwIfNoEntry: false })
    if (stat === undefined) return fail("Missing", file, `no database at ${file}`)
    if (stat.isDirectory()) return fail("IsDirectory", file, `the database ${file} is a folder, not a database file`)
    if (!stat.isFile()) return fail("Unusable", file, `the database ${file} is not a regular file`)
    accessSync(file, constants.R_OK)
    size = stat.size
  } catch (e) {
    return fail("Unusable", file, `the database ${file} cannot be read: ${explain(e)}`)
  }
  // an empty file is an empty database: the schema check below says it is no amtomat database
  if (size > 0 && !hasSqliteHeader(file)) return fail("NotADatabase", file, `the file ${file} is not an SQLite database`)
  return undefined
}

/** The path SQLite opens: the file itself, or a copy of it and its `-wal` in a temporary folder removed with the scope. */
const placeToOpen = (file: string) =>
  Effect.gen(function*() {
    const problem = inspect(file)
    if (problem !== undefined) return yield* problem
    if (writableFolder(dirname(file))) return file
    return yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          const folder = mkdtempSync(join(tmpdir(), "amtomat-readonly-"))
          try {
            const copy = join(folder, basename(file))
            copyFileSync(file, copy)
            // the -wal holds committed transactions not yet checkpointed; the -shm is rebuilt from it
            if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`)
            return { folder, copy }
          } catch (e) {
            rmSync(folder, { recursive: true, force: true })
            throw e
          }
        },
        catch: (e) =>
          fail("Unusable", file, `cannot copy the database ${file} off its read-only folder to ${tmpdir()} (set TMPDIR to a folder with room): ${explain(e)}`)
      }),
      ({ folder }) => Effect.sync(() => rmSync(folder, { recursive: true, force: true }))
    ).pipe(Effect.map(({ copy }) => copy))
  })

/** Nothing damaged, and the schema this version reads. */
const checked = (file: string) =>
  Layer.effectDiscard(Effect.gen(function*() {
    const problem = quickCheckProblem(yield* quickCheck)
    if (problem !== undefined) return yield* damaged(file, problem, "archive")
    if (!(yield* hasTable("effect_sql_migrations"))) {
      return yield* fail("NotADatabase", file, `the file ${file} is an SQLite database but not an amtomat database (it has no schema version)`)
    }
    const version = yield* schemaVersionOf
    if (version > schemaVersion) {
      return yield* fail(
        "SchemaMismatch",
        file,
        `the database ${file} has schema version ${version}, newer than this amtomat reads (${schemaVersion}): read it with the amtomat version that wrote it, or a newer one`
      )
    }
    if (version < schemaVersion) {
      return yield* fail(
        "SchemaMismatch",
        file,
        `the database ${file} has schema version ${version}, older than this amtomat reads (${schemaVersion}): read it with the amtomat version that wrote it, or migrate a writable copy first (\`amtomat serve --db COPY\` migrates it on start)`
      )
    }
  }))

/** SQLite's own failure on opening or reading (a driver exception, SQLITE_CORRUPT, SQLITE_CANTOPEN …) as one sentence. */
const explainFailure = <E>(file: string, cause: Cause.Cause<E>): Cause.Cause<DatabaseError> => {
  // no failure in it: the mapping is never called
  if (Cause.isInterruptedOnly(cause)) return Cause.map(cause, () => fail("Unusable", file, `reading the database ${file} was interrupted`))
  const failure = Cause.squash(cause)
  if (failure instanceof DatabaseError) return Cause.fail(failure)
  const inner = (failure as { cause?: unknown }).cause ?? failure
  const code = String((inner as { code?: unknown }).code ?? "")
  const text = inner instanceof Error ? inner.message : String(inner)
  if (isDamageCode(code) || code === "SQLITE_NOTADB") {
    return Cause.fail(hasSqliteHeader(file) ? damaged(file, text, "archive") : fail("NotADatabase", file, `the file ${file} is not an SQLite database`))
  }
  return Cause.fail(fail("Unusable", file, `the database ${file} cannot be read: ${text}`))
}

/**
 * The database `file`, read-only, for `events`, `report --db` and `audit
 * verify`: in place when its folder is writable, else from a temporary copy
 * (read-only media). Never written, never migrated.
 */
export const readOnlyDatabaseLayer = (file: string): Layer.Layer<SqlClient.SqlClient, DatabaseError> =>
  checked(file).pipe(
    // WAL mode is read from the file; a read-only connection must not try to switch it
    Layer.provideMerge(Layer.unwrapScoped(Effect.map(placeToOpen(file), (filename) => SqliteClient.layer({ filename, readonly: true, disableWAL: true })))),
    Layer.catchAllCause((cause) => Layer.failCause(explainFailure(file, cause)))
  )
