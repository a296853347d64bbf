import { Effect } from "effect"
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

/** One calm sentence per kind of storage failure; nothing was changed in any case. */
export const storageMessage = (code: string | undefined): string => {
  const base = code ?? ""
  if (base.startsWith("SQLITE_FULL")) return "the terminal's storage is full, so nothing was changed and nothing opened; staff have to free space"
  if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) return "the terminal is busy for a moment, so nothing was changed; please try again"
  if (base.startsWith("SQLITE_CORRUPT") || base.startsWith("SQLITE_NOTADB")) return "the terminal's database is damaged, so nothing was changed; staff have to restore it"
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
        const failure = e as unknown as { readonly message: string; readonly cause?: { readonly message?: unknown } }
        const why = failure.cause?.message
        return Effect.zipRight(
          Effect.logError(`storage failure${code === undefined ? "" : ` (${code})`}: ${typeof why === "string" ? why : failure.message}`),
          Effect.fail(new ServiceUnavailable({ message: storageMessage(code) }))
        )
      }
    )
  ) as Effect.Effect<A, Exclude<E, { readonly _tag: "SqlError" }> | ServiceUnavailable, R>
