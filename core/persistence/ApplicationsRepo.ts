/**
 * The `applications` table: its only reader and writer. Rows are decoded
 * with Schema into the domain's `Application` (the form is JSON in `fields`,
 * decoded too), and every change of the delivery state is a typed method
 * that applies only from the state it starts from: an attempt is recorded
 * only on a pending application that has not counted it yet (so a delivered
 * one is never failed, nor delivered twice), a retry only re-queues a failed
 * one. Also the outbox's figures for the health check, and the statements of
 * the retention job (application data past its period).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { Application, ApplicationFields, ApplicationStatus } from "../domain/application.ts"
import { ApplicationId } from "../domain/ids.ts"
import { counting, rowsOrDie } from "./rows.ts"

/** A row of `applications` as both dialects return it, and the domain's Application it decodes to. */
export const ApplicationRow = Schema.Struct({
  id: Schema.String,
  reference: Schema.String,
  session_id: Schema.String,
  service_id: Schema.String,
  office: Schema.String,
  fields: Schema.parseJson(Schema.encodedSchema(ApplicationFields)),
  created_at: Schema.String,
  status: ApplicationStatus,
  attempts: Schema.Int,
  next_attempt_at: Schema.Int,
  authority_reference: Schema.NullOr(Schema.String),
  last_error: Schema.NullOr(Schema.String)
})

export const ApplicationFromRow = Schema.transform(ApplicationRow, Application, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    reference: r.reference,
    sessionId: r.session_id,
    serviceId: r.service_id,
    office: r.office,
    fields: r.fields,
    createdAt: r.created_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    authorityReference: r.authority_reference,
    lastError: r.last_error
  }),
  encode: (a) => ({
    id: a.id,
    reference: a.reference,
    session_id: a.sessionId,
    service_id: a.serviceId,
    office: a.office,
    fields: a.fields,
    created_at: a.createdAt,
    status: a.status,
    attempts: a.attempts,
    next_attempt_at: a.nextAttemptAt,
    authority_reference: a.authorityReference,
    last_error: a.lastError
  })
})

/** The outbox at a glance: how many wait, how many failed, since when the oldest of them waits (ISO). */
export const OutboxStats = Schema.Struct({
  pending: Schema.NonNegativeInt,
  failed: Schema.NonNegativeInt,
  oldestUndeliveredAt: Schema.NullOr(Schema.String)
})
export type OutboxStats = typeof OutboxStats.Type

/** The retention job's cut-offs (ISO, compared with `created_at`): delivered ones filed before, others filed before. */
export const DataRetention = Schema.Struct({ deliveredBefore: Schema.String, submittedBefore: Schema.String })
export type DataRetention = typeof DataRetention.Type

/** What a failed delivery attempt leaves: pending again at `nextAttemptAt`, or failed for good (`giveUp`). */
export interface FailedAttempt {
  readonly attempt: number
  readonly giveUp: boolean
  readonly nextAttemptAt: number
  readonly error: string
}

/** The `fields` of an application whose data was erased, as stored. */
const erasedFields = Schema.encodeSync(Schema.parseJson(ApplicationFields))({ erased: true })

