/**
 * Applications: catalogue, form validation, scanned attachments, the outbox
 * with retries and acknowledgement; feedback.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultCatalogue } from "../../../core/domain/catalogue.ts"
import { EventLog } from "../../../core/persistence/EventLog.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Applications } from "../../../core/workflows/Applications.ts"
import { Feedback } from "../../../core/workflows/Feedback.ts"
import { AuthorityTwin, eventTypesLogged, ScannerTwin, startSession, testTerminal, tick } from "../../support/terminal.ts"

const dog = { fullName: "Erika Mustermann", street: "Marktplatz 1", postcode: "56727", dogName: "Bello", breed: "Dackel", since: "2026-01-15" }

describe("Applications", () => {
  it("the default catalogue has eight services, all marked as examples, four of them the pilot's", () => {
    expect(defaultCatalogue).toHaveLength(8)
    expect(defaultCatalogue.every((s) => s.example)).toBe(true)
    const ids = defaultCatalogue.map((s) => s.id)
    for (const id of ["document-return", "dog-registration", "grave-monument", "water-pipe-burst"]) expect(ids).toContain(id)
  })

  it.effect("a dog registration with a scanned certificate gets a reference and reaches the tax office", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const scanner = yield* ScannerTwin
      const office = yield* AuthorityTwin
      const session = yield* startSession()
      yield* scanner.place(1)
      const scan = yield* apps.scan(session)
      expect(scan.pages).toBe(1)
      const filed = yield* apps.submit(session, "dog-registration", dog, [{ name: "chipCertificate", attachmentId: scan.attachmentId }])
      expect(filed.reference).toMatch(/^\d{4}-[A-Z2-9]{6}$/)
      expect(yield* apps.deliverDue()).toEqual({ delivered: 1, retry: 0, failed: 0 })
      const received = yield* office.received
      expect(received).toHaveLength(1)
      expect(received[0]?.office).toBe("steueramt")
      expect(received[0]?.fields["dogName"]).toBe("Bello")
      expect(received[0]?.attachments[0]?.data.length).toBe(scan.bytes)
      const [entry] = yield* apps.outbox
      expect(entry).toMatchObject({ status: "delivered", attempts: 1 })
      expect(entry?.authorityReference).toMatch(/^STE-/)
      expect(yield* eventTypesLogged).toEqual(expect.arrayContaining(["AttachmentScanned", "ApplicationSubmitted", "ApplicationDelivered"]))
    }).pipe(Effect.provide(testTerminal())))

  it.effect("bad forms are refused with the field named, and nothing is filed", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const session = yield* startSession()
      const refuse = (service: string, fields: Record<string, string>, attachments: ReadonlyArray<never> = []) =>
        Effect.flip(apps.submit(session, service, fields, attachments))
      expect(yield* refuse("dog-registration", { ...dog, dogName: "" })).toMatchObject({ _tag: "InvalidInput", field: "fields.dogName" })
      expect(yield* refuse("dog-registration", { ...dog, postcode: "5672" })).toMatchObject({ field: "fields.postcode" })
      expect(yield* refuse("dog-registration", { ...dog, since: "2026-13-40" })).toMatchObject({ field: "fields.since" })
      expect(yield* refuse("dog-registration", { ...dog, colour: "brown" })).toMatchObject({ field: "fields.colour" })
      expect(
        yield* refuse("grave-monument", {
          fullName: "A B",
          street: "X 1",
          postcode: "56727",
          cemetery: "Mayen",
          graveNumber: "12",
          material: "granite"
        })
      ).toMatchObject({ field: "attachments" })
      expect(
        yield* refuse("grave-monument", {
          fullName: "A B",
          street: "X 1",
          postcode: "56727",
          cemetery: "Mayen",
          graveNumber: "12",
          material: "gold"
        })
      ).toMatchObject({ field: "fields.material" })
      expect(yield* refuse("no-such-service", {})).toMatchObject({ _tag: "NotFound" })
      expect(yield* apps.outbox).toHaveLength(0)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a scan of another session, or one used twice, is refused", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const scanner = yield* ScannerTwin
      const first = yield* startSession("a")
      yield* scanner.place(1)
      const scan = yield* apps.scan(first)
      const second = yield* startSession("b")
      expect(yield* Effect.flip(apps.submit(second, "dog-registration", dog, [{ name: "chipCertificate", attachmentId: scan.attachmentId }])))
        .toMatchObject({ field: "attachments[0].attachmentId" })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("the scanner with nothing on it says so", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const session = yield* startSession()
      expect(yield* Effect.flip(apps.scan(session))).toMatchObject({ _tag: "DeviceUnavailable", device: "scanner" })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("an unreachable office: retries with growing delay until it acknowledges", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const office = yield* AuthorityTwin
      const session = yield* startSession()
      yield* office.setMode("unavailable")
      yield* apps.submit(session, "water-pipe-burst", { location: "Marktstraße 3, Keller", phone: "02651 12345" }, [])
      expect(yield* apps.deliverDue()).toEqual({ delivered: 0, retry: 1, failed: 0 })
      expect(yield* apps.deliverDue()).toEqual({ delivered: 0, retry: 0, failed: 0 })
      yield* tick("31 seconds")
      expect(yield* apps.deliverDue()).toEqual({ delivered: 0, retry: 1, failed: 0 })
      yield* tick("31 seconds")
      expect(yield* apps.deliverDue()).toEqual({ delivered: 0, retry: 0, failed: 0 })
      yield* office.setMode("accept")
      yield* tick("31 seconds")
      expect(yield* apps.deliverDue()).toEqual({ delivered: 1, retry: 0, failed: 0 })
      expect((yield* apps.outbox)[0]).toMatchObject({ status: "delivered", attempts: 3 })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a refusal by the office fails the delivery and alerts staff; staff can send it again", () =>
    Effect.gen(function*() {
      const apps = yield* Applications
      const office = yield* AuthorityTwin
      const alarms = yield* Alarms
      const session = yield* startSession()
      yield* office.setMode("reject")
      const filed = yield* apps.submit(session, "water-pipe-burst", { location: "Am Bach 2", phone: "02651 12345" }, [])
      expect(yield* apps.deliverDue()).toEqual({ delivered: 0, retry: 0, failed: 1 })
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("delivery_failed")
      yield* office.setMode("accept")
      yield* apps.retry(filed.applicationId)
      expect(yield* apps.deliverDue()).toEqual({ delivered: 1, retry: 0, failed: 0 })
    }).pipe(Effect.provide(testTerminal())))
})

describe("Feedback", () => {
  it.effect("a rating and a recommendation answer become an event", () =>
    Effect.gen(function*() {
      const feedback = yield* Feedback
      const log = yield* EventLog
      const session = yield* startSession()
      yield* feedback.give(session, "pickup", 4, "yes")
      const last = (yield* log.read({ types: ["FeedbackGiven"] })).at(-1)
      expect(last?.event).toMatchObject({ _tag: "FeedbackGiven", sessionId: session, rating: 4, recommend: "yes" })
      expect(yield* Effect.flip(feedback.give("ses_000000000000" as never, "pickup", 4, "yes"))).toMatchObject({ _tag: "NotFound" })
    }).pipe(Effect.provide(testTerminal())))
})
