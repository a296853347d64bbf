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
import type { SqlError } from "@effect/sql/SqlError"
import { Deferred, Effect, Either, Option } from "effect"
import type { Channel } from "../domain/compartment.ts"
import { Secrets, TerminalPolicy } from "../domain/config.ts"
import { PickupFailed } from "../domain/errors.ts"
import type { AbandonReason, PickupStep } from "../domain/events.ts"
import type { CompartmentId, OrderId, SessionId } from "../domain/ids.ts"
import { OneTimeCode } from "../domain/oneTimeCode.ts"
import { collectable } from "../domain/order.ts"
import { maskPhone } from "../domain/values.ts"
import { CodesRepo } from "../persistence/CodesRepo.ts"
import { CompartmentsRepo } from "../persistence/CompartmentsRepo.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { OrdersRepo } from "../persistence/OrdersRepo.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import type { ChannelStatus } from "../ports/LockerBank.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import { Alarms } from "./Alarms.ts"
import { type ActiveSession, CardSessions } from "./CardSessions.ts"
import { DoorWatch, recentWatches } from "./DoorWatch.ts"
import { Intake } from "./Intake.ts"
import { Notifier, texts } from "./Notifier.ts"
import { Sensors } from "./Sensors.ts"
import { hashesEqual, isoOf, keyedHash, nowMillis, untilStored } from "./support.ts"
import { Throttle } from "./Throttle.ts"

/** How the server's watch of an open pickup door ended the pickup. */
type TakeOutcome = "collected" | "not-taken" | "cancelled" | "unknown"

interface PickupWatch {
  readonly compartmentId: CompartmentId
  readonly taken: Deferred.Deferred<TakeOutcome, SqlError>
  /** true: shut within the alarm delay; false: left open (staff called) */
  readonly shut: Deferred.Deferred<boolean>
  readonly cancel: Deferred.Deferred<void>
}

const fail = (reason: PickupFailed["reason"], message: string, extra: { attemptsLeft?: number } = {}) => new PickupFailed({ reason, message, ...extra })

