/**
 * Applications filed at the terminal: a form from the catalogue, scanned
 * attachments, a reference number for the citizen, and an outbox that
 * delivers to the responsible office with retries until it acknowledges.
 */
import { Effect, Either, Option, Schema } from "effect"
import { Application, Attachment, isErased } from "../domain/application.ts"
import { validateForm } from "../domain/catalogue.ts"
import { TerminalPolicy } from "../domain/config.ts"
import { DeviceUnavailable, InvalidInput, NotFound } from "../domain/errors.ts"
import { ApplicationId, AttachmentId, type SessionId } from "../domain/ids.ts"
import { OutboxEntry } from "../domain/outbox.ts"
import { ApplicationsRepo } from "../persistence/ApplicationsRepo.ts"
import { AttachmentsRepo } from "../persistence/AttachmentsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { AuthorityGateway } from "../ports/AuthorityGateway.ts"
import { DocumentScanner } from "../ports/DocumentScanner.ts"
import { Alarms } from "./Alarms.ts"
import { CardSessions } from "./CardSessions.ts"
import { isoOf, makeId, nowIso, nowMillis } from "./support.ts"

export const AttachmentRef = Schema.Struct({ name: Schema.String, attachmentId: AttachmentId })

const toEntry = (a: Application) =>
  new OutboxEntry({
    id: a.id,
    reference: a.reference,
    serviceId: a.serviceId,
    office: a.office,
    createdAt: a.createdAt,
    status: a.status,
    attempts: a.attempts,
    nextAttemptAt: isoOf(a.nextAttemptAt),
    authorityReference: a.authorityReference,
    lastError: a.lastError
  })

const bad = (field: string, problem: string) => new InvalidInput({ field, problem, message: `${field}: ${problem}` })
const refAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

