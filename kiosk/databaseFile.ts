/**
 * The terminal's database file, checked before SQLite opens it: a folder, a
 * folder that cannot be created, a read-only file or a file that is not a
 * database each get one sentence instead of a driver's stack trace; so does a
 * damaged one (SQLITE_CORRUPT), found at opening or later.
 */
import { Data, Effect } from "effect"
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, type Stats, statSync } from "node:fs"
import { dirname } from "node:path"

export class DatabaseError extends Data.TaggedError("DatabaseError")<{
  readonly reason: "IsDirectory" | "FolderUnavailable" | "ReadOnly" | "NotADatabase" | "Damaged" | "Missing" | "SchemaMismatch" | "Unusable"
  readonly file: string
  readonly message: string
}> {}

const SQLITE_HEADER = "SQLite format 3\u0000"

/** Where the steps after a damaged database are described. */
export const RECOVERY_DOC = "docs/database-recovery.md"

/**
 * A damaged database (SQLITE_CORRUPT, or SQLITE_NOTADB behind a valid
 * header), in one sentence: which file, what SQLite said, what to do. The
 * terminal's own database is taken out of service; an archived copy is read
 * through a recovered copy instead.
 */
export const damaged = (file: string, detail: string, use: "terminal" | "archive" = "terminal") =>
  new DatabaseError({
    reason: "Damaged",
    file,
    message: use === "terminal"
      ? `the database ${file} is damaged (${detail}): stop the terminal, keep the file for inspection, restore the last backup or recover it with \`sqlite3 ${file} .recover | sqlite3 recovered.db\` (${RECOVERY_DOC})`
      : `the database ${file} is damaged (${detail}): keep the file for inspection and read a recovered copy instead, made with \`sqlite3 ${file} .recover | sqlite3 recovered.db\` (${RECOVERY_DOC})`
  })

/** SQLite's result codes that mean the file's content is damaged. */
export const isDamageCode = (code: string | undefined) => code !== undefined && code.startsWith("SQLITE_CORRUPT")

/** What `PRAGMA quick_check` found, in a few words: undefined if it said "ok". */
export const quickCheckProblem = (rows: ReadonlyArray<Record<string, unknown>>): string | undefined => {
  const lines = rows.map((r) => String(Object.values(r)[0] ?? ""))
  if (lines.length === 1 && lines[0] === "ok") return undefined
  const first = (lines[0] ?? "no answer").replace(/^\*\*\* in database \w+ \*\*\*\s*/, "").split("\n")[0]!.trim()
  const shown = first.length > 120 ? `${first.slice(0, 117)}...` : first
  return lines.length > 1 ? `${shown}, and ${lines.length - 1} more problem${lines.length > 2 ? "s" : ""}` : shown
}

const codeOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : undefined

/** Why a file system call failed, in words. */
export const explain = (e: unknown): string => {
  switch (codeOf(e)) {
    case "EACCES":
    case "EPERM":
      return "permission denied"
    case "ENOTDIR":
      return "a part of the path is a file, not a folder"
    case "EEXIST":
      return "a part of the path exists and is not a folder"
    case "EROFS":
      return "the file system is read-only"
    case "ENOSPC":
      return "the disk is full"
    default:
      return e instanceof Error ? e.message : String(e)
  }
}

const writable = (path: string) => {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

const headerOf = (file: string) => {
  const fd = openSync(file, "r")
  try {
    const buffer = Buffer.alloc(16)
    const read = readSync(fd, buffer, 0, 16, 0)
    return buffer.subarray(0, read).toString("latin1")
  } finally {
    closeSync(fd)
  }
}

/** Whether the file starts with SQLite's header (a damaged file usually still does; a file that is not a database does not). */
export const hasSqliteHeader = (file: string) => {
  try {
    return headerOf(file) === SQLITE_HEADER
  } catch {
    return false
  }
}

/** mkdir -p one level at a time (Node's recursive mkdir can loop forever on a pseudo file system such as /proc). */
const makeFolder = (folder: string): void => {
  const stat = statSync(folder, { throwIfNoEntry: false })
  if (stat !== undefined) {
    if (!stat.isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: "ENOTDIR" })
    return
  }
  const parent = dirname(folder)
  if (parent !== folder) makeFolder(parent)
  mkdirSync(folder)
}

/** What is wrong with the path as the terminal's database, if anything; creates the folder. */
const inspect = (file: string): DatabaseError | undefined => {
  const fail = (reason: DatabaseError["reason"], message: string) => new DatabaseError({ reason, file, message })
  const folder = dirname(file)
  let stat: Stats | undefined
  try {
    stat = statSync(file, { throwIfNoEntry: false })
  } catch (e) {
    // ENOTDIR: a part of the folder path is a file, so the folder cannot be created either
    return fail("FolderUnavailable", `cannot create the folder ${folder} for the database: ${explain(e)}`)
  }
  if (stat?.isDirectory()) return fail("IsDirectory", `the database ${file} is a folder, not a database file`)
  if (stat !== undefined && !stat.isFile()) return fail("Unusable", `the database ${file} is not a regular file`)
  if (stat === undefined) {
    try {
      makeFolder(folder)
    } catch (e) {
      return fail("FolderUnavailable", `cannot create the folder ${folder} for the database: ${explain(e)}`)
    }
  }
  if (!writable(folder)) {
    return fail("FolderUnavailable", `the folder ${folder} of the database is not writable (SQLite keeps its journal beside the database)`)
  }
  if (stat === undefined) return undefined
  // the owner's write bit counts even for root: a file marked read-only is not silently written
  if ((stat.mode & 0o200) === 0 || !writable(file)) {
    return fail("ReadOnly", `the database ${file} is read-only: the terminal must be able to write it`)
  }
  if (stat.size === 0) return undefined
  try {
    if (headerOf(file) !== SQLITE_HEADER) return fail("NotADatabase", `the file ${file} is not an SQLite database`)
  } catch (e) {
    return fail("Unusable", `the database ${file} cannot be read: ${explain(e)}`)
  }
  return undefined
}

/** Fails with one sentence if the path cannot be the terminal's database; creates its folder if missing. */
export const checkDatabaseFile = Effect.fn("Database.checkFile")(function*(file: string) {
  const problem = yield* Effect.sync(() => inspect(file))
  if (problem !== undefined) return yield* problem
})