export class Pickup extends Effect.Service<Pickup>()("amtomat/Pickup", {
  effect: Effect.gen(function*() {
    const transaction = yield* withTransaction
    const config = yield* TerminalPolicy
    const secrets = yield* Secrets
    const random = yield* SecureRandom
    const log = yield* EventLog
    const sessions = yield* CardSessions
    const sessionsRepo = yield* SessionsRepo
    const orders = yield* OrdersRepo
    const compartments = yield* CompartmentsRepo
    const codes = yield* CodesRepo
    const notifier = yield* Notifier
    const alarms = yield* Alarms
    const sensors = yield* Sensors
    const throttle = yield* Throttle
    const intake = yield* Intake
    const doors = yield* DoorWatch

    const codeHash = (orderId: string, code: string) => keyedHash(secrets.cardKey, `code|${orderId}|${code}`)

    const abandon = (session: ActiveSession, step: PickupStep, reason: AbandonReason) =>
      Effect.zipRight(
        sessionsRepo.clearPickup(session.id),
        log.append({ _tag: "PickupAbandoned", sessionId: session.id, orderId: session.orderId, step, reason })
      )

    const sendCode = (session: ActiveSession, orderId: OrderId) =>
      Effect.gen(function*() {
        const order = yield* orders.get(orderId)
        if (order.phone === null) return yield* fail("NotReady", "no phone number on file for this order")
        const existing = yield* codes.find(orderId)
        const sent = Option.isSome(existing) && existing.value.sessionId === session.id ? existing.value.sentCount : 0
        if (sent >= config.maxCodeSends) {
          return yield* fail("Throttled", "no more codes for this order in this session; please ask staff")
        }
        const code = yield* random.digits(config.codeDigits)
        const expiresAt = (yield* nowMillis) + config.codeTtlSeconds * 1000
        yield* notifier.send(orderId, "code", order.phone, texts.code(code, Math.round(config.codeTtlSeconds / 60))).pipe(
          Effect.mapError(() => fail("SmsNotSent", "the code could not be sent; please try again later or ask staff"))
        )
        yield* codes.issue(
          new OneTimeCode({ orderId, sessionId: session.id, codeHash: codeHash(orderId, code), expiresAt, used: false, sentCount: sent + 1 })
        )
        return {
          maskedPhone: maskPhone(order.phone),
          codeExpiresAt: expiresAt,
          requiresOldDocument: order.requiresOldDocument,
          documentKind: order.documentKind
        }
      })

    /** The document left the compartment in a pickup: the order is collected, the session free for another. */
    const collected = (session: ActiveSession, orderId: OrderId, documentKind: string, compartmentId: CompartmentId) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        // One transaction: a crash leaves the order, its compartment, the session and the events all
        // before or all after (the crash harness found the half-way state).
        yield* transaction(Effect.gen(function*() {
          if (!(yield* orders.close(orderId, collectable, "collected", isoOf(now)))) return
          yield* compartments.clearOrder(compartmentId)
          yield* sessionsRepo.clearPickup(session.id)
          yield* log.append({ _tag: "DocumentTaken", orderId, compartmentId })
          yield* log.append({ _tag: "PickupCompleted", sessionId: session.id, orderId, documentKind, durationMs: Math.max(0, now - session.startedAt) })
        }))
      })

    /** Step 1: the citizen types the pickup number; a code goes to the phone on file. */
    const identify = Effect.fn("Pickup.identify")(function*(sessionId: SessionId, pickupNumber: string) {
      const session = yield* sessions.require(sessionId)
      yield* throttle.check(session.cardKey)
      const found = yield* orders.byPickupNumber(pickupNumber)
      const refuse = (reason: "unknown" | "not_ready" | "locked", error: PickupFailed) =>
        Effect.zipRight(log.append({ _tag: "PickupIdentifyFailed", sessionId, reason }), Effect.fail(error))
      if (Option.isNone(found)) {
        yield* throttle.failure(session.cardKey)
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
        yield* sessionsRepo.startPickup(sessionId, order.id)
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
      yield* throttle.check(session.cardKey)
      const orderId = session.orderId
      if (orderId === null) return yield* fail("NoCodeRequested", "enter the pickup number first")
      const order = yield* orders.get(orderId)
      if (session.verified) return { requiresOldDocument: order.requiresOldDocument }
      if (order.status === "locked") return yield* fail("OrderLocked", "this pickup is locked; staff must release it")
      const found = yield* codes.find(orderId)
      if (Option.isNone(found) || found.value.sessionId !== sessionId) return yield* fail("NoCodeRequested", "no code was sent in this session")
      const row = found.value
      const now = yield* nowMillis
      if (row.used) {
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "used", attempt: order.failedAttempts })
        return yield* fail("CodeExpired", "this code was already used; request a new one")
      }
      if (now > row.expiresAt) {
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "expired", attempt: order.failedAttempts })
        return yield* fail("CodeExpired", "the code has expired; request a new one")
      }
      if (!hashesEqual(row.codeHash, codeHash(orderId, code))) {
        const attempts = Option.getOrElse(yield* orders.recordWrongCode(orderId), () => order.failedAttempts + 1)
        yield* throttle.failure(session.cardKey)
        yield* log.append({ _tag: "CodeRejected", sessionId, orderId, reason: "wrong", attempt: attempts })
        if (attempts >= config.maxAttemptsPerOrder) {
          yield* transaction(Effect.gen(function*() {
            yield* orders.lock(orderId)
            yield* codes.markUsed(orderId)
            yield* log.append({ _tag: "OrderLocked", orderId })
          }))
          yield* alarms.raise("order_locked", order.compartmentId, `order ${orderId} locked after ${attempts} wrong codes`)
          yield* abandon({ ...session, orderId }, "code", "too-many-attempts")
          return yield* fail("OrderLocked", "too many wrong codes; the pickup is locked, please contact staff", { attemptsLeft: 0 })
        }
        return yield* fail("WrongCode", "the code is not right", { attemptsLeft: config.maxAttemptsPerOrder - attempts })
      }
      yield* codes.markUsed(orderId)
      yield* orders.resetAttempts(orderId)
      yield* sessionsRepo.markVerified(sessionId)
      yield* log.append({ _tag: "CodeVerified", sessionId, orderId })
      return { requiresOldDocument: order.requiresOldDocument }
    })

    /**
     * Step 3 (when required): the old document goes into the intake slot and
     * its flap is shut again. The watch of the flap runs on the server (see
     * Intake); this call only waits for it.
     */
    const handInOld = Effect.fn("Pickup.handInOld")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      if (!session.verified || session.orderId === null) return yield* fail("NoCodeRequested", "confirm the code first")
      const order = yield* orders.get(session.orderId)
      if (!order.requiresOldDocument) return { received: true }
      if (session.intakeDone) {
        yield* intake.requireShut
        return { received: true }
      }
      const result = yield* intake.receive(sessionId, session.orderId, sessionsRepo.markIntakeDone(sessionId))
      if (result === "none") {
        yield* abandon(session, "intake", "no-old-document")
        return yield* fail("NoOldDocument", "no old document was detected; bring it to the office or try again")
      }
      if (result === "left-open") {
        return yield* fail("IntakeLeftOpen", "the old document is in; please push the flap of the slot shut")
      }
      return { received: true }
    })

    /** The pickups whose door is (or was last) open, by session: complete() and cancel() talk to them. */
    // a handful of recent pickups is plenty: a session has one door at a time
    const watches = yield* recentWatches<SessionId, PickupWatch>(32)

    /**
     * The server's watch of a compartment opened for a pickup, whatever the
     * kiosk page does: the document gone means collected, the door shut with
     * it inside means ready again, the time to take it running out means ready
     * again and staff are called; then the door is watched until it is shut.
     */
    const watchPickup = (
      session: ActiveSession,
      order: { readonly id: OrderId; readonly documentKind: string },
      compartmentId: CompartmentId,
      channel: Channel,
      watch: PickupWatch
    ) =>
      Effect.gen(function*() {
        const seen = yield* Effect.raceFirst(
          Effect.map(
            sensors.watchFor(channel, config.takeSeconds, (s) => s.item === false || s.door === "closed"),
            (o) => ({ _tag: "seen" as const, status: o })
          ),
          Effect.as(Deferred.await(watch.cancel), { _tag: "cancel" as const })
        )
        const readNow = Effect.map(Effect.either(sensors.status(channel)), Either.getRight)
        /** What the sensors say decides; `timedOut`: the time to take the document ran out. */
        const decide = (status: ChannelStatus, why: "seen" | "timeout" | "cancel") =>
          Effect.gen(function*() {
            if (status.item === false) {
              yield* collected(session, order.id, order.documentKind, compartmentId)
              return "collected" as const
            }
            // Door shut with the document inside, or the document left in an open door. The order is ready
            // again at once; if the door still stands open, staff are called, and should anyone take the
            // document from it, the locker watch raises a reconciliation alarm.
            yield* compartments.transition(compartmentId, ["open"], "loaded", order.id)
            if (status.door !== "closed") {
              yield* alarms.raise(
                "door_left_open",
                compartmentId,
                why === "cancel"
                  ? `compartment ${compartmentId} left open by a citizen who cancelled`
                  : `compartment ${compartmentId} left open with the document inside`
              )
            }
            yield* abandon(session, "take", why === "cancel" ? "cancelled" : "document-not-taken")
            return why === "cancel" ? "cancelled" as const : "not-taken" as const
          })
        const now = seen._tag === "seen" && Option.isSome(seen.status) ? seen.status : yield* readNow
        if (Option.isNone(now)) {
          // The locker cannot be read right now: the citizen is told so, and the watch settles the
          // pickup against the sensors as soon as they answer again.
          yield* Deferred.succeed(watch.taken, "unknown")
          const back = yield* sensors.watchFor(channel, Infinity, () => true)
          yield* untilStored(`the pickup of order ${order.id}`, decide(Option.getOrThrow(back), "timeout"))
        } else {
          const why = seen._tag === "cancel" ? "cancel" as const : Option.isSome(seen.status) ? "seen" as const : "timeout" as const
          yield* untilStored(`the pickup of order ${order.id}`, decide(now.value, why)).pipe(
            Effect.onExit((exit) => Deferred.done(watch.taken, exit))
          )
        }
        yield* doors.setPhase(compartmentId, "close")
        const shut = yield* sensors.watchFor(channel, config.doorOpenAlarmSeconds, (s) => s.door === "closed")
        yield* untilStored(
          `the alarm for compartment ${compartmentId}`,
          Effect.gen(function*() {
            if (Option.isNone(shut) && (yield* orders.get(order.id)).status === "collected") {
              yield* alarms.raise("door_left_open", compartmentId, `compartment ${compartmentId} left open after pickup`)
            }
          })
        )
        yield* Deferred.succeed(watch.shut, Option.isSome(shut))
        if (Option.isNone(shut)) yield* sensors.watchFor(channel, Infinity, (s) => s.door === "closed")
        yield* untilStored(
          `the shutting of compartment ${compartmentId}`,
          Effect.gen(function*() {
            if ((yield* compartments.settleClosed(compartmentId)) !== "none") {
              yield* log.append({ _tag: "DoorClosed", compartmentId })
            }
          })
        )
      }).pipe(
        // Whoever waits on this watch is answered even if it is cut short (a newer watch of the door, shutdown).
        Effect.ensuring(Effect.zipRight(Deferred.succeed(watch.taken, "unknown"), Deferred.succeed(watch.shut, false)))
      )

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
      if (order.requiresOldDocument) yield* intake.requireShut
      // The claim and the record of the unlock commit together, before the lock is touched: if the
      // database cannot be written, nothing opens.
      const claimed = yield* transaction(Effect.gen(function*() {
        // read again inside the claim: an order expired or cancelled since the check above stays shut
        if (!collectable.includes((yield* orders.get(order.id)).status)) return false
        const ok = yield* compartments.transition(compartmentId, ["loaded"], "open", order.id, "pickup")
        if (ok) {
          yield* sessionsRepo.setOpened(sessionId, true)
          yield* log.append({ _tag: "UnlockRequested", compartmentId, orderId: order.id, purpose: "pickup" })
        }
        return ok
      }))
      if (!claimed) return yield* fail("DoorDidNotOpen", "the compartment is not available; please contact staff")
      const compartment = yield* compartments.get(compartmentId)
      const opened = yield* (sensors.tryOpen(compartment.channel, (attempt, e) =>
        Effect.asVoid(log.append({ _tag: "CompartmentOpenFailed", compartmentId, attempt, reason: e.reason }))))
      if (opened._tag === "Left") {
        const e = opened.left
        yield* sessionsRepo.setOpened(sessionId, false)
        if (e.reason === "Jammed") {
          yield* compartments.transition(compartmentId, ["open"], "out_of_service", order.id)
          yield* compartments.setService(compartmentId, "door did not open", "out_of_service")
          yield* log.append({ _tag: "CompartmentOutOfService", compartmentId, reason: "door did not open", by: null })
          yield* alarms.raise("jam", compartmentId, `compartment ${compartmentId} did not open for order ${order.id}`)
          yield* abandon(session, "open", "door-did-not-open")
          return yield* fail("DoorDidNotOpen", "the compartment did not open; your document stays safe, staff have been alerted")
        }
        yield* compartments.transition(compartmentId, ["open"], "loaded", order.id)
        yield* alarms.raise("device_offline", compartmentId, `locker board: ${e.message}`)
        yield* abandon(session, "open", "device-error")
        return yield* fail("DeviceError", "the locker does not respond; your document stays safe, please contact staff")
      }
      // From here the door is open: the server watches it, whatever happens to this request.
      const watch: PickupWatch = {
        compartmentId,
        taken: yield* Deferred.make<TakeOutcome, SqlError>(),
        shut: yield* Deferred.make<boolean>(),
        cancel: yield* Deferred.make<void>()
      }
      yield* watches.set(sessionId, watch)
      yield* doors.start(compartmentId, "pickup", watchPickup({ ...session, orderId: order.id }, order, compartmentId, compartment.channel, watch))
      yield* log.append({ _tag: "CompartmentOpened", compartmentId, orderId: order.id, purpose: "pickup" })
      return { compartmentId }
    })

    /**
     * Step 5: waits for the server's watch of the open door: collected as soon
     * as the item sensor clears; a door left open after that raises an alarm
     * but the pickup still counts. Interrupting this call (a reloaded page)
     * changes nothing: the watch goes on.
     */
    const complete = Effect.fn("Pickup.complete")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      const watch = yield* watches.get(sessionId)
      if (watch === undefined) {
        if (!session.opened || session.orderId === null) return yield* fail("NoCodeRequested", "the compartment was not opened")
        return yield* fail("NotReady", "the compartment is no longer watched; please contact staff")
      }
      const outcome = yield* Deferred.await(watch.taken)
      if (outcome === "unknown") {
        return yield* fail("DeviceError", "the locker does not respond; staff have been told and the terminal settles the pickup when it answers")
      }
      if (outcome !== "collected") return yield* fail("DocumentNotTaken", "the document was not taken; it stays in the compartment")
      return { collected: true, doorClosed: yield* Deferred.await(watch.shut) }
    })

    /**
     * The citizen cancels. Before the door opened: the pickup is abandoned and
     * nothing opens. After: what the sensors say decides — the document gone
     * means collected, still inside means ready again (and staff are called if
     * the door stands open).
     */
    const cancel = Effect.fn("Pickup.cancel")(function*(sessionId: SessionId) {
      const session = yield* sessions.require(sessionId)
      const watch = yield* watches.get(sessionId)
      if (session.opened && watch !== undefined) {
        yield* Deferred.succeed(watch.cancel, undefined)
        yield* Effect.ignore(Deferred.await(watch.taken))
      } else if (session.orderId !== null && !session.opened) {
        const step: PickupStep = session.verified ? (session.intakeDone ? "open" : "intake") : "code"
        yield* abandon(session, step, "cancelled")
      }
      yield* sessions.end(sessionId, "cancelled")
    })

    return { identify, resendCode, verify, handInOld, open, complete, cancel } as const
  }),
  dependencies: [
    EventLog.Default,
    CardSessions.Default,
    SessionsRepo.Default,
    OrdersRepo.Default,
    CompartmentsRepo.Default,
    CodesRepo.Default,
    Notifier.Default,
    Alarms.Default,
    Sensors.Default,
    Throttle.Default,
    Intake.Default,
    DoorWatch.Default
  ]
}) {}
