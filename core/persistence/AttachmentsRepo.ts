/**
 * The `attachments` table (scans): its only reader and writer. The bytes are
 * BLOB on SQLite and BYTEA on PostgreSQL and come back as bytes on both. A
 * scan is taken by an application once, and only by one of the session that
 * scanned it; retention deletes the scans of erased applications and the
 * stray ones no application took.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Array as Arr, Effect, Schema } from "effect"
import { Attachment } from "../domain/application.ts"
import { ApplicationId, AttachmentId, SessionId } from "../domain/ids.ts"
import { counting, rowsOrDie } from "./rows.ts"

/** A row of `attachments` as both dialects return it, and the domain's Attachment it decodes to. */
export const AttachmentRow = Schema.Struct({
  id: Schema.String,
  session_id: Schema.String,
  application_id: Schema.NullOr(Schema.String),
  mime: Schema.String,
  pages: Schema.Int,
  data: Schema.Uint8ArrayFromSelf,
  created_at: Schema.Int
})

export const AttachmentFromRow = Schema.transform(AttachmentRow, Attachment, {
  strict: true,
  decode: (r) => ({
    id: r.id,
    sessionId: r.session_id,
    applicationId: r.application_id,
    mime: r.mime,
    pages: r.pages,
    data: r.data,
    createdAt: r.created_at
  }),
  encode: (a) => ({
    id: a.id,
    session_id: a.sessionId,
    application_id: a.applicationId,
    mime: a.mime,
    pages: a.pages,
    data: a.data,
    created_at: a.createdAt
  })
})

/** Ids per statement when a list of them is one parameter each (well below both dialects' limits). */
const CHUNK = 500

export class AttachmentsRepo extends Effect.Service<AttachmentsRepo>()("amtomat/AttachmentsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insert = SqlSchema.void({
      Request: AttachmentFromRow,
      execute: (row) => sql`INSERT INTO attachments ${sql.insert(row)}`
    })

    const find = SqlSchema.findOne({
      Request: AttachmentId,
      Result: AttachmentFromRow,
      execute: (id) => sql`SELECT * FROM attachments WHERE id = ${id}`
    })

    /** Gives these scans of the session, not yet taken, to the application; the ids it gave. */
    const attach = SqlSchema.findAll({
      Request: Schema.Struct({ ids: Schema.Array(AttachmentId), sessionId: SessionId, applicationId: ApplicationId }),
      Result: Schema.Struct({ id: AttachmentId }),
      execute: ({ applicationId, ids, sessionId }) =>
        sql`UPDATE attachments SET application_id = ${applicationId}
          WHERE ${sql.in("id", ids)} AND session_id = ${sessionId} AND application_id IS NULL RETURNING id`
    })

    const deleteOfApplications = SqlSchema.findAll({
      Request: Schema.Array(ApplicationId),
      Result: Schema.Struct({ id: Schema.String }),
      execute: (ids) => sql`DELETE FROM attachments WHERE ${sql.in("application_id", ids)} RETURNING id`
    })

    const countStray = counting(Schema.Int, (before) => sql`SELECT COUNT(*) AS n FROM attachments WHERE application_id IS NULL AND created_at < ${before}`)

    const deleteStray = SqlSchema.findAll({
      Request: Schema.Int,
      Result: Schema.Struct({ id: Schema.String }),
      execute: (before) => sql`DELETE FROM attachments WHERE application_id IS NULL AND created_at < ${before} RETURNING id`
    })

    const attachAll = Effect.fn("AttachmentsRepo.attach")(function*(
      ids: ReadonlyArray<AttachmentId>,
      sessionId: SessionId,
      applicationId: ApplicationId
    ) {
      const given = yield* Effect.forEach(Arr.chunksOf(ids, CHUNK), (chunk) => attach({ ids: chunk, sessionId, applicationId }))
      return given.flat().map((r) => r.id)
    })

    const deleteAllOfApplications = Effect.fn("AttachmentsRepo.deleteOfApplications")(function*(ids: ReadonlyArray<ApplicationId>) {
      const deleted = yield* Effect.forEach(Arr.chunksOf(ids, CHUNK), deleteOfApplications)
      return deleted.reduce((n, rows) => n + rows.length, 0)
    })

    return {
      insert: (attachment: Attachment) => rowsOrDie(insert(attachment)),
      find: (id: AttachmentId) => rowsOrDie(find(id)),
      /**
       * Gives these scans to the application, each only if the session scanned it and no
       * application has it yet (one statement per 500, atomic with the transaction around);
       * the ids it gave — fewer than asked when one was not free.
       */
      attach: (ids: ReadonlyArray<AttachmentId>, sessionId: SessionId, applicationId: ApplicationId) => rowsOrDie(attachAll(ids, sessionId, applicationId)),
      /** Retention: deletes the scans of these applications; how many. */
      deleteOfApplications: (ids: ReadonlyArray<ApplicationId>) => rowsOrDie(deleteAllOfApplications(ids)),
      /** Retention: how many scans no application took were made before `before` (epoch millis). */
      countStray,
      /** Retention: deletes those; how many. */
      deleteStray: (before: number) => rowsOrDie(Effect.map(deleteStray(before), (rows) => rows.length))
    } as const
  })
}) {}
