/**
 * The composition root: which database, which devices, which policy. The one
 * place where an adapter is chosen for each port.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Effect, Layer, Schedule } from "effect"
import type { Duration } from "effect"
import { sqliteDatabase } from "../core/persistence/database.ts"
import { quickCheck } from "../core/persistence/sqliteFile.ts"
import { Applications } from "../core/workflows/Applications.ts"
import { CardSessions } from "../core/workflows/CardSessions.ts"
import { Loading } from "../core/workflows/Loading.ts"
import { Retention } from "../core/workflows/Retention.ts"
import { boot as bootTerminal } from "../core/workflows/terminal.ts"
import { checkDatabaseFile, damaged, DatabaseError, hasSqliteHeader, isDamageCode, quickCheckProblem } from "./databaseFile.ts"

export const VERSION = "0.1.0"

/**
 * SQLite on disk: WAL with synchronous=FULL (a committed transaction survives
 * a power cut), foreign keys on, secure delete, migrations applied. Provides
 * the storage compaction that makes retention's erasure final on disk. A path
 * that cannot be the database (a folder, a read-only file, not SQLite) fails
 * with one sentence (DatabaseError) before SQLite opens it; a damaged one
 * (PRAGMA quick_check, about 0.1 s warm per 100 MB) before anything is written.
 */
export const databaseLayer = (filename: string) =>
  sqliteDatabase().pipe(
    // a damaged file is refused before anything is written to it
    Layer.provideMerge(Layer.effectDiscard(Effect.gen(function*() {
      const problem = quickCheckProblem(yield* quickCheck)
      if (problem !== undefined) return yield* damaged(filename, problem)
    }))),
    Layer.provideMerge(Layer.unwrapEffect(Effect.as(checkDatabaseFile(filename), SqliteClient.layer({ filename })))),
    Layer.catchAllCause((cause) => Layer.failCause(explainDatabaseFailure(filename, cause)))
  )

/** SQLite's own failure on opening or first use (a driver exception, SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_READONLY …) as one sentence. */
const explainDatabaseFailure = <E>(filename: string, cause: Cause.Cause<E>): Cause.Cause<E | DatabaseError> => {
  if (Cause.isInterruptedOnly(cause)) return cause
  const failure = Cause.squash(cause)
  if (failure instanceof DatabaseError) return Cause.fail(failure)
  const inner = (failure as { cause?: unknown }).cause ?? failure
  const code = String((inner as { code?: unknown }).code ?? "")
  const text = inner instanceof Error ? inner.message : String(inner)
  // a damaged page, a truncated file, or a damaged header behind SQLite's magic string
  if (isDamageCode(code) || (code === "SQLITE_NOTADB" && hasSqliteHeader(filename))) return Cause.fail(damaged(filename, text))
  const reason = code.startsWith("SQLITE_READONLY") ? "ReadOnly" as const : code === "SQLITE_NOTADB" ? "NotADatabase" as const : "Unusable" as const
  const message = reason === "ReadOnly"
    ? `the database ${filename} is read-only: the terminal must be able to write it (${text})`
    : reason === "NotADatabase"
    ? `the file ${filename} is not an SQLite database`
    : `the database ${filename} cannot be used: ${text}`
  return Cause.fail(new DatabaseError({ reason, file: filename, message }))
}

export { type Devices, terminalLayer, type TerminalOptions } from "../core/workflows/terminal.ts"

/** Start-up of the terminal: layout, start event, reconciliation (see core/workflows/terminal.ts). */
export const boot = (devicesName: string) => bootTerminal(VERSION, devicesName)

/**
 * The terminal's periodic jobs: application delivery, reminders and expiry,
 * idle-session sweep, retention. Each run's failure is logged and the next run goes on.
 */
export const jobs = (every: {
  readonly outbox: Duration.DurationInput
  readonly policies: Duration.DurationInput
  readonly retention: Duration.DurationInput
}) =>
  Effect.gen(function*() {
    const applications = yield* Applications
    const loading = yield* Loading
    const sessions = yield* CardSessions
    const retention = yield* Retention
    const guard = <A, E>(name: string, job: Effect.Effect<A, E>) => job.pipe(Effect.catchAllCause((cause) => Effect.logWarning(`${name} failed`, cause)))
    yield* guard("outbox", applications.deliverDue()).pipe(Effect.repeat(Schedule.spaced(every.outbox)), Effect.forkScoped)
    yield* guard("policies", Effect.zip(loading.runPolicies(), sessions.sweep)).pipe(Effect.repeat(Schedule.spaced(every.policies)), Effect.forkScoped)
    yield* guard("retention", retention.run({ dryRun: false })).pipe(Effect.repeat(Schedule.spaced(every.retention)), Effect.forkScoped)
  })
