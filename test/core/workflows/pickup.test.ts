/**
 * Pickup at the terminal: the success path and every failure path, against
 * the real workflows, SQLite on disk and the behavioural twins, under TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { demoLayout } from "../../../core/domain/compartment.ts"
import { CompartmentId } from "../../../core/domain/ids.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Maintenance } from "../../../core/workflows/Maintenance.ts"
import { Pickup } from "../../../core/workflows/Pickup.ts"
import {
  compartment,
  eventTypesLogged,
  lastCode,
  loadOrder,
  LockerTwin,
  orderStatus,
  refusal,
  SmsTwin as SmsTwinTag,
  staffMember,
  startSession,
  testTerminal,
  tick
} from "../../support/terminal.ts"

const intake = demoLayout.intake

describe("Pickup", () => {
  it.effect("collects a document: code by SMS, old document in, door opens, document out, door shut", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: true })
      const session = yield* startSession()
      const identified = yield* pickup.identify(session, order.pickupNumber)
      expect(identified.requiresOldDocument).toBe(true)
      expect(identified.maskedPhone).not.toContain(order.phone!.slice(3, 10))
      const code = yield* lastCode(order.phone!)
      expect(code).toMatch(/^\d{6}$/)
      yield* pickup.verify(session, code)
      const receiving = yield* Effect.fork(pickup.handInOld(session))
      yield* tick()
      yield* hands.putItem(intake)
      yield* tick()
      yield* hands.close(intake)
      expect(yield* Fiber.join(receiving)).toEqual({ received: true })
      expect(yield* hands.binned).toBe(1)
      expect(yield* pickup.open(session)).toEqual({ compartmentId: c.id })
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      expect(yield* Fiber.join(completing)).toEqual({ collected: true, doorClosed: true })
      expect(yield* orderStatus(order.id)).toBe("collected")
      expect((yield* compartment(c.id)).state).toBe("free")
      const types = yield* eventTypesLogged
      const tail = types.slice(types.indexOf("PickupStarted"))
      expect(tail).toEqual([
        "PickupStarted",
        "NotificationSent",
        "CodeVerified",
        "UnlockRequested",
        "CompartmentOpened",
        "OldDocumentReceived",
        "UnlockRequested",
        "CompartmentOpened",
        "DocumentTaken",
        "PickupCompleted",
        "DoorClosed"
      ])
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a document dropped and the flap shut faster than one sensor poll is still seen", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { order } = yield* loadOrder({ requiresOldDocument: true })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      const receiving = yield* Effect.fork(pickup.handInOld(session))
      yield* tick("10 millis")
      yield* hands.putItem(intake)
      yield* hands.close(intake) // no poll in between: the sensor reads empty again at once
      yield* tick()
      expect(yield* Fiber.join(receiving)).toEqual({ received: true })
      expect(yield* hands.binned).toBe(1)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a wrong code is refused with the attempts left; the right one still works", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const { order } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      const code = yield* lastCode(order.phone!)
      const wrong = code === "000000" ? "111111" : "000000"
      const error = yield* refusal(pickup.verify(session, wrong))
      expect(error).toMatchObject({ reason: "WrongCode", attemptsLeft: 2 })
      expect(yield* pickup.verify(session, code)).toEqual({ requiresOldDocument: false })
      expect(yield* eventTypesLogged).toContain("CodeRejected")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("an expired code is refused; a fresh code works, the old one not", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const { order } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      const old = yield* lastCode(order.phone!)
      yield* tick("601 seconds")
      const expired = yield* refusal(pickup.verify(session, old))
      expect(expired.reason).toBe("CodeExpired")
      yield* pickup.resendCode(session)
      const fresh = yield* lastCode(order.phone!)
      if (fresh !== old) expect((yield* refusal(pickup.verify(session, old))).reason).toBe("WrongCode")
      expect(yield* pickup.verify(session, fresh)).toEqual({ requiresOldDocument: false })
    }).pipe(Effect.provide(testTerminal({ config: { sessionIdleSeconds: 3600 } }))))

  it.effect("too many wrong codes lock the order; staff must release it", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const loading = yield* Loading
      const alarms = yield* Alarms
      const { order, staff } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      const code = yield* lastCode(order.phone!)
      const wrong = code === "000000" ? "111111" : "000000"
      expect((yield* refusal(pickup.verify(session, wrong))).reason).toBe("WrongCode")
      expect((yield* refusal(pickup.verify(session, wrong))).reason).toBe("WrongCode")
      expect(yield* refusal(pickup.verify(session, wrong))).toMatchObject({ reason: "OrderLocked", attemptsLeft: 0 })
      expect(yield* orderStatus(order.id)).toBe("locked")
      // even the right code does not help now, nor a new identification
      expect((yield* refusal(pickup.verify(session, code))).reason).not.toBe(undefined)
      expect((yield* refusal(pickup.identify(session, order.pickupNumber))).reason).toBe("OrderLocked")
      expect((yield* refusal(pickup.open(session))).reason).toBe("NoCodeRequested")
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("order_locked")
      yield* loading.release(order.id, staff.id)
      expect(yield* orderStatus(order.id)).toBe("loaded")
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
    }).pipe(Effect.provide(testTerminal())))

  it.effect("no old document in the slot: nothing opens, the order stays ready", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: true })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      expect((yield* refusal(pickup.open(session))).reason).toBe("NoOldDocument")
      const receiving = yield* Effect.fork(pickup.handInOld(session))
      yield* tick("91 seconds")
      expect((yield* refusal(Fiber.join(receiving))).reason).toBe("NoOldDocument")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
      expect((yield* refusal(pickup.open(session))).reason).toBe("NoCodeRequested")
      expect(yield* eventTypesLogged).toContain("PickupAbandoned")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a door that does not open: bounded retries, compartment out of service, staff alerted, order kept", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      yield* hands.jam(c.channel, true)
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      const opening = yield* Effect.fork(pickup.open(session))
      yield* tick("5 seconds")
      expect((yield* refusal(Fiber.join(opening))).reason).toBe("DoorDidNotOpen")
      const types = yield* eventTypesLogged
      expect(types.filter((t) => t === "CompartmentOpenFailed")).toHaveLength(3)
      expect((yield* compartment(c.id)).state).toBe("out_of_service")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("jam")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a document not taken: door shut with it inside, the order stays ready", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* pickup.open(session)
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* refusal(Fiber.join(completing))).reason).toBe("DocumentNotTaken")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a door left open after the pickup: collected, alarm raised, freed once shut", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* pickup.open(session)
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.takeItem(c.channel)
      yield* tick("61 seconds")
      expect(yield* Fiber.join(completing)).toEqual({ collected: true, doorClosed: false })
      expect(yield* orderStatus(order.id)).toBe("collected")
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("door_left_open")
      expect((yield* compartment(c.id)).state).toBe("open")
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* compartment(c.id)).state).toBe("free")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a document left in an open door: not collected, alarm; shut later it is ready again", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* pickup.open(session)
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick("121 seconds")
      expect((yield* refusal(Fiber.join(completing))).reason).toBe("DocumentNotTaken")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a document grabbed from a door left open (found by fast-check): staff get a reconciliation alarm", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* pickup.open(session)
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick("121 seconds")
      expect((yield* refusal(Fiber.join(completing))).reason).toBe("DocumentNotTaken")
      expect((yield* compartment(c.id)).state).toBe("loaded")
      yield* hands.takeItem(c.channel) // a passer-by
      yield* tick()
      const open = (yield* alarms.list(true)).filter((a) => a.kind === "reconciliation")
      expect(open.map((a) => a.compartmentId)).toEqual([c.id])
      expect(yield* eventTypesLogged).toContain("ReconciliationFinding")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("cancel after the door opened (found by fast-check): taken means collected, inside means ready again", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      const first = yield* loadOrder({ requiresOldDocument: false })
      const second = yield* loadOrder({ requiresOldDocument: false })
      const s1 = yield* startSession("a")
      yield* pickup.identify(s1, first.order.pickupNumber)
      yield* pickup.verify(s1, yield* lastCode(first.order.phone!))
      yield* pickup.open(s1)
      yield* hands.takeItem(first.compartment.channel)
      yield* pickup.cancel(s1)
      expect(yield* orderStatus(first.order.id)).toBe("collected")
      const s2 = yield* startSession("b")
      yield* pickup.identify(s2, second.order.pickupNumber)
      yield* pickup.verify(s2, yield* lastCode(second.order.phone!))
      yield* pickup.open(s2)
      yield* pickup.cancel(s2)
      expect(yield* orderStatus(second.order.id)).toBe("loaded")
      expect((yield* compartment(second.compartment.id)).state).toBe("loaded")
      expect((yield* alarms.list(true)).filter((a) => a.kind === "door_left_open").map((a) => a.compartmentId)).toContain(second.compartment.id)
      yield* hands.takeItem(second.compartment.channel)
      yield* tick()
      expect((yield* alarms.list(true)).filter((a) => a.kind === "reconciliation").map((a) => a.compartmentId)).toEqual([second.compartment.id])
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a door opened by override and left open calls staff after the alarm delay", () =>
    Effect.gen(function*() {
      const alarms = yield* Alarms
      const maintenance = yield* Maintenance
      const staff = yield* staffMember
      yield* maintenance.overrideOpen(CompartmentId.make(4), "checking the hinge of door four", staff.id)
      yield* tick("59 seconds")
      expect((yield* alarms.list(true)).map((a) => a.kind)).not.toContain("door_left_open")
      yield* tick("2 seconds")
      expect((yield* alarms.list(true)).filter((a) => a.kind === "door_left_open").map((a) => a.compartmentId)).toEqual([4])
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a board that drops off mid-way: a clear device error, alarm, the order stays ready", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* hands.setBoardOnline(c.channel.board, false)
      expect((yield* refusal(pickup.open(session))).reason).toBe("DeviceError")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("device_offline")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("opening is idempotent and never happens for an unverified citizen", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      expect((yield* refusal(pickup.open(session))).reason).toBe("NoCodeRequested")
      yield* pickup.identify(session, order.pickupNumber)
      expect((yield* refusal(pickup.open(session))).reason).toBe("NoCodeRequested")
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      yield* pickup.open(session)
      yield* pickup.open(session)
      const opened = (yield* eventTypesLogged).filter((t) => t === "CompartmentOpened")
      expect(opened).toHaveLength(2) // one for loading, one for the pickup
      const completing = yield* Effect.fork(pickup.complete(session))
      yield* tick()
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      yield* Fiber.join(completing)
      expect(yield* refusal(pickup.open(session))).toMatchObject({ _tag: "PickupFailed" })
      expect((yield* hands.locks).find((l) => l.channel.lock === c.channel.lock)?.doorOpen).toBe(false)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("an idle session times out and every step then asks for the card again", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const { order } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* tick("301 seconds")
      expect((yield* refusal(pickup.identify(session, order.pickupNumber))).reason).toBe("SessionExpired")
      expect(yield* eventTypesLogged).toContain("CardSessionEnded")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("unknown pickup numbers slow the terminal down with a growing delay", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const session = yield* startSession()
      const unknown = ["00000000", "00000018", "00000026", "00000034", "00000042"]
      for (const n of unknown) {
        expect((yield* refusal(pickup.identify(session, n))).reason).toBe("UnknownPickupNumber")
      }
      const throttled = yield* refusal(pickup.identify(session, "00000059"))
      expect(throttled).toMatchObject({ reason: "Throttled" })
      expect(throttled.retryAfterSeconds).toBeGreaterThan(0)
      yield* tick(`${throttled.retryAfterSeconds! + 1} seconds`)
      expect((yield* refusal(pickup.identify(session, "00000059"))).reason).toBe("UnknownPickupNumber")
      const longer = yield* refusal(pickup.identify(session, "00000067"))
      expect(longer.retryAfterSeconds).toBeGreaterThan(throttled.retryAfterSeconds!)
    }).pipe(Effect.provide(testTerminal({ config: { sessionIdleSeconds: 3600 } }))))

  it.effect("an SMS that cannot be sent is reported; no code exists to guess", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const { order } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* (yield* SmsTwinTag).setFault("network")
      expect((yield* refusal(pickup.identify(session, order.pickupNumber))).reason).toBe("SmsNotSent")
      expect((yield* refusal(pickup.verify(session, "123456"))).reason).toBe("NoCodeRequested")
    }).pipe(Effect.provide(testTerminal())))
})
