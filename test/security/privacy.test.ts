/**
 * Personal data stays where it must and goes when it must: plant known card
 * identifiers, phone numbers and names, run the workflows, then scan the
 * database file (and its WAL), the event export and the logs.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Logger, LogLevel } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { PhoneNumber } from "../../core/domain/values.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { Applications } from "../../core/workflows/Applications.ts"
import { Pickup } from "../../core/workflows/Pickup.ts"
import { Retention } from "../../core/workflows/Retention.ts"
import { cardIdOf } from "../../hardware-sim/behavioural/CardTwin.ts"
import { lastCode, loadOrder, LockerTwin, ScannerTwin, startSession, tempDb, testTerminal, tick } from "../support/terminal.ts"

const PHONE = PhoneNumber.make("+4915177776666")
const NAME = "Hildegard Quetschenbrenner"
const STREET = "Zwetschgenallee 17"
const CARD = "card-of-hildegard"

const fileText = (db: string) => [db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("")

describe("Personal data", () => {
  it.effect("card identifiers never stored; phone numbers and names only until retention erases them", () => {
    const db = tempDb()
    const logs: Array<string> = []
    const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(JSON.stringify(message))))
    return Effect.gen(function*() {
      const pickup = yield* Pickup
      const apps = yield* Applications
      const hands = yield* LockerTwin
      const sql = yield* SqlClient.SqlClient
      const { order, compartment: c } = yield* loadOrder({ phone: PHONE, requiresOldDocument: false })
      const session = yield* startSession(CARD)
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(PHONE))
      yield* pickup.open(session)
      const done = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      yield* Fiber.join(done)
      yield* (yield* ScannerTwin).place(1)
      const scan = yield* apps.scan(session)
      yield* apps.submit(session, "dog-registration", {
        fullName: NAME,
        street: STREET,
        postcode: "56727",
        dogName: "Bello",
        breed: "Dackel",
        since: "2026-01-01"
      }, [{ name: "chipCertificate", attachmentId: scan.attachmentId }])
      yield* apps.deliverDue()

      const cardHex = Buffer.from(cardIdOf(CARD)).toString("hex")
      const exported = (yield* (yield* EventLog).read()).map((e) => JSON.stringify(e)).join("\n")
      for (const secret of [PHONE, NAME, STREET, cardHex]) {
        expect(exported, `event export must not contain ${secret}`).not.toContain(secret)
        expect(logs.join("\n"), `logs must not contain ${secret}`).not.toContain(secret)
      }
      // while needed: phone and name are in the database; the card identifier never is
      let text = fileText(db)
      expect(text).toContain(PHONE)
      expect(text).toContain(NAME)
      expect(text).not.toContain(cardHex)
      expect(text).not.toContain(Buffer.from(cardIdOf(CARD)).toString("latin1"))

      yield* tick("31 days")
      const counts = yield* (yield* Retention).run({ dryRun: false })
      expect(counts.find((k) => k.kind === "phone-numbers")?.count).toBe(1)
      expect(counts.find((k) => k.kind === "application-data")?.count).toBe(1)
      text = fileText(db)
      expect(text, "phone erased from the database file").not.toContain(PHONE)
      expect(text, "name erased from the database file").not.toContain(NAME)
      expect(text).not.toContain(STREET)
      expect((yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM attachments`)[0]?.n).toBe(0)
      // the history stays: the order is still there, collected, and the chain intact
      expect((yield* sql<{ status: string }>`SELECT status FROM orders WHERE id = ${order.id}`)[0]?.status).toBe("collected")
      expect((yield* (yield* EventLog).verify).ok).toBe(true)
      expect((yield* (yield* EventLog).read({ types: ["RetentionApplied"] })).length).toBeGreaterThanOrEqual(2)
    }).pipe(Effect.provide(testTerminal({ db })), Effect.provide(capture), Logger.withMinimumLogLevel(LogLevel.All))
  })

  it.effect("a dry run counts but erases nothing", () =>
    Effect.gen(function*() {
      const retention = yield* Retention
      const sql = yield* SqlClient.SqlClient
      yield* loadOrder({ phone: PHONE })
      // TestClock starts at 1970-01-01: a close in 1969 is long past the 30 days
      yield* sql`UPDATE orders SET status = 'counter', closed_at = '1969-01-01T00:00:00.000Z'`
      const counts = yield* retention.run({ dryRun: true })
      expect(counts.find((k) => k.kind === "phone-numbers")?.count).toBe(1)
      expect((yield* sql<{ phone: string | null }>`SELECT phone FROM orders`)[0]?.phone).toBe(PHONE)
    }).pipe(Effect.provide(testTerminal())))
})
