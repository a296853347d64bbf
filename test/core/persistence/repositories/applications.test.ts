/**
 * The applications repository on SQLite and on PostgreSQL: the same
 * statements, the same answers. An application round-trips with its form;
 * each change of its delivery applies only from the state it starts from (a
 * delivered one is not retried, a failed one is not failed again, an attempt
 * is not counted twice); the outbox figures and the retention statements
 * count what they should; a row that breaks the schema is reported, not
 * half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Application } from "../../../../core/domain/application.ts"
import { ApplicationId, AttachmentId, SessionId } from "../../../../core/domain/ids.ts"
import { ApplicationsRepo } from "../../../../core/persistence/ApplicationsRepo.ts"
import { databases } from "../../../support/databases.ts"

const appId = (s: string) => ApplicationId.make(`app_${s.padEnd(12, "0")}`)
const T0 = 1_780_000_000_000
const iso = (millis: number) => new Date(millis).toISOString()

const application = (id: string, over: Partial<ConstructorParameters<typeof Application>[0]> = {}) =>
  new Application({
    id: appId(id),
    reference: `2026-${id.toUpperCase().padEnd(6, "X")}`,
    sessionId: SessionId.make("ses_aaaaaaaaaaaa"),
    serviceId: "dog-registration",
    office: "steueramt",
    fields: {
      values: { fullName: "Erika Mustermann", dogName: "Bello", "a \"quoted\" key": "ä ö ü ß €, 'single', \"double\", \\" },
      attachments: [{ name: "chipCertificate", id: AttachmentId.make("att_bbbbbbbbbbbb") }]
    },
    createdAt: iso(T0),
    status: "pending",
    attempts: 0,
    nextAttemptAt: T0,
    authorityReference: null,
    lastError: null,
    ...over
  })

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`ApplicationsRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, ApplicationsRepo | SqlClient.SqlClient>) =>
      effect.pipe(Effect.provide(ApplicationsRepo.Default), Effect.provide(db.layer()))

    it.effect("round trip: what is inserted comes back equal, form and all; due and recent lists", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApplicationsRepo
        const a = application("a")
        const b = application("b", { createdAt: iso(T0 + 1000), nextAttemptAt: T0 + 60_000, fields: { values: {}, attachments: [] } })
        const c = application("c", { createdAt: iso(T0 + 2000), status: "delivered", attempts: 1, authorityReference: "STE-1" })
        for (const x of [a, b, c]) yield* repo.insert(x)
        expect(yield* repo.find(a.id)).toEqual(Option.some(a))
        expect(yield* repo.find(b.id)).toEqual(Option.some(b))
        expect(yield* repo.find(appId("nope"))).toEqual(Option.none())
        expect(yield* repo.referenceTaken(a.reference)).toBe(true)
        expect(yield* repo.referenceTaken("2026-NOTYET")).toBe(false)
        // due: pending and next attempt reached, oldest first
        expect((yield* repo.listDue(T0)).map((x) => x.id)).toEqual([a.id])
        expect((yield* repo.listDue(T0 + 60_000)).map((x) => x.id)).toEqual([a.id, b.id])
        expect(yield* repo.listRecent(2)).toEqual([c, b])
      })))

    it.effect("an attempt is recorded only on a pending application that has not counted it; a retry only re-queues a failed one", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApplicationsRepo
        const a = application("a")
        yield* repo.insert(a)
        // a failed attempt that will be retried
        const retried = yield* repo.markAttemptFailed(a.id, { attempt: 1, giveUp: false, nextAttemptAt: T0 + 30_000, error: "timeout" })
        expect(Option.map(retried, (x) => [x.status, x.attempts, x.nextAttemptAt, x.lastError])).toEqual(
          Option.some(["pending", 1, T0 + 30_000, "timeout"])
        )
        // the same attempt a second time counts nothing
        expect(yield* repo.markAttemptFailed(a.id, { attempt: 1, giveUp: false, nextAttemptAt: T0, error: "again" })).toEqual(Option.none())
        expect(yield* repo.markDelivered(a.id, 1, "STE-X")).toEqual(Option.none())
        // a pending one is not "retried"
        expect(yield* repo.requeueFailed(a.id, T0)).toEqual(Option.none())
        // the second attempt gives up: failed
        const failed = yield* repo.markAttemptFailed(a.id, { attempt: 2, giveUp: true, nextAttemptAt: T0 + 60_000, error: "rejected" })
        expect(Option.map(failed, (x) => [x.status, x.attempts])).toEqual(Option.some(["failed", 2]))
        // a failed one cannot be failed again, nor delivered, until staff re-queue it
        expect(yield* repo.markAttemptFailed(a.id, { attempt: 3, giveUp: true, nextAttemptAt: T0, error: "x" })).toEqual(Option.none())
        expect(yield* repo.markDelivered(a.id, 3, "STE-X")).toEqual(Option.none())
        const requeued = yield* repo.requeueFailed(a.id, T0 + 90_000)
        expect(Option.map(requeued, (x) => [x.status, x.attempts, x.nextAttemptAt, x.lastError])).toEqual(
          Option.some(["pending", 2, T0 + 90_000, "rejected"])
        )
        expect(yield* repo.requeueFailed(a.id, T0)).toEqual(Option.none())
        // delivered on the third attempt
        const delivered = yield* repo.markDelivered(a.id, 3, "STE-42")
        expect(Option.map(delivered, (x) => [x.status, x.attempts, x.authorityReference, x.lastError])).toEqual(
          Option.some(["delivered", 3, "STE-42", null])
        )
        // a delivered application is not retried, not failed, not delivered again
        expect(yield* repo.requeueFailed(a.id, T0)).toEqual(Option.none())
        expect(yield* repo.markAttemptFailed(a.id, { attempt: 4, giveUp: true, nextAttemptAt: T0, error: "late" })).toEqual(Option.none())
        expect(yield* repo.markDelivered(a.id, 4, "STE-43")).toEqual(Option.none())
        expect(yield* repo.find(a.id)).toEqual(delivered)
        expect(yield* repo.requeueFailed(appId("unknown"), T0)).toEqual(Option.none())
      })))

    it.effect("parallel deliveries of the same attempt: one is recorded", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApplicationsRepo
        yield* repo.insert(application("a"))
        const results = yield* Effect.all(Array.from({ length: 16 }, (_, i) => repo.markDelivered(appId("a"), 1, `STE-${i}`)), {
          concurrency: "unbounded"
        })
        expect(results.filter(Option.isSome)).toHaveLength(1)
      })))

    it.effect("outbox figures: pending and failed counted, the oldest of them; delivered ones not", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApplicationsRepo
        expect(yield* repo.outboxStats).toEqual({ pending: 0, failed: 0, oldestUndeliveredAt: null })
        yield* repo.insert(application("old", { createdAt: iso(T0 - 5000), status: "delivered", attempts: 1, authorityReference: "S" }))
        expect(yield* repo.outboxStats).toEqual({ pending: 0, failed: 0, oldestUndeliveredAt: null })
        yield* repo.insert(application("p1", { createdAt: iso(T0 + 2000) }))
        yield* repo.insert(application("p2", { createdAt: iso(T0 + 3000) }))
        yield* repo.insert(application("f1", { createdAt: iso(T0 + 1000), status: "failed", attempts: 8 }))
        expect(yield* repo.outboxStats).toEqual({ pending: 2, failed: 1, oldestUndeliveredAt: iso(T0 + 1000) })
      })))

    it.effect("retention: the data of delivered ones past their period and of undelivered ones past theirs is erased, once", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApplicationsRepo
        const cutoffs = { deliveredBefore: iso(T0), submittedBefore: iso(T0 - 10_000) }
        yield* repo.insert(application("d1", { createdAt: iso(T0 - 1), status: "delivered", attempts: 1, authorityReference: "S" }))
        yield* repo.insert(application("d2", { createdAt: iso(T0), status: "delivered", attempts: 1, authorityReference: "S" }))
        yield* repo.insert(application("p1", { createdAt: iso(T0 - 1) }))
        yield* repo.insert(application("p2", { createdAt: iso(T0 - 10_001), lastError: "timeout" }))
        yield* repo.insert(application("f1", { createdAt: iso(T0 - 20_000), status: "failed", attempts: 8, lastError: "rejected" }))
        expect(yield* repo.countDataDue(cutoffs)).toBe(3)
        const erased = yield* repo.eraseDataDue(cutoffs)
        expect([...erased].sort()).toEqual([appId("d1"), appId("f1"), appId("p2")])
        for (const id of erased) {
          const a = yield* repo.find(id)
          expect(Option.map(a, (x) => [x.fields, x.lastError])).toEqual(Option.some([{ erased: true }, null]))
        }
        expect(Option.map(yield* repo.find(appId("d2")), (x) => x.fields)).toEqual(Option.some(application("d2").fields))
        // erased ones are not counted again
        expect(yield* repo.countDataDue(cutoffs)).toBe(0)
        expect(yield* repo.eraseDataDue(cutoffs)).toEqual([])
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed application", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* ApplicationsRepo
        yield* repo.insert(application("good"))
        yield* sql`INSERT INTO applications (id, reference, session_id, service_id, office, fields, created_at, status, attempts, next_attempt_at)
          VALUES ('app_badbadbadbad', 'R-2', 'ses_aaaaaaaaaaaa', 's', 'o', '{"values":{"name":42},"attachments":[]}', '2026-01-01', 'failed', 0, 0)`
        const exit = yield* Effect.exit(repo.listRecent(10))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("42")
        yield* sql`INSERT INTO applications (id, reference, session_id, service_id, office, fields, created_at, status, attempts, next_attempt_at)
          VALUES ('bogus', 'R-3', 'ses_aaaaaaaaaaaa', 's', 'o', '{"erased":true}', '2026-01-01', 'pending', 0, 0)`
        const bogus = yield* Effect.exit(repo.listDue(T0))
        expect(String(bogus)).toContain("bogus")
      })))
  })
}
