/**
 * One terminal, one database, one port. `amtomat serve` claims both before it
 * writes anything:
 *
 * - the database, by holding a write transaction (`BEGIN EXCLUSIVE`) on a
 *   small SQLite lock database `<db>.lock` beside it for the process
 *   lifetime. The operating system drops the lock when the process ends, even
 *   by SIGKILL: no stale lock file to delete by hand. The lock database is in
 *   WAL mode, so a second serve reads the holder's pid and start time without
 *   waiting, and says who holds it. Administration commands open only the
 *   database itself, never the lock: they keep working beside the terminal.
 * - the HTTP port, by listening on it before boot and letting go an instant
 *   before the real server listens: a busy port fails the start before the
 *   terminal's start event or any demo order is written.
 */
import type { SqlError } from "@effect/sql"
import { Cause, Clock, Data, DateTime, Effect } from "effect"
import { createServer, type Server } from "node:net"
import { openLockDatabase } from "../core/persistence/sqliteFile.ts"
import { checkDatabaseFile, DatabaseError, explain } from "./databaseFile.ts"

export class StartError extends Data.TaggedError("StartError")<{
  readonly reason: "DatabaseInUse" | "PortInUse" | "PortUnavailable"
  readonly message: string
}> {}

export interface Holder {
  readonly pid: number
  readonly since: string
}

export const lockFileOf = (dbFile: string) => `${dbFile}.lock`

const codeOf = (e: SqlError.SqlError): string => String((e.cause as { code?: unknown } | undefined)?.code ?? "")

const lockUnusable = (lockFile: string, why: string) =>
  new DatabaseError({ reason: "Unusable", file: lockFile, message: `the lock file ${lockFile} cannot be used: ${why}` })

/**
 * Holds the database for the rest of the scope (the process). Fails with
 * `DatabaseInUse`, naming the holder's pid and start, while another process
 * holds it.
 */
export const holdDatabase = Effect.fn("InstanceLock.hold")(function*(dbFile: string) {
  const lockFile = lockFileOf(dbFile)
  const db = yield* openLockDatabase(lockFile).pipe(
    Effect.catchAllCause((cause) => Cause.isInterruptedOnly(cause) ? Effect.interrupt : Effect.fail(lockUnusable(lockFile, String(Cause.squash(cause)))))
  )
  const unusable = (e: SqlError.SqlError) => lockUnusable(lockFile, String((e.cause as Error | undefined)?.message ?? e.message))
  yield* Effect.mapError(db.noWaiting, unusable)
  const lock = db.takeExclusive.pipe(
    Effect.as(true),
    Effect.catchAll((e) => codeOf(e).startsWith("SQLITE_BUSY") || codeOf(e).startsWith("SQLITE_LOCKED") ? Effect.succeed(false) : Effect.fail(unusable(e)))
  )
  const refuse = Effect.gen(function*() {
    const holder = yield* db.holder.pipe(Effect.orElseSucceed(() => undefined))
    return yield* new StartError({
      reason: "DatabaseInUse",
      message: holder === undefined
        ? `the database ${dbFile} is in use by another amtomat serve; stop it first`
        : `the database ${dbFile} is in use by another amtomat serve (pid ${holder.pid}, since ${holder.since}); stop it first`
    })
  })
  if (!(yield* lock)) return yield* refuse
  const since = DateTime.formatIso(DateTime.unsafeMake(yield* Clock.currentTimeMillis))
  yield* Effect.mapError(db.recordHolder(process.pid, since), unusable)
  // From here until the process ends the write lock stays taken; the row above stays readable.
  // (Between COMMIT and here another serve may win the lock: then it is the holder and this one stops.)
  if (!(yield* lock)) return yield* refuse
  return { pid: process.pid, since } satisfies Holder
})

const close = (server: Server) =>
  Effect.async<void>((resume) => {
    if (!server.listening) return resume(Effect.void)
    server.close(() => resume(Effect.void))
  })

/**
 * Listens on the port (connections are dropped) until `release`, or the end
 * of the scope. Fails with one sentence naming the port if it is taken.
 */
export const reservePort = Effect.fn("InstanceLock.reservePort")(function*(port: number, host: string) {
  const server = yield* Effect.acquireRelease(
    Effect.async<Server, StartError>((resume) => {
      const server = createServer((socket) => socket.destroy())
      server.once("error", (e) => {
        const code = (e as { code?: string }).code
        resume(Effect.fail(
          code === "EADDRINUSE"
            ? new StartError({ reason: "PortInUse", message: `port ${port} on ${host} is already in use (another amtomat serve?)` })
            : code === "EADDRNOTAVAIL"
            ? new StartError({ reason: "PortUnavailable", message: `cannot listen on ${host}: the address is not on this machine` })
            : new StartError({ reason: "PortUnavailable", message: `cannot listen on port ${port} on ${host}: ${explain(e)}` })
        ))
      })
      server.listen({ port, host, exclusive: true }, () => resume(Effect.succeed(server)))
    }),
    close
  )
  return { release: close(server) }
})

/**
 * The claims of `amtomat serve`, in order: a usable database path (its
 * folder created), the database (the lock), then the port. Both are held until the scope ends; the port's `release` lets go of
 * it just before the real server listens.
 */
export const claimTerminal = Effect.fn("InstanceLock.claim")(function*(dbFile: string, port: number, host: string) {
  yield* checkDatabaseFile(dbFile)
  const holder = yield* holdDatabase(dbFile)
  const reservation = yield* reservePort(port, host)
  return { holder, releasePort: reservation.release }
})
