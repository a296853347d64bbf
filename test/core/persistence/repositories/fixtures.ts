/**
 * Records for the repository suites: orders, sessions and codes as the
 * workflows write them, each field overridable, and the layer of all the
 * terminal's table repositories on one of the test databases.
 */
import type { SqlClient } from "@effect/sql"
import { Layer } from "effect"
import { CompartmentId, luhnCheckDigit, OrderId, PickupNumber, SessionId } from "../../../../core/domain/ids.ts"
import { OneTimeCode } from "../../../../core/domain/oneTimeCode.ts"
import { PickupOrder } from "../../../../core/domain/order.ts"
import { CardSession } from "../../../../core/domain/session.ts"
import { DocumentKind, PhoneNumber } from "../../../../core/domain/values.ts"
import { CodesRepo } from "../../../../core/persistence/CodesRepo.ts"
import { CompartmentsRepo } from "../../../../core/persistence/CompartmentsRepo.ts"
import { OrdersRepo } from "../../../../core/persistence/OrdersRepo.ts"
import { SessionsRepo } from "../../../../core/persistence/SessionsRepo.ts"
import type { TestDatabase } from "../../../support/databases.ts"

export const oid = (s: string) => OrderId.make(`ord_${s.padEnd(12, "0")}`)
export const sid = (s: string) => SessionId.make(`ses_${s.padEnd(12, "0")}`)
export const cid = (n: number) => CompartmentId.make(n)

/** A valid pickup number from seven digits (the eighth is the check digit). */
export const pickupNumber = (body: string) => PickupNumber.make(body + String(luhnCheckDigit(body)))

/** Seven digits from an id, different for the ids a suite uses. */
const digitsOf = (id: string) => {
  let h = 7
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 10_000_000
  return String(h).padStart(7, "0")
}

export const order = (id: string, over: Partial<ConstructorParameters<typeof PickupOrder>[0]> = {}) =>
  new PickupOrder({
    id: oid(id),
    pickupNumber: pickupNumber(digitsOf(id)),
    documentKind: DocumentKind.make("passport"),
    phone: PhoneNumber.make("+4915112345678"),
    requiresOldDocument: false,
    size: "S",
    preferBand: null,
    status: "announced",
    compartmentId: null,
    createdAt: "2026-12-01T10:00:00.000Z",
    loadedAt: null,
    remindedAt: null,
    closedAt: null,
    failedAttempts: 0,
    ...over
  })

export const session = (id: string, over: Partial<ConstructorParameters<typeof CardSession>[0]> = {}) =>
  new CardSession({
    id: sid(id),
    cardKey: `card-${id}`,
    startedAt: 1_780_000_000_000,
    lastSeen: 1_780_000_000_000,
    endedAt: null,
    endReason: null,
    orderId: null,
    verified: false,
    intakeDone: false,
    opened: false,
    ...over
  })

export const code = (orderId: string, sessionId: string, over: Partial<ConstructorParameters<typeof OneTimeCode>[0]> = {}) =>
  new OneTimeCode({
    orderId: oid(orderId),
    sessionId: sid(sessionId),
    codeHash: "ab".repeat(32),
    expiresAt: 1_780_000_300_000,
    used: false,
    sentCount: 1,
    ...over
  })

export type Repos = OrdersRepo | CompartmentsRepo | SessionsRepo | CodesRepo | SqlClient.SqlClient

/** The four repositories over a fresh, migrated database (the raw client too, for damage done on purpose). */
export const reposOn = (db: TestDatabase): Layer.Layer<Repos> =>
  Layer.mergeAll(OrdersRepo.Default, CompartmentsRepo.Default, SessionsRepo.Default, CodesRepo.Default).pipe(Layer.provideMerge(db.layer()))
