/**
 * The night-alone findings, each reproduced against the real workflows under
 * TestClock: a kiosk page that goes away in the middle of a pickup (its
 * request interrupted, its session ended by the reloaded page), an intake flap
 * left open, staff whose browser disappears while loading, a disk that fills,
 * devices that come and go.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Logger, Option } from "effect"
import { demoLayout } from "../../../core/domain/compartment.ts"
import type { SessionId } from "../../../core/domain/ids.ts"
import { DocumentKind, PhoneNumber } from "../../../core/domain/values.ts"
import { EventLog } from "../../../core/persistence/EventLog.ts"
import { setStorageFault } from "../../../core/persistence/storageFault.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Availability } from "../../../core/workflows/Availability.ts"
import { CardSessions } from "../../../core/workflows/CardSessions.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Pickup } from "../../../core/workflows/Pickup.ts"
import {
  compartment,
  eventTypesLogged,
  lastCode,
  loadOrder,
  LockerTwin,
  orderStatus,
  refusal,
  SmsTwin,
  staffMember,
  startSession,
  testTerminal,
  tick
} from "../../support/terminal.ts"

const intake = demoLayout.intake

/** A citizen who got as far as an open door (no old document needed). */
const openDoor = Effect.gen(function*() {
  const pickup = yield* Pickup
  const loaded = yield* loadOrder({ requiresOldDocument: false })
  const session = yield* startSession()
  yield* pickup.identify(session, loaded.order.pickupNumber)
  yield* pickup.verify(session, yield* lastCode(loaded.order.phone!))
  yield* pickup.open(session)
  return { ...loaded, session }
})

/** A small order staff announce (no old document needed). */
const announce = (kind: "id-card" | "passport", phone: string) =>
  Effect.flatMap(
    Loading,
    (loading) =>
      loading.announce({ documentKind: DocumentKind.make(kind), phone: PhoneNumber.make(phone), requiresOldDocument: false, size: "S", preferBand: null })
  )

/** What the terminal logs, one message per line (the warning of a refused write is counted). */
const logged: Array<string> = []
const capturingLogger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logged.push(String(message))))

/** The kiosk page reloads with the door open: its waiting request is cut off, and the reloaded page ends the session. */
const reloadPage = (session: SessionId) =>
  Effect.gen(function*() {
    const waiting = yield* Effect.fork((yield* Pickup).complete(session))
    yield* tick()
    yield* Fiber.interrupt(waiting)
    yield* (yield* CardSessions).endAll("reload")
  })

const openAlarms = (kind: string) => Effect.map(Effect.flatMap(Alarms, (a) => a.list(true)), (xs) => xs.filter((a) => a.kind === kind))

