/**
 * Applications filed at the terminal: a form from the catalogue, scanned
 * attachments, a reference number for the citizen, and an outbox that
 * delivers to the responsible office with retries until it acknowledges.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Either, Schema } from "effect"
import { validateForm } from "../domain/catalogue.ts"
import { TerminalConfig } from "../domain/config.ts"
import { DeviceUnavailable, InvalidInput, NotFound } from "../domain/errors.ts"
import { ApplicationId, AttachmentId, type SessionId } from "../domain/ids.ts"
import { OutboxEntry } from "../domain/outbox.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { AuthorityGateway } from "../ports/AuthorityGateway.ts"
import { DocumentScanner } from "../ports/DocumentScanner.ts"
import { Alarms } from "./Alarms.ts"
import { CardSessions } from "./CardSessions.ts"
import { isoOf, makeId, nowIso, nowMillis } from "./support.ts"

export const AttachmentRef = Schema.Struct({ name: Schema.String, attachmentId: AttachmentId })

interface AppRow {
  id: string
  reference: string
  session_id: string
  service_id: string
  office: string
  fields: string
  created_at: string
  status: "pending" | "delivered" | "failed"
  attempts: number
  next_attempt_at: number
  authority_reference: string | null
  last_error: string | null
}
const toEntry = (r: AppRow) =>
  new OutboxEntry({
    id: ApplicationId.make(r.id),
    reference: r.reference,
    serviceId: r.service_id,
    office: r.office,
    createdAt: r.created_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: isoOf(r.next_attempt_at),
    authorityReference: r.authority_reference,
    lastError: r.last_error
  })

const bad = (field: string, problem: string) => new InvalidInput({ field, problem, message: `${field}: ${problem}` })
const refAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

export class Applications extends Effect.Service<Applications>()("amtomat/Applications", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalConfig
    const scanner = yield* DocumentScanner
    const authority = yield* AuthorityGateway
    const log = yield* EventLog
    const sessions = yield* CardSessions
    const alarms = yield* Alarms

    const service = (serviceId: string) => {
      const s = config.catalogue.find((x) => x.id === serviceId)
      return s ? Effect.succeed(s) : Effect.fail(new NotFound({ resource: "service", id: serviceId, message: `no service ${serviceId} in the catalogue` }))
    }

    /** Scans the page(s) on the scanner and keeps them for this session's application. */
    const scan = Effect.fn("Applications.scan")(function*(sessionId: SessionId) {
      yield* sessions.require(sessionId)
      const doc = yield* scanner.scan.pipe(
        Effect.mapError((e) =>
          new DeviceUnavailable({ device: "scanner", reason: e.reason, message: e.reason === "NoPaper" ? "no document on the scanner" : e.message })
        )
      )
      const id = AttachmentId.make(yield* makeId("att"))
      yield* sql`INSERT INTO attachments ${
        sql.insert({ id, session_id: sessionId, mime: doc.mime, pages: doc.pages, data: doc.data, created_at: yield* nowMillis })
      }`
      yield* log.append({ _tag: "AttachmentScanned", sessionId, pages: doc.pages, bytes: doc.data.length })
      return { attachmentId: id, mime: doc.mime, pages: doc.pages, bytes: doc.data.length }
    })

    const newReference = Effect.gen(function*() {
      const year = (yield* nowIso).slice(0, 4)
      for (;;) {
        const id = yield* makeId("app")
        let code = ""
        for (let i = 4; i < 10; i++) code += refAlphabet[id.charCodeAt(i) % refAlphabet.length]
        const reference = `${year}-${code}`
        const taken = yield* sql`SELECT id FROM applications WHERE reference = ${reference}`
        if (taken.length === 0) return { id: ApplicationId.make(id), reference }
      }
    })

    /** Validates and files an application; the citizen gets the reference number at once. */
    const submit = Effect.fn("Applications.submit")(function*(
      sessionId: SessionId,
      serviceId: string,
      values: Readonly<Record<string, string>>,
      attachments: ReadonlyArray<typeof AttachmentRef.Type>
    ) {
      yield* sessions.require(sessionId)
      const svc = yield* service(serviceId)
      const fields = validateForm(svc, values)
      if (Either.isLeft(fields)) return yield* fields.left
      const allowed = new Set(svc.attachments.map((a) => a.name))
      for (const [i, a] of attachments.entries()) {
        if (!allowed.has(a.name)) return yield* bad(`attachments[${i}].name`, `${a.name} is not an attachment of ${serviceId}`)
      }
      for (const spec of svc.attachments) {
        if (spec.required && !attachments.some((a) => a.name === spec.name)) return yield* bad("attachments", `${spec.name} is required`)
      }
      const ids = attachments.map((a) => a.attachmentId)
      if (new Set(ids).size !== ids.length) return yield* bad("attachments", "the same scan is attached twice")
      for (const [i, a] of attachments.entries()) {
        const rows = yield* sql<
          { session_id: string; application_id: string | null }
        >`SELECT session_id, application_id FROM attachments WHERE id = ${a.attachmentId}`
        if (!rows[0] || rows[0].session_id !== sessionId || rows[0].application_id !== null) {
          return yield* bad(`attachments[${i}].attachmentId`, "is not a scan of this session")
        }
      }
      const { id, reference } = yield* newReference
      const now = yield* nowMillis
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO applications ${
          sql.insert({
            id,
            reference,
            session_id: sessionId,
            service_id: serviceId,
            office: svc.office,
            fields: JSON.stringify({ values: fields.right, attachments: attachments.map((a) => ({ name: a.name, id: a.attachmentId })) }),
            created_at: isoOf(now),
            status: "pending",
            attempts: 0,
            next_attempt_at: now
          })
        }`
        for (const a of attachments) yield* sql`UPDATE attachments SET application_id = ${id} WHERE id = ${a.attachmentId}`
      }))
      yield* log.append({ _tag: "ApplicationSubmitted", sessionId, applicationId: id, serviceId, attachments: attachments.length })
      return { applicationId: id, reference, office: svc.office }
    })

    const deliverOne = (row: AppRow) =>
      Effect.gen(function*() {
        const stored = JSON.parse(row.fields) as { values: Record<string, string>; attachments: ReadonlyArray<{ name: string; id: string }> }
        const files = []
        for (const a of stored.attachments) {
          const rows = yield* sql<{ mime: string; data: Uint8Array }>`SELECT mime, data FROM attachments WHERE id = ${a.id}`
          if (rows[0]) files.push({ name: a.name, mime: rows[0].mime, data: rows[0].data })
        }
        const applicationId = ApplicationId.make(row.id)
        const attempt = row.attempts + 1
        const result = yield* Effect.either(authority.deliver({
          applicationId: row.id,
          reference: row.reference,
          serviceId: row.service_id,
          office: row.office,
          fields: stored.values,
          attachments: files
        }))
        const now = yield* nowMillis
        if (result._tag === "Right") {
          yield* sql`UPDATE applications SET status = 'delivered', attempts = ${attempt}, authority_reference = ${result.right.authorityReference}, last_error = NULL WHERE id = ${row.id}`
          yield* log.append({ _tag: "ApplicationDeliveryAttempted", applicationId, attempt, outcome: "delivered", detail: result.right.authorityReference })
          yield* log.append({ _tag: "ApplicationDelivered", applicationId, attempts: attempt })
          return "delivered" as const
        }
        const e = result.left
        const giveUp = e.reason === "Rejected" || attempt >= config.deliveryMaxAttempts
        const delay = Math.min(config.deliveryBaseDelaySeconds * 2 ** (attempt - 1), 6 * 3600) * 1000
        yield* sql`UPDATE applications SET status = ${giveUp ? "failed" : "pending"}, attempts = ${attempt},
          next_attempt_at = ${now + delay}, last_error = ${e.message} WHERE id = ${row.id}`
        yield* log.append({
          _tag: "ApplicationDeliveryAttempted",
          applicationId,
          attempt,
          outcome: e.reason === "Rejected" ? "rejected" : "retry",
          detail: e.message
        })
        if (giveUp) {
          yield* log.append({ _tag: "ApplicationDeliveryFailed", applicationId, attempts: attempt, reason: e.message })
          yield* alarms.raise("delivery_failed", null, `application ${row.reference} to ${row.office}: ${e.message}`)
          return "failed" as const
        }
        return "retry" as const
      })

    /** Delivers every application that is due; run periodically by the terminal. */
    const deliverDue = Effect.fn("Applications.deliverDue")(function*() {
      const now = yield* nowMillis
      const due = yield* sql<AppRow>`SELECT * FROM applications WHERE status = 'pending' AND next_attempt_at <= ${now} ORDER BY created_at`
      const outcomes = { delivered: 0, retry: 0, failed: 0 }
      for (const row of due) outcomes[yield* deliverOne(row)]++
      return outcomes
    })

    /** Staff may send a failed application again. */
    const retry = Effect.fn("Applications.retry")(function*(id: ApplicationId) {
      const rows = yield* sql<AppRow>`UPDATE applications SET status = 'pending', next_attempt_at = ${yield* nowMillis}
        WHERE id = ${id} AND status = 'failed' RETURNING *`
      if (!rows[0]) return yield* new NotFound({ resource: "failed application", id, message: `no failed application ${id}` })
      return toEntry(rows[0])
    })

    const outbox = Effect.map(sql<AppRow>`SELECT * FROM applications ORDER BY created_at DESC LIMIT 500`, (rows) => rows.map(toEntry))

    return { catalogue: config.catalogue, service, scan, submit, deliverDue, retry, outbox } as const
  }),
  dependencies: [EventLog.Default, CardSessions.Default, Alarms.Default]
}) {}
