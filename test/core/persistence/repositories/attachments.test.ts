/**
 * The attachments repository on SQLite and on PostgreSQL: the same
 * statements, the same answers. Scanned bytes (BLOB, BYTEA) come back byte
 * for byte — a property over random bytes on both; a scan is taken once, and
 * only by an application of the session that scanned it; the retention
 * statements delete what they should; a row that breaks the schema is
 * reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Option } from "effect"
import { Attachment } from "../../../../core/domain/application.ts"
import { ApplicationId, AttachmentId, SessionId } from "../../../../core/domain/ids.ts"
import { AttachmentsRepo } from "../../../../core/persistence/AttachmentsRepo.ts"
import { databases } from "../../../support/databases.ts"

const attId = (s: string) => AttachmentId.make(`att_${s.padEnd(12, "0")}`)
const appId = (s: string) => ApplicationId.make(`app_${s.padEnd(12, "0")}`)
const session = (s: string) => SessionId.make(`ses_${s.padEnd(12, "0")}`)
const T0 = 1_780_000_000_000

const scan = (id: string, over: Partial<ConstructorParameters<typeof Attachment>[0]> = {}) =>
  new Attachment({
    id: attId(id),
    sessionId: session("s1"),
    applicationId: null,
    mime: "image/png",
    pages: 1,
    data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 0, 1]),
    createdAt: T0,
    ...over
  })

/** The bytes as a plain array: a Buffer and a Uint8Array of the same bytes compare equal. */
const bytesOf = (a: Option.Option<Attachment>) => Option.map(a, (x) => Array.from(x.data))

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`AttachmentsRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, AttachmentsRepo | SqlClient.SqlClient>) =>
      effect.pipe(Effect.provide(AttachmentsRepo.Default), Effect.provide(db.layer()))

    it.effect("round trip: what is inserted comes back equal, bytes included", () =>
      run(Effect.gen(function*() {
        const repo = yield* AttachmentsRepo
        const a = scan("a")
        const b = scan("b", { mime: "application/pdf", pages: 3, data: new Uint8Array(0), applicationId: null, createdAt: T0 + 1 })
        yield* repo.insert(a)
        yield* repo.insert(b)
        const found = yield* repo.find(a.id)
        expect(Option.map(found, ({ data: _, ...rest }) => rest)).toEqual(Option.some((({ data: _, ...rest }) => rest)(a)))
        expect(bytesOf(found)).toEqual(Option.some(Array.from(a.data)))
        expect(bytesOf(yield* repo.find(b.id))).toEqual(Option.some([]))
        expect(yield* repo.find(attId("nope"))).toEqual(Option.none())
      })))

    // one database for the whole property: every run stores its bytes under a new id
    layer(AttachmentsRepo.Default.pipe(Layer.provideMerge(db.layer())), { timeout: "120 seconds" })("bytes", (it) => {
      let n = 0
      it.effect.prop(
        "any bytes come back byte for byte",
        [fc.uint8Array({ minLength: 0, maxLength: 4096 })],
        ([data]) =>
          Effect.gen(function*() {
            const repo = yield* AttachmentsRepo
            const a = scan(`p${(n++).toString(36).padStart(11, "0")}`, { data })
            yield* repo.insert(a)
            const back = yield* repo.find(a.id)
            expect(Option.map(back, (x) => x.data.length)).toEqual(Option.some(data.length))
            expect(Option.map(back, (x) => Buffer.from(x.data).equals(Buffer.from(data)))).toEqual(Option.some(true))
          }),
        { timeout: 120_000, fastCheck: { numRuns: 100 } }
      )
    })

    it.effect("a scan is taken once, only by an application of the session that scanned it", () =>
      run(Effect.gen(function*() {
        const repo = yield* AttachmentsRepo
        yield* repo.insert(scan("a"))
        yield* repo.insert(scan("b"))
        yield* repo.insert(scan("c", { sessionId: session("s2") }))
        // c is another session's: of a, c only a is given
        expect(yield* repo.attach([attId("a"), attId("c")], session("s1"), appId("x"))).toEqual([attId("a")])
        // a is taken now: another application of the same session does not get it
        expect(yield* repo.attach([attId("a"), attId("b")], session("s1"), appId("y"))).toEqual([attId("b")])
        expect(yield* repo.attach([], session("s1"), appId("y"))).toEqual([])
        expect(Option.map(yield* repo.find(attId("a")), (x) => x.applicationId)).toEqual(Option.some(appId("x")))
        expect(Option.map(yield* repo.find(attId("b")), (x) => x.applicationId)).toEqual(Option.some(appId("y")))
        expect(Option.map(yield* repo.find(attId("c")), (x) => x.applicationId)).toEqual(Option.some(null))
      })))

    it.effect("16 parallel applications reaching for the same scan: one gets it", () =>
      run(Effect.gen(function*() {
        const repo = yield* AttachmentsRepo
        yield* repo.insert(scan("a"))
        const given = yield* Effect.all(
          Array.from({ length: 16 }, (_, i) => repo.attach([attId("a")], session("s1"), appId(`x${i.toString(36)}`))),
          { concurrency: "unbounded" }
        )
        expect(given.filter((ids) => ids.length === 1)).toHaveLength(1)
      })))

    it.effect("retention: the scans of erased applications, and stray scans past their time, are deleted", () =>
      run(Effect.gen(function*() {
        const repo = yield* AttachmentsRepo
        yield* repo.insert(scan("a1", { applicationId: appId("one") }))
        yield* repo.insert(scan("a2", { applicationId: appId("one") }))
        yield* repo.insert(scan("b1", { applicationId: appId("two") }))
        yield* repo.insert(scan("s1", { createdAt: T0 - 1 }))
        yield* repo.insert(scan("s2", { createdAt: T0 }))
        expect(yield* repo.deleteOfApplications([appId("one"), appId("none")])).toBe(2)
        expect(yield* repo.deleteOfApplications([])).toBe(0)
        expect(yield* repo.find(attId("a1"))).toEqual(Option.none())
        expect(Option.isSome(yield* repo.find(attId("b1")))).toBe(true)
        // stray: no application took it and it was made before the cut-off (strictly)
        expect(yield* repo.countStray(T0)).toBe(1)
        expect(yield* repo.deleteStray(T0)).toBe(1)
        expect(yield* repo.countStray(T0)).toBe(0)
        expect(yield* repo.countStray(T0 + 1)).toBe(1)
        expect(Option.isSome(yield* repo.find(attId("b1")))).toBe(true)
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed scan", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* AttachmentsRepo
        yield* repo.insert(scan("good"))
        yield* sql`INSERT INTO attachments (id, session_id, application_id, mime, pages, data, created_at)
          VALUES ('att_bad000000000', 'bogus-session', NULL, 'image/png', 1, ${new Uint8Array([1])}, 0)`
        const exit = yield* Effect.exit(repo.find(attId("bad")))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("bogus-session")
      })))
  })
}
