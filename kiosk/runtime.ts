/**
 * The composition root: which database, which devices, which policy. The one
 * place where an adapter is chosen for each port.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Effect, Layer, Schedule } from "effect"
import type { Duration } from "effect"
import { Layout, type TerminalLayout } from "../core/domain/compartment.ts"
import { type PolicyConfig, Secrets, TerminalConfig } from "../core/domain/config.ts"
import { AuditKey } from "../core/persistence/EventLog.ts"
import { migrate } from "../core/persistence/migrations.ts"
import * as Transactions from "../core/persistence/transactions.ts"
import type { AuthorityGateway } from "../core/ports/AuthorityGateway.ts"
import type { CardTerminal } from "../core/ports/CardTerminal.ts"
import { DeviceStatus } from "../core/ports/DeviceStatus.ts"
import type { DocumentScanner } from "../core/ports/DocumentScanner.ts"
import type { LockerBank } from "../core/ports/LockerBank.ts"
import type { SmsGateway } from "../core/ports/SmsGateway.ts"
import { Retention, StorageCompaction } from "../core/workflows/Retention.ts"
import { boot as bootTerminal, workflowsLayer } from "../core/workflows/terminal.ts"
import { Applications } from "../core/workflows/Applications.ts"
import { CardSessions } from "../core/workflows/CardSessions.ts"
import { Loading } from "../core/workflows/Loading.ts"
import { SecureRandom } from "../core/workflows/support.ts"
import { checkDatabaseFile, DatabaseError, damaged, hasSqliteHeader, isDamageCode, quickCheckProblem } from "./databaseFile.ts"

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
  Layer.effect(StorageCompaction, Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const problem = quickCheckProblem(yield* sql<Record<string, unknown>>`PRAGMA quick_check`)
    if (problem !== undefined) return yield* damaged(filename, problem)
    yield* sql`PRAGMA synchronous = FULL`
    yield* sql`PRAGMA foreign_keys = ON`
    yield* sql`PRAGMA busy_timeout = 5000`
    // deleted personal data is overwritten, not left in free pages
    yield* sql`PRAGMA secure_delete = ON`
    yield* migrate
    return Effect.asVoid(sql`PRAGMA wal_checkpoint(TRUNCATE)`)
  })).pipe(
    Layer.provideMerge(Transactions.layer),
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

export type Devices = LockerBank | CardTerminal | SmsGateway | DocumentScanner | AuthorityGateway


export interface TerminalOptions<DA, DE, DR, BE> {
  readonly config: PolicyConfig
  readonly layout: TerminalLayout
  readonly cardKey: Uint8Array
  /** The audit key of the event log's MACs and checkpoints (kiosk/auditKey.ts): never in the database. */
  readonly auditKey: Uint8Array
  /** The device adapters; may provide more than the ports (a twin's control handles). */
  readonly devices: Layer.Layer<DA, DE, DR>
  readonly database: Layer.Layer<SqlClient.SqlClient, BE>
  readonly random?: Layer.Layer<SecureRandom>
}

/**
 * Everything the terminal runs on, with the devices' own services exposed too
 * (the twin controls). The devices report their connection to one
 * DeviceStatus, which the workflows and the health endpoint read.
 */
export const terminalLayer = <DA, DE, DR, BE>(options: TerminalOptions<DA, DE, DR, BE>) =>
  workflowsLayer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      options.devices,
      options.database,
      Layer.succeed(TerminalConfig, options.config),
      Layer.succeed(Secrets, { cardKey: options.cardKey }),
      Layer.succeed(AuditKey, options.auditKey),
      Layer.succeed(Layout, options.layout),
      options.random ?? SecureRandom.layerCrypto
    )),
    Layer.provideMerge(DeviceStatus.layer)
  )

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
    const guard = <A, E>(name: string, job: Effect.Effect<A, E>) =>
      job.pipe(Effect.catchAllCause((cause) => Effect.logWarning(`${name} failed`, cause)))
    yield* guard("outbox", applications.deliverDue()).pipe(Effect.repeat(Schedule.spaced(every.outbox)), Effect.forkScoped)
    yield* guard("policies", Effect.zip(loading.runPolicies(), sessions.sweep)).pipe(Effect.repeat(Schedule.spaced(every.policies)), Effect.forkScoped)
    yield* guard("retention", retention.run({ dryRun: false })).pipe(Effect.repeat(Schedule.spaced(every.retention)), Effect.forkScoped)
  })
