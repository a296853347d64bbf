import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Option, Predicate } from "effect"
import { RECOVERY_DOC } from "../../databaseFile.ts"
import { ServiceUnavailable } from "../api.ts"

/** The SQLite result code behind a storage failure, if there is one (`SQLITE_FULL`, `SQLITE_BUSY`, …). */
export const sqliteCode = (e: unknown): string | undefined => {
  for (let c: unknown = e, depth = 0; c !== null && typeof c === "object" && depth < 5; depth++) {
    const code = (c as { code?: unknown }).code
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code
    c = (c as { cause?: unknown }).cause
  }
  return undefined
}

/** SQLITE_CORRUPT (a damaged page, a truncated file) or SQLITE_NOTADB (a damaged header) while running: staff must act. */
export const isDamaged = (code: string | undefined) => code !== undefined && (code.startsWith("SQLITE_CORRUPT") || code.startsWith("SQLITE_NOTADB"))

/** The log line for operators when the database turns out damaged while running: which file, what SQLite said, what to do. */
export const damagedLogLine = (file: string | undefined, code: string, why: string) =>
  `DATABASE DAMAGED: the database${
    file === undefined ? "" : ` ${file}`
  } is damaged (${code}: ${why}): stop the terminal, keep the file for inspection, restore the last backup or recover it with \`sqlite3 ${
    file ?? "FILE"
  } .recover | sqlite3 recovered.db\` (${RECOVERY_DOC})`

/** One calm sentence per kind of storage failure; nothing was changed in any case. */
export const storageMessage = (code: string | undefined): string => {
  const base = code ?? ""
  if (base.startsWith("SQLITE_FULL")) return "the terminal's storage is full, so nothing was changed and nothing opened; staff have to free space"
  if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) return "the terminal is busy for a moment, so nothing was changed; please try again"
  if (isDamaged(code)) {
    return "the terminal's storage is damaged, so nothing was changed and nothing opened; staff have to take the terminal out of service and restore its database"
  }
  if (base.startsWith("SQLITE_READONLY") || base.startsWith("SQLITE_IOERR") || base.startsWith("SQLITE_CANTOPEN")) {
    return "the terminal cannot write to its storage, so nothing was changed and nothing opened; staff have to check the disk"
  }
  return "the terminal's storage is not available, so nothing was changed; please try again"
}

/** Storage failures are not the caller's fault: 503 with one sentence for what went wrong, logged with their cause. */
export const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.catchIf(
      (e): e is Extract<E, { readonly _tag: "SqlError" }> => typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "SqlError",
      (e) => {
        const code = sqliteCode(e)
        // one line, no stack: a full disk refuses every write, and the log lives on that disk too
        const failure: { readonly _tag: "SqlError"; readonly message?: unknown; readonly cause?: unknown } = e
        const inner = Predicate.hasProperty(failure.cause, "message") ? failure.cause.message : undefined
        const why = typeof inner === "string" ? inner : String(failure.message)
        // a damaged database does not heal by retrying: say so loudly, with the file and what to do
        const line = isDamaged(code)
          ? Effect.flatMap(Effect.serviceOption(SqliteClient.SqliteClient), (client) =>
            Effect.logError(damagedLogLine(Option.getOrUndefined(Option.map(client, (c) => c.config.filename)), code!, why)))
          : Effect.logError(`storage failure${code === undefined ? "" : ` (${code})`}: ${why}`)
        return Effect.zipRight(line, Effect.fail(new ServiceUnavailable({ message: storageMessage(code) })))
      }
    )
  ) as Effect.Effect<A, Exclude<E, { readonly _tag: "SqlError" }> | ServiceUnavailable, R>
