/**
 * Pickup at the terminal.
 *
 *   identify (pickup number from the "ready" SMS) -> one-time code by SMS
 *   -> verify code -> [old document into the intake slot] -> open compartment
 *   -> take document -> close door -> collected
 *
 * Each step is one call; the session row remembers how far the citizen got,
 * so a repeated call never skips a step nor opens a door twice.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { Secrets, TerminalConfig } from "../domain/config.ts"
import { PickupFailed } from "../domain/errors.ts"
import type { PickupStep } from "../domain/events.ts"
import type { CompartmentId, OrderId, SessionId } from "../domain/ids.ts"
import { collectable } from "../domain/order.ts"
import { maskPhone } from "../domain/values.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { Alarms } from "./Alarms.ts"
import { type ActiveSession, CardSessions } from "./CardSessions.ts"
import { Compartments } from "./Compartments.ts"
import { Notifier, texts } from "./Notifier.ts"
import { Orders } from "./Orders.ts"
import { Sensors } from "./Sensors.ts"
import { hashesEqual, isoOf, keyedHash, nowMillis, SecureRandom } from "./support.ts"
import { Throttle } from "./Throttle.ts"
import { Intake } from "./Intake.ts"

const fail = (reason: PickupFailed["reason"], message: string, extra: { attemptsLeft?: number } = {}) =>
  new PickupFailed({ reason, message, ...extra })

export class Pickup extends Effect.Service<Pickup>()("amtomat/Pickup", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* TerminalConfig
    const secrets = yield* Secrets
    const random = yield* SecureRandom
    const log = yield* EventLog
    const sessions = yield* CardSessions
    const orders = yield* Orders
    const compartments = yield* Compartments
    const notifier = yield* Notifier
    const alarms = yield* Alarms
    const sensors = yield* Sensors
    const throttle = yield* Throttle
    const intake = yield* Intake

    const codeHash = (orderId: string, code: string) => keyedHash(secrets.cardKey, `code|${orderId}|${code}`)

    const abandon = (session: ActiveSession, step: PickupStep, reason: string) =>
      Effect.zipRight(
        sessions.update(session.id, { order_id: null, verified: 0, intake_done: 0, opened: 0 }),
        log.append({ _tag: "PickupAbandoned", sessionId: session.id, orderId: session.orderId, step, reason })
      )

    const sendCode = (session: ActiveSession, orderId: OrderId) =>
      Effect.gen(function*() {
        const order = yield* orders.get(orderId)
        if (order.phone === null) return yield* fail("NotReady", "no phone number on file for this order")
        const existing = yield* sql<{ session_id: string; sent_count: number }>`SELECT session_id, sent_count FROM codes WHERE order_id = ${orderId}`
        const sent = existing[0] && existing[0].session_id === session.id ? existing[0].sent_count : 0
        if (sent >= config.maxCodeSends) {
          return yield* fail("Throttled", "no more codes for this order in this session; please ask staff")
        }
        const code = yield* random.digits(config.codeDigits)
        const expiresAt = (yield* nowMillis) + config.codeTtlSeconds * 1000
        yield* notifier.send(orderId, "code", order.phone, texts.code(code, Math.round(config.codeTtlSeconds / 60))).pipe(
          Effect.mapError(() => fail("SmsNotSent", "the code could not be sent; please try again later or ask staff"))
        )
        yield* sql`INSERT INTO codes (order_id, session_id, code_hash, expires_at, used, sent_count)
          VALUES (${orderId}, ${session.id}, ${codeHash(orderId, code)}, ${expiresAt}, 0, ${sent + 1})
          ON CONFLICT (order_id) DO UPDATE SET session_id = excluded.session_id, code_hash = excluded.code_hash,
            expires_at = excluded.expires_at, used = 0, sent_count = excluded.sent_count`
        return { maskedPhone: maskPhone(order.phone), codeExpiresAt: expiresAt, requiresOldDocument: order.requiresOldDocument, documentKind: order.documentKind }
      })

    /** The document left the compartment in a pickup: the order is collected, the session free for another. */
    const collected = (session: ActiveSession, orderId: OrderId, documentKind: string, compartmentId: CompartmentId) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        // One transaction: a crash leaves the order, its compartment, the session and the events all
        // before or all after (the crash harness found the half-way state).
        yield* sql.withTransaction(Effect.gen(function*() {
          if (!(yield* orders.transition(orderId, collectable, "collected", { closed_at: isoOf(now) }))) return
          yield* sql`UPDATE compartments SET order_id = NULL WHERE id = ${compartmentId}`
          yield* sessions.update(session.id, { order_id: null, verified: 0, intake_done: 0, opened: 0 })
          yield* log.append({ _tag: "DocumentTaken", orderId, compartmentId })
          yield* log.append({ _tag: "PickupCompleted", sessionId: session.id, orderId, documentKind, durationMs: Math.max(0, now - session.startedAt) })
        }))
      })

    /** Step 1: the citizen types the pickup number; a code goes to the phone on file. */
    const identify = Effect.fn("Pickup.identify")(function*(sessionId: SessionId, pickupNumber: string) {
      const session = yield* sessions.require(sessionId)
      yield* throttle.check
      const found = yield* orders.byPickupNumber(pickupNumber)
      const refuse = (reason: "unknown" | "not_ready" | "locked", error: PickupFailed) =>
        Effect.zipRight(log.append({ _tag: "PickupIdentifyFailed", sessionId, reason }), Effect.fail(error))
      if (Option.isNone(found)) {
        yield* throttle.failure
        return yield* refuse("unknown", fail("UnknownPickupNumber", "no document waits under this pickup number"))
      }
      const order = found.value
      if (order.status === "locked") {
        return yield* refuse("locked", fail("OrderLocked", "this pickup is locked after wrong codes; staff must release it"))
      }
      if (!collectable.includes(order.status)) {
        return yield* refuse("not_ready", fail("NotReady", "this document is not waiting in the terminal"))
      }
      if (session.orderId !== order.id) {
        yield* sessions.update(sessionId, { order_id: order.id, verified: 0, intake_done: 0, opened: 0 })
        yield* log.append({ _tag: "PickupStarted", sessionId, orderId: order.id })
      }
      return yield* sendCode({ ...session, orderId: order.id }, order.id)
    })

    /** Sends a fresh code for the current pickup (e.g. after expiry). */
    const resendCode = Effect.fn("Pickup.resendCode")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (session.orderId === null) return yield* fail("NoCodeRequested", "enter the pickup number first")
      if (session.verified) return yield* fail("NoCodeRequested", "the code was already confirmed")
      return yield* sendCode(session, session.orderId)
    })

    /** Step 2: checks the one-time code. */
    const verify = Effect.fn("Pickup.verify")(function*(sessionId: SessionId, code: string) {
      const session = yield* sessions.require(sessionId)
      yield* throttle.check
      const orderId = session.orderId
      if (orderId === null) return yield* fail("NoCodeRequested", "enter the pickup number first")
      const order = yield* orders.get(orderId)
      if (session.verified) return { requiresOldDocument: order.requiresOldDocument }
      if (order.status === "locked") return yield* fail("OrderLocked", "this pickup is locked; staff must release it")
      const rows = yield* sql<{ session_id: string; code_hash: string; expires_at: number; used: number }>`SELECT * FROM codes WHERE order_id = ${orderId}`
      const row = rows[0]
      if (!row || row.session_id !== sessionId) return yield* fail("NoCodeRequested", "no code was sent in this session")
      const now = yield* nowMillis
      if (row.used === 1) {
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "used", attempt: order.failedAttempts })
        return yield* fail("CodeExpired", "this code was already used; request a new one")
      }
      if (now > row.expires_at) {
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "expired", attempt: order.failedAttempts })
        return yield* fail("CodeExpired", "the code has expired; request a new one")
      }
      if (!hashesEqual(row.code_hash, codeHash(orderId, code))) {
        const updated = yield* sql<{ failed_attempts: number }>`UPDATE orders SET failed_attempts = failed_attempts + 1
          WHERE id = ${orderId} RETURNING failed_attempts`
        const attempts = updated[0]?.failed_attempts ?? order.failedAttempts + 1
        yield* throttle.failure
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "wrong", attempt: attempts })
        if (attempts >= config.maxAttemptsPerOrder) {
          yield* sql.withTransaction(Effect.gen(function*() {
            yield* orders.transition(orderId, collectable, "locked")
            yield* sql`UPDATE codes SET used = 1 WHERE order_id = ${orderId}`
            yield* log.append({ _tag: "OrderLocked", orderId })
          }))
          yield* alarms.raise("order_locked", order.compartmentId, `pickup ${order.pickupNumber} locked after ${attempts} wrong codes`)
          yield* abandon({ ...session, orderId }, "code", "too-many-attempts")
          return yield* fail("OrderLocked", "too many wrong codes; the pickup is locked, please contact staff", { attemptsLeft: 0 })
        }
        return yield* fail("WrongCode", "the code is not right", { attemptsLeft: config.maxAttemptsPerOrder - attempts })
      }
      yield* sql`UPDATE codes SET used = 1 WHERE order_id = ${orderId}`
      yield* sql`UPDATE orders SET failed_attempts = 0 WHERE id = ${orderId}`
      yield* throttle.success
      yield* sessions.update(sessionId, { verified: 1 })
      yield* log.append({ _tag: "CodeVerified", sessionId, orderId })
      return { requiresOldDocument: order.requiresOldDocument }
    })

    /** Step 3 (when required): the intake slot opens and waits for the old document. */
    const handInOld = Effect.fn("Pickup.handInOld")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (!session.verified || session.orderId === null) return yield* fail("NoCodeRequested", "confirm the code first")
      const order = yield* orders.get(session.orderId)
      if (!order.requiresOldDocument || session.intakeDone) return { received: true }
      const received = yield* intake.receive(sessionId, session.orderId).pipe(
        Effect.catchTag("LockerError", (e) =>
          Effect.zipRight(alarms.raise("device_offline", null, `intake slot: ${e.message}`), Effect.fail(fail("DeviceError", "the intake slot does not respond; please contact staff")))
        )
      )
      if (!received) {
        yield* abandon(session, "intake", "no-old-document")
        return yield* fail("NoOldDocument", "no old document was detected; bring it to the office or try again")
      }
      yield* sessions.update(sessionId, { intake_done: 1 })
      return { received: true }
    })

    /** Step 4: opens the compartment. Idempotent: a repeated call never opens a second time. */
    const open = Effect.fn("Pickup.open")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (!session.verified || session.orderId === null) return yield* fail("NoCodeRequested", "confirm the code first")
      const order = yield* orders.get(session.orderId)
      if (order.requiresOldDocument && !session.intakeDone) return yield* fail("NoOldDocument", "hand in the old document first")
      if (order.compartmentId === null) return yield* fail("NotReady", "the document has no compartment")
      const compartmentId: CompartmentId = order.compartmentId
      if (session.opened) return { compartmentId }
      if (!collectable.includes(order.status)) return yield* fail("NotReady", "this document is not waiting in the terminal")
      const claimed = yield* sql.withTransaction(Effect.gen(function*() {
        const ok = yield* compartments.transition(compartmentId, ["loaded"], "open", order.id, "pickup")
        if (ok) yield* sessions.update(sessionId, { opened: 1 })
        return ok
      }))
      if (!claimed) return yield* fail("DoorDidNotOpen", "the compartment is not available; please contact staff")
      const compartment = yield* compartments.get(compartmentId)
      const opened = yield* (sensors.tryOpen(compartment.channel, (attempt, e) =>
        Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId, attempt, reason: e.reason }))))
      if (opened._tag === "Left") {
        const e = opened.left
        yield* sessions.update(sessionId, { opened: 0 })
        if (e.reason === "Jammed") {
          yield* compartments.transition(compartmentId, ["open"], "out_of_service", order.id)
          yield* compartments.setService(compartmentId, "door did not open", "out_of_service")
          yield* log.append({ _tag: "CompartmentOutOfService", compartmentId, reason: "door did not open", by: null })
          yield* alarms.raise("jam", compartmentId, `compartment ${compartmentId} did not open for pickup ${order.pickupNumber}`)
          yield* abandon(session, "open", "door-did-not-open")
          return yield* fail("DoorDidNotOpen", "the compartment did not open; your document stays safe, staff have been alerted")
        }
        yield* compartments.transition(compartmentId, ["open"], "loaded", order.id)
        yield* alarms.raise("device_offline", compartmentId, `locker board: ${e.message}`)
        yield* abandon(session, "open", "device-error")
        return yield* fail("DeviceError", "the locker does not respond; your document stays safe, please contact staff")
      }
      yield* log.append({ _tag: "CompartmentOpened", compartmentId, orderId: order.id, purpose: "pickup" })
      return { compartmentId }
    })

    /**
     * Step 5: waits until the document is taken and the door is shut.
     * Collected as soon as the item sensor clears; a door left open after that
     * raises an alarm but the pickup still counts.
     */
    const complete = Effect.fn("Pickup.complete")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (!session.opened || session.orderId === null) return yield* fail("NoCodeRequested", "the compartment was not opened")
      const order = yield* orders.get(session.orderId)
      if (order.compartmentId === null) return yield* fail("NotReady", "the document has no compartment")
      const compartmentId: CompartmentId = order.compartmentId
      const compartment = yield* compartments.get(compartmentId)
      const deviceError = (e: { message: string }) =>
        Effect.zipRight(
          alarms.raise("device_offline", compartmentId, `locker board: ${e.message}`),
          Effect.fail(fail("DeviceError", "the locker does not respond; please contact staff"))
        )
      const taken = yield* sensors.waitFor(compartment.channel, config.takeSeconds, (s) =>
        s.item === false || s.door === "closed"
      ).pipe(Effect.catchTag("LockerError", deviceError))
      if (Option.isNone(taken) || taken.value.item !== false) {
        // Door shut with the document inside, or the document left in an open door.
        // The order is ready again at once; if the door still stands open, staff are called, and
        // should anyone take the document from it, the locker watch raises a reconciliation alarm.
        yield* compartments.transition(compartmentId, ["open"], "loaded", order.id)
        if (Option.isNone(taken)) {
          yield* alarms.raise("door_left_open", compartmentId, `compartment ${compartmentId} left open with the document inside`)
        }
        yield* abandon(session, "take", "document-not-taken")
        return yield* fail("DocumentNotTaken", "the document was not taken; it stays in the compartment")
      }
      yield* collected(session, order.id, order.documentKind, compartmentId)
      const closed = yield* sensors.waitFor(compartment.channel, config.doorOpenAlarmSeconds, (s) => s.door === "closed").pipe(
        Effect.catchTag("LockerError", () => Effect.succeed(Option.none()))
      )
      if (Option.isSome(closed)) {
        if ((yield* compartments.settleClosed(compartmentId)) === "freed") {
          yield* log.append({ _tag: "DoorClosed", compartmentId })
        }
        return { collected: true, doorClosed: true }
      }
      yield* alarms.raise("door_left_open", compartmentId, `compartment ${compartmentId} left open after pickup`)
      return { collected: true, doorClosed: false }
    })

    /**
     * The citizen cancels. Before the door opened: the pickup is abandoned and
     * nothing opens. After: what the sensors say decides — the document gone
     * means collected, still inside means ready again (and staff are called if
     * the door stands open).
     */
    const cancel = Effect.fn("Pickup.cancel")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (session.orderId !== null && !session.opened) {
        const step: PickupStep = session.verified ? (session.intakeDone ? "open" : "intake") : "code"
        yield* abandon(session, step, "cancelled")
      }
      if (session.orderId !== null && session.opened) {
        const order = yield* orders.get(session.orderId)
        if (order.compartmentId !== null) {
          const c = yield* compartments.get(order.compartmentId)
          const s = yield* Effect.either(sensors.status(c.channel))
          if (s._tag === "Right" && s.right.item === false) {
            yield* collected(session, order.id, order.documentKind, c.id)
          } else {
            yield* compartments.transition(c.id, ["open"], "loaded", order.id)
            if (s._tag === "Left" || s.right.door !== "closed") {
              yield* alarms.raise("door_left_open", c.id, `compartment ${c.id} left open by a citizen who cancelled`)
            }
            yield* abandon(session, "take", "cancelled")
          }
        }
      }
      yield* sessions.end(sessionId, "cancelled")
    })

    return { identify, resendCode, verify, handInOld, open, complete, cancel } as const
  }),
  dependencies: [EventLog.Default, CardSessions.Default, Orders.Default, Compartments.Default, Notifier.Default, Alarms.Default, Sensors.Default, Throttle.Default, Intake.Default]
}) {}