export class Applications extends Effect.Service<Applications>()("amtomat/Applications", {
  effect: Effect.gen(function*() {
    const applications = yield* ApplicationsRepo
    const scans = yield* AttachmentsRepo
    const transaction = yield* withTransaction
    const config = yield* TerminalPolicy
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
      yield* scans.insert(
        new Attachment({ id, sessionId, applicationId: null, mime: doc.mime, pages: doc.pages, data: doc.data, createdAt: yield* nowMillis })
      )
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
        if (!(yield* applications.referenceTaken(reference))) return { id: ApplicationId.make(id), reference }
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
      const notOfSession = (i: number) => bad(`attachments[${i}].attachmentId`, "is not a scan of this session")
      for (const [i, a] of attachments.entries()) {
        const scan = yield* scans.find(a.attachmentId)
        if (Option.isNone(scan) || scan.value.sessionId !== sessionId || scan.value.applicationId !== null) return yield* notOfSession(i)
      }
      const { id, reference } = yield* newReference
      const now = yield* nowMillis
      yield* transaction(Effect.gen(function*() {
        yield* applications.insert(
          new Application({
            id,
            reference,
            sessionId,
            serviceId,
            office: svc.office,
            fields: { values: fields.right, attachments: attachments.map((a) => ({ name: a.name, id: a.attachmentId })) },
            createdAt: isoOf(now),
            status: "pending",
            attempts: 0,
            nextAttemptAt: now,
            authorityReference: null,
            lastError: null
          })
        )
        // taken in the same statement that checks them: a scan another application took meanwhile is refused (and nothing is filed)
        const given = new Set(yield* scans.attach(ids, sessionId, id))
        const missing = ids.findIndex((a) => !given.has(a))
        if (missing >= 0) return yield* notOfSession(missing)
      }))
      yield* log.append({ _tag: "ApplicationSubmitted", sessionId, applicationId: id, serviceId, attachments: attachments.length })
      return { applicationId: id, reference, office: svc.office }
    })

    /** An application whose data retention erased cannot be delivered: it fails at once, without asking the office. */
    const failErased = (app: Application) =>
      Effect.gen(function*() {
        const attempt = app.attempts + 1
        const reason = "its data was erased at the end of the retention period"
        const now = yield* nowMillis
        const recorded = yield* applications.markAttemptFailed(app.id, { attempt, giveUp: true, nextAttemptAt: now, error: reason })
        if (Option.isNone(recorded)) return "failed" as const
        yield* log.append({ _tag: "ApplicationDeliveryFailed", applicationId: app.id, attempts: attempt, reason })
        yield* alarms.raise("delivery_failed", null, `application ${app.reference} to ${app.office}: ${reason}`)
        return "failed" as const
      })

    const deliverOne = (app: Application) =>
      Effect.gen(function*() {
        const stored = app.fields
        if (isErased(stored)) return yield* failErased(app)
        const files = []
        for (const a of stored.attachments) {
          const scan = yield* scans.find(a.id)
          if (Option.isSome(scan)) files.push({ name: a.name, mime: scan.value.mime, data: scan.value.data })
        }
        const applicationId = app.id
        const attempt = app.attempts + 1
        const result = yield* Effect.either(authority.deliver({
          applicationId: app.id,
          reference: app.reference,
          serviceId: app.serviceId,
          office: app.office,
          fields: stored.values,
          attachments: files
        }))
        const now = yield* nowMillis
        if (result._tag === "Right") {
          // recorded only on an application still pending at this attempt: never twice, never over a failure
          const recorded = yield* applications.markDelivered(app.id, attempt, result.right.authorityReference)
          if (Option.isNone(recorded)) return "delivered" as const
          yield* log.append({ _tag: "ApplicationDeliveryAttempted", applicationId, attempt, outcome: "delivered", detail: result.right.authorityReference })
          yield* log.append({ _tag: "ApplicationDelivered", applicationId, attempts: attempt })
          return "delivered" as const
        }
        const e = result.left
        const giveUp = e.reason === "Rejected" || attempt >= config.deliveryMaxAttempts
        const delay = Math.min(config.deliveryBaseDelaySeconds * 2 ** (attempt - 1), 6 * 3600) * 1000
        const recorded = yield* applications.markAttemptFailed(app.id, { attempt, giveUp, nextAttemptAt: now + delay, error: e.message })
        if (Option.isNone(recorded)) return giveUp ? "failed" as const : "retry" as const
        yield* log.append({
          _tag: "ApplicationDeliveryAttempted",
          applicationId,
          attempt,
          outcome: e.reason === "Rejected" ? "rejected" : "retry",
          detail: e.message
        })
        if (giveUp) {
          yield* log.append({ _tag: "ApplicationDeliveryFailed", applicationId, attempts: attempt, reason: e.message })
          yield* alarms.raise("delivery_failed", null, `application ${app.reference} to ${app.office}: ${e.message}`)
          return "failed" as const
        }
        return "retry" as const
      })

    /** Delivers every application that is due; run periodically by the terminal. */
    const deliverDue = Effect.fn("Applications.deliverDue")(function*() {
      const now = yield* nowMillis
      const due = yield* applications.listDue(now)
      const outcomes = { delivered: 0, retry: 0, failed: 0 }
      for (const app of due) outcomes[yield* deliverOne(app)]++
      return outcomes
    })

    /** Staff may send a failed application again. */
    const retry = Effect.fn("Applications.retry")(function*(id: ApplicationId) {
      const requeued = yield* applications.requeueFailed(id, yield* nowMillis)
      if (Option.isNone(requeued)) return yield* new NotFound({ resource: "failed application", id, message: `no failed application ${id}` })
      return toEntry(requeued.value)
    })

    const outbox = Effect.map(applications.listRecent(500), (rows) => rows.map(toEntry))

    return { catalogue: config.catalogue, service, scan, submit, deliverDue, retry, outbox } as const
  }),
  dependencies: [EventLog.Default, CardSessions.Default, Alarms.Default, ApplicationsRepo.Default, AttachmentsRepo.Default]
}) {}