describe("Night alone: the server owns the open door", () => {
  it.effect("a kiosk page reloaded while the door is open: the document taken still means collected", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const { compartment: c, order, session } = yield* openDoor
      yield* reloadPage(session)
      const status = yield* (yield* Availability).status
      expect(status.doors).toEqual([expect.objectContaining({ compartmentId: c.id, purpose: "pickup", phase: "hands" })])
      yield* hands.takeItem(c.channel)
      yield* tick()
      expect(yield* orderStatus(order.id)).toBe("collected")
      expect((yield* (yield* Availability).status).doors).toEqual([expect.objectContaining({ compartmentId: c.id, phase: "close" })])
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* compartment(c.id)).state).toBe("free")
      expect((yield* (yield* Availability).status).doors).toEqual([])
      const types = yield* eventTypesLogged
      expect(types.slice(types.lastIndexOf("CompartmentOpened"))).toEqual(
        expect.arrayContaining(["DocumentTaken", "PickupCompleted", "CardSessionEnded", "DoorClosed"])
      )
      expect(yield* openAlarms("door_left_open")).toEqual([])
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a page that never asks again: document left inside, door open -> ready again and staff called", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const { compartment: c, order } = yield* openDoor
      yield* tick("119 seconds")
      expect(yield* openAlarms("door_left_open")).toEqual([])
      yield* tick("2 seconds")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
      expect((yield* openAlarms("door_left_open")).map((a) => a.compartmentId)).toEqual([c.id])
      expect(yield* eventTypesLogged).toContain("PickupAbandoned")
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("the same page answered on time: complete() still reports what the watch saw", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { compartment: c, session } = yield* openDoor
      // the document is taken and the door shut before the page even asks
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      expect(yield* pickup.complete(session)).toEqual({ collected: true, doorClosed: true })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a session that ends before the door opened is abandoned with its reason (timeout, reload, a new card)", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const sessions = yield* CardSessions
      const log = yield* EventLog
      const first = yield* loadOrder({ requiresOldDocument: false })
      const a = yield* startSession("a")
      yield* pickup.identify(a, first.order.pickupNumber)
      yield* tick("301 seconds")
      yield* sessions.sweep
      const b = yield* startSession("b")
      yield* pickup.identify(b, first.order.pickupNumber)
      yield* pickup.verify(b, yield* lastCode(first.order.phone!))
      yield* sessions.endAll("reload")
      const c = yield* startSession("c")
      yield* pickup.identify(c, first.order.pickupNumber)
      yield* startSession("d")
      const abandoned = (yield* log.read({ types: ["PickupAbandoned"] })).map((e) => e.event._tag === "PickupAbandoned" ? [e.event.step, e.event.reason] : [])
      expect(abandoned).toEqual([["code", "timeout"], ["intake", "page-reloaded"], ["code", "cancelled"]])
      expect(yield* orderStatus(first.order.id)).toBe("loaded")
      expect((yield* compartment(first.compartment.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: the intake flap", () => {
  const upToIntake = Effect.gen(function*() {
    const pickup = yield* Pickup
    const loaded = yield* loadOrder({ requiresOldDocument: true })
    const session = yield* startSession()
    yield* pickup.identify(session, loaded.order.pickupNumber)
    yield* pickup.verify(session, yield* lastCode(loaded.order.phone!))
    return { ...loaded, session }
  })

  it.effect("the compartment opens only once the flap is shut; a flap left open is named as such", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { compartment: c, session } = yield* upToIntake
      const handing = yield* Effect.fork(pickup.handInOld(session))
      yield* tick()
      yield* hands.putItem(intake)
      yield* tick("91 seconds")
      expect((yield* refusal(Fiber.join(handing))).reason).toBe("IntakeLeftOpen")
      expect((yield* openAlarms("intake_left_open")).map((a) => a.subject)).toEqual(["intake"])
      expect(yield* openAlarms("device_offline")).toEqual([])
      // the compartment does not open while the flap stands open
      expect((yield* refusal(pickup.open(session))).reason).toBe("IntakeLeftOpen")
      expect((yield* hands.locks).find((l) => l.channel.lock === c.channel.lock)?.doorOpen).toBe(false)
      yield* hands.close(intake)
      yield* tick()
      expect(yield* openAlarms("intake_left_open")).toEqual([])
      expect(yield* eventTypesLogged).toContain("AlarmResolved")
      expect(yield* pickup.open(session)).toEqual({ compartmentId: c.id })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("the next citizen finds the flap open: asked to push it shut, then the pickup goes on (no compartment out of service)", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const first = yield* upToIntake
      const handing = yield* Effect.fork(pickup.handInOld(first.session))
      yield* tick()
      yield* hands.putItem(intake)
      yield* tick("91 seconds")
      yield* Effect.ignore(Fiber.join(handing))
      // the first citizen walks away; the next one comes
      const second = yield* upToIntake
      expect((yield* refusal(pickup.handInOld(second.session))).reason).toBe("IntakeLeftOpen")
      yield* hands.close(intake) // the first citizen's document drops into the bin
      expect(yield* hands.binned).toBe(1)
      const again = yield* Effect.fork(pickup.handInOld(second.session))
      yield* tick()
      yield* hands.putItem(intake)
      yield* hands.close(intake)
      yield* tick()
      expect(yield* Fiber.join(again)).toEqual({ received: true })
      expect(yield* pickup.open(second.session)).toEqual({ compartmentId: second.compartment.id })
      expect((yield* compartment(first.compartment.id)).state).toBe("loaded")
      expect(yield* openAlarms("jam")).toEqual([])
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a slot that reads occupied with its flap shut: out of order, named so; the order stays ready", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const { compartment: c, order, session } = yield* upToIntake
      yield* hands.stickSensor(intake, true)
      expect((yield* refusal(pickup.handInOld(session))).reason).toBe("IntakeUnavailable")
      expect((yield* openAlarms("intake_blocked")).length).toBe(1)
      expect(yield* openAlarms("device_offline")).toEqual([])
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: staff whose browser goes away", () => {
  it.effect("a load settles when the door is shut, without the confirmation", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const order = yield* announce("passport", "+4915112345678")
      const c = yield* loading.startLoad(order.id, staff.id)
      yield* hands.putItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* (yield* SmsTwin).inbox("+4915112345678")).length).toBe(1)
      // a confirmation that comes late gets the same answer
      expect((yield* loading.confirmLoad(order.id, staff.id)).status).toBe("loaded")
      // an empty door shut calls the load off
      const empty = yield* announce("id-card", "+4915112345679")
      const e = yield* loading.startLoad(empty.id, staff.id)
      yield* hands.close(e.channel)
      yield* tick()
      expect((yield* compartment(e.id)).state).toBe("free")
      expect(yield* eventTypesLogged).toContain("LoadAborted")
      // a return settles the same way
      const back = yield* loading.startReturn(order.id, staff, "taken back after the night")
      yield* hands.takeItem(back.channel)
      yield* hands.close(back.channel)
      yield* tick()
      expect(yield* orderStatus(order.id)).toBe("returned")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a load door left open calls staff", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const staff = yield* staffMember
      const order = yield* announce("id-card", "+4915112345679")
      const c = yield* loading.startLoad(order.id, staff.id)
      yield* tick("121 seconds")
      expect((yield* openAlarms("door_left_open")).map((a) => a.compartmentId)).toEqual([c.id])
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: a disk that fills", () => {
  it.effect("nothing opens when the claim and its event cannot be written; once the disk is back it works", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const log = yield* EventLog
      const { compartment: c, order } = yield* loadOrder({ requiresOldDocument: false })
      const session = yield* startSession()
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      const before = (yield* log.read()).length
      yield* setStorageFault("readonly")
      const refused = yield* Effect.flip(pickup.open(session))
      expect(refused._tag).toBe("SqlError")
      expect((yield* hands.locks).find((l) => l.channel.lock === c.channel.lock)?.doorOpen).toBe(false)
      expect((yield* compartment(c.id)).state).toBe("loaded")
      yield* setStorageFault("none")
      expect((yield* log.read()).length).toBe(before)
      expect(yield* pickup.open(session)).toEqual({ compartmentId: c.id })
      const types = (yield* log.read()).slice(before).map((e) => e.event._tag)
      expect(types.indexOf("UnlockRequested")).toBeLessThan(types.indexOf("CompartmentOpened"))
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: the database refuses what a door's watch saw", () => {
  it.effect("a document taken while the disk refuses writes (page reloaded): collected once it takes them, no restart", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const { compartment: c, order, session } = yield* openDoor
      yield* reloadPage(session)
      yield* setStorageFault("readonly")
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick("30 seconds")
      yield* setStorageFault("none")
      // not on record yet, but not forgotten: the watch keeps trying
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("open")
      expect((yield* (yield* Availability).status).doors.map((d) => d.compartmentId)).toEqual([c.id])
      yield* tick("5 seconds")
      expect(yield* orderStatus(order.id)).toBe("collected")
      yield* tick()
      expect((yield* compartment(c.id)).state).toBe("free")
      expect((yield* (yield* Availability).status).doors).toEqual([])
      const types = yield* eventTypesLogged
      expect(types.slice(types.lastIndexOf("CompartmentOpened"))).toEqual(expect.arrayContaining(["PickupCompleted", "DoorClosed"]))
      // 30 s of refusals, retried every few seconds: one warning per write, not one per attempt
      expect(logged.filter((l) => l.startsWith("could not store the pickup of order"))).toHaveLength(1)
      expect(logged.filter((l) => l.startsWith("stored the pickup of order"))).toHaveLength(1)
    }).pipe(Effect.provide(testTerminal()), Effect.provide(capturingLogger)))

  it.effect("a load door shut while the disk refuses writes: the load settles once it takes them", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const order = yield* announce("passport", "+4915112345670")
      const c = yield* loading.startLoad(order.id, staff.id)
      yield* setStorageFault("readonly")
      yield* hands.putItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick("20 seconds")
      expect(yield* orderStatus(order.id)).not.toBe("loaded")
      yield* setStorageFault("none")
      yield* tick("5 seconds")
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: devices that come and go", () => {
  it.effect("a board off the bus: one alarm naming it, pickup unavailable; back: the alarm resolves", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const availability = yield* Availability
      expect((yield* availability.status).services.pickup.available).toBe(true)
      yield* hands.setBoardOnline(0, false)
      yield* tick()
      const down = yield* openAlarms("device_offline")
      expect(down.map((a) => a.subject)).toEqual(["locker/board 0"])
      expect((yield* availability.status).services.pickup).toEqual({ available: false, missing: ["locker"] })
      expect((yield* availability.status).services.applications.available).toBe(true)
      yield* hands.setBoardOnline(0, true)
      yield* tick()
      expect(yield* openAlarms("device_offline")).toEqual([])
      expect((yield* availability.status).services.pickup.available).toBe(true)
      const changes = (yield* (yield* EventLog).read({ types: ["DeviceStatusChanged"] })).map((e) =>
        e.event._tag === "DeviceStatusChanged" ? e.event.online : null
      )
      expect(changes).toEqual([false, true])
      const resolved = yield* (yield* EventLog).last("AlarmResolved")
      expect(Option.isSome(resolved)).toBe(true)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("no network for the SMS modem: pickups unavailable (no code could be sent), applications still fine", () =>
    Effect.gen(function*() {
      const availability = yield* Availability
      yield* (yield* SmsTwin).setFault("network")
      yield* tick()
      expect((yield* availability.status).services).toEqual({
        pickup: { available: false, missing: ["sms"] },
        applications: { available: true, missing: [] }
      })
      expect((yield* openAlarms("device_offline")).map((a) => a.subject)).toEqual(["sms"])
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: a disk that fills up for real", () => {
  it.effect("writes that need space fail with SQLITE_FULL; whatever happens, no door is open without its UnlockRequested", () =>
    Effect.gen(function*() {
      const pickup = yield* Pickup
      const hands = yield* LockerTwin
      const log = yield* EventLog
      const loaded = [
        yield* loadOrder({ requiresOldDocument: false }),
        yield* loadOrder({ requiresOldDocument: false }),
        yield* loadOrder({ requiresOldDocument: false })
      ]
      yield* setStorageFault("full")
      let full = 0
      for (const { order } of loaded) {
        const attempt = yield* Effect.either(Effect.gen(function*() {
          const session = yield* startSession()
          yield* pickup.identify(session, order.pickupNumber)
          yield* pickup.verify(session, yield* lastCode(order.phone!))
          return yield* pickup.open(session)
        }))
        if (attempt._tag === "Left" && JSON.stringify(attempt.left).includes("SQLITE_FULL")) full++
      }
      // fill the file until nothing fits any more: the next pickup must then be refused whole
      yield* Effect.forEach(Array.from({ length: 200 }), () =>
        Effect.ignore(log.append({ _tag: "TerminalStarted", version: "x".repeat(2000), devices: "ballast" })), { discard: true })
      const last = yield* loadOrder({ requiresOldDocument: false }).pipe(Effect.either)
      expect(full + (last._tag === "Left" ? 1 : 0)).toBeGreaterThan(0)
      yield* setStorageFault("none")
      const unlocks = (yield* log.read({ types: ["UnlockRequested"] })).filter((e) =>
        e.event._tag === "UnlockRequested" && e.event.purpose === "pickup"
      )
      const open = (yield* hands.locks).filter((l) => l.doorOpen && l.channel.lock !== demoLayout.intake.lock)
      expect(open.length).toBeLessThanOrEqual(unlocks.length)
    }).pipe(Effect.provide(testTerminal())))
})

describe("Night alone: an item nobody owns", () => {
  it.effect("a compartment shut on something left behind after a pickup is not freed for the next load; staff are told", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const { compartment: c } = yield* openDoor
      yield* hands.takeItem(c.channel)
      yield* tick()
      // the citizen took the passport and left their umbrella inside
      yield* hands.putItem(c.channel)
      yield* hands.close(c.channel)
      yield* tick()
      expect((yield* compartment(c.id)).state).not.toBe("free")
      expect((yield* openAlarms("reconciliation")).map((a) => a.compartmentId)).toEqual([c.id])
    }).pipe(Effect.provide(testTerminal())))
})