export class ApplicationsRepo extends Effect.Service<ApplicationsRepo>()("amtomat/ApplicationsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = SqlSchema.void({
      Request: ApplicationFromRow,
      execute: (row) => sql`INSERT INTO applications ${sql.insert(row)}`
    })

    const find = SqlSchema.findOne({
      Request: ApplicationId,
      Result: ApplicationFromRow,
      execute: (id) => sql`SELECT * FROM applications WHERE id = ${id}`
    })

    const referenceTaken = SqlSchema.findAll({
      Request: Schema.String,
      Result: Schema.Struct({ id: Schema.String }),
      execute: (reference) => sql`SELECT id FROM applications WHERE reference = ${reference}`
    })

    const listDue = SqlSchema.findAll({
      Request: Schema.Int,
      Result: ApplicationFromRow,
      execute: (now) => sql`SELECT * FROM applications WHERE status = 'pending' AND next_attempt_at <= ${now} ORDER BY created_at`
    })

    const listRecent = SqlSchema.findAll({
      Request: Schema.Int,
      Result: ApplicationFromRow,
      execute: (limit) => sql`SELECT * FROM applications ORDER BY created_at DESC LIMIT ${limit}`
    })

    /** The attempt that delivered it; applies only to a pending application at attempt - 1. */
    const markDelivered = SqlSchema.findOne({
      Request: Schema.Struct({ id: ApplicationId, attempt: Schema.Int, authorityReference: Schema.String }),
      Result: ApplicationFromRow,
      execute: ({ attempt, authorityReference, id }) =>
        sql`UPDATE applications SET status = 'delivered', attempts = ${attempt}, authority_reference = ${authorityReference}, last_error = NULL
          WHERE id = ${id} AND status = 'pending' AND attempts = ${attempt - 1} RETURNING *`
    })

    /** An attempt that failed; applies only to a pending application at attempt - 1. */
    const markAttemptFailed = SqlSchema.findOne({
      Request: Schema.Struct({
        id: ApplicationId,
        attempt: Schema.Int,
        status: ApplicationStatus,
        nextAttemptAt: Schema.Int,
        error: Schema.String
      }),
      Result: ApplicationFromRow,
      execute: ({ attempt, error, id, nextAttemptAt, status }) =>
        sql`UPDATE applications SET status = ${status}, attempts = ${attempt}, next_attempt_at = ${nextAttemptAt}, last_error = ${error}
          WHERE id = ${id} AND status = 'pending' AND attempts = ${attempt - 1} RETURNING *`
    })

    /** A failed application queued again, due at `now`; applies only to a failed one. */
    const requeueFailed = SqlSchema.findOne({
      Request: Schema.Struct({ id: ApplicationId, now: Schema.Int }),
      Result: ApplicationFromRow,
      execute: ({ id, now }) => sql`UPDATE applications SET status = 'pending', next_attempt_at = ${now} WHERE id = ${id} AND status = 'failed' RETURNING *`
    })

    const outboxStats = SqlSchema.single({
      Request: Schema.Void,
      Result: Schema.transform(
        Schema.Struct({ pending: Schema.NonNegativeInt, failed: Schema.NonNegativeInt, oldest: Schema.NullOr(Schema.String) }),
        OutboxStats,
        {
          strict: true,
          decode: (r) => ({ pending: r.pending, failed: r.failed, oldestUndeliveredAt: r.oldest }),
          encode: (s) => ({ pending: s.pending, failed: s.failed, oldest: s.oldestUndeliveredAt })
        }
      ),
      execute: () =>
        sql`SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
          COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed, MIN(created_at) AS oldest
          FROM applications WHERE status IN ('pending', 'failed')`
    })

    const dataDue = ({ deliveredBefore, submittedBefore }: DataRetention) =>
      sql`fields != ${erasedFields} AND ((status = 'delivered' AND created_at < ${deliveredBefore})
        OR (status != 'delivered' AND created_at < ${submittedBefore}))`

    const countDataDue = counting(DataRetention, (cutoffs) => sql`SELECT COUNT(*) AS n FROM applications WHERE ${dataDue(cutoffs)}`)

    const eraseDataDue = SqlSchema.findAll({
      Request: DataRetention,
      Result: Schema.Struct({ id: ApplicationId }),
      execute: (cutoffs) => sql`UPDATE applications SET fields = ${erasedFields}, last_error = NULL WHERE ${dataDue(cutoffs)} RETURNING id`
    })

    return {
      insert: (application: Application) => rowsOrDie(insert(application)),
      find: (id: ApplicationId) => rowsOrDie(find(id)),
      /** Whether an application has this reference number already. */
      referenceTaken: (reference: string) => rowsOrDie(Effect.map(referenceTaken(reference), (rows) => rows.length > 0)),
      /** The pending applications due at `now`, oldest first. */
      listDue: (now: number) => rowsOrDie(listDue(now)),
      /** The most recent applications, newest first. */
      listRecent: (limit: number) => rowsOrDie(listRecent(limit)),
      /** Records the attempt that delivered it; the application as it is now, or none (not pending, or the attempt was counted already). */
      markDelivered: (id: ApplicationId, attempt: number, authorityReference: string) => rowsOrDie(markDelivered({ id, attempt, authorityReference })),
      /** Records a failed attempt; the application as it is now, or none (not pending, or the attempt was counted already). */
      markAttemptFailed: (id: ApplicationId, failed: FailedAttempt) =>
        rowsOrDie(markAttemptFailed({
          id,
          attempt: failed.attempt,
          status: failed.giveUp ? "failed" : "pending",
          nextAttemptAt: failed.nextAttemptAt,
          error: failed.error
        })),
      /** Queues a failed application again, due at `now`; the application as it is now, or none (unknown or not failed). */
      requeueFailed: (id: ApplicationId, now: number) => rowsOrDie(requeueFailed({ id, now })),
      /** The outbox's pending and failed counts and the oldest of them (health check). */
      outboxStats: rowsOrDie(outboxStats(undefined)),
      /** Retention: how many applications' data is past its period. */
      countDataDue,
      /** Retention: erases the form values (and the scans' names) of those; their ids, for their scans to go too. */
      eraseDataDue: (cutoffs: DataRetention) => rowsOrDie(Effect.map(eraseDataDue(cutoffs), (rows) => rows.map((r) => r.id)))
    } as const
  })
}) {}
