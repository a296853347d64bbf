/**
 * Staff operations: loading with atomic assignment, reminders and expiry,
 * returns, out of service, override open, alarms.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { CompartmentId, type OrderId } from "../../../core/domain/ids.ts"
import { DocumentKind } from "../../../core/domain/values.ts"
import { CompartmentsRepo } from "../../../core/persistence/CompartmentsRepo.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Maintenance } from "../../../core/workflows/Maintenance.ts"
import {
  compartment,
  eventTypesLogged,
  loadOrder,
  LockerTwin,
  nextPhone,
  orderStatus,
  SmsTwin,
  staffMember,
  testTerminal,
  tick
} from "../../support/terminal.ts"

const announce = (size: "S" | "M" | "L" = "S", preferBand: "low" | "high" | null = null) =>
  Effect.flatMap(Loading, (l) => l.announce({ documentKind: DocumentKind.make("passport"), phone: nextPhone(), requiresOldDocument: false, size, preferBand }))

describe("Loading and assignment", () => {
  it.effect("assigns the smallest fitting compartment and honours the accessibility preference", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const medium = yield* announce("M")
      const m = yield* loading.startLoad(medium.id)
      expect(m.size).toBe("M")
      const wheelchair = yield* announce("S", "low")
      expect((yield* loading.startLoad(wheelchair.id)).band).toBe("low")
      const noPreference = yield* announce("S", null)
      expect((yield* loading.startLoad(noPreference.id)).band).toBe("high")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("never double-books: concurrent loads get distinct compartments, then none is left", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const orders = yield* Effect.all(Array.from({ length: 14 }, () => announce("S")))
      const results = yield* Effect.all(orders.map((o) => Effect.either(loading.startLoad(o.id))), { concurrency: "unbounded" })
      const got = results.flatMap((r) => (r._tag === "Right" ? [r.right.id] : []))
      expect(new Set(got).size).toBe(got.length)
      expect(got).toHaveLength(12)
      const refused = results.flatMap((r) => (r._tag === "Left" ? [r.left] : []))
      expect(refused).toHaveLength(2)
      for (const e of refused) expect(e).toMatchObject({ _tag: "Conflict", reason: "NoFreeCompartment" })
    }).pipe(Effect.provide(testTerminal())))

  it.effect("confirming sends the ready SMS with the pickup number; a door shut without a document cancels", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const sms = yield* SmsTwin
      const { order } = yield* loadOrder()
      const inbox = yield* sms.inbox(order.phone!)
      expect(inbox.at(-1)?.text).toContain(`${order.pickupNumber.slice(0, 4)} ${order.pickupNumber.slice(4)}`)
      expect(yield* orderStatus(order.id)).toBe("loaded")
      const staff = yield* staffMember
      const empty = yield* announce("S")
      const c = yield* loading.startLoad(empty.id)
      yield* hands.close(c.channel)
      expect(yield* Effect.flip(loading.confirmLoad(empty.id, staff.id))).toMatchObject({ _tag: "Conflict" })
      expect((yield* compartment(c.id)).state).toBe("free")
      expect(yield* orderStatus(empty.id)).toBe("announced")
      expect(yield* eventTypesLogged).toContain("LoadAborted")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a ready SMS lost to the network is kept pending and sent by the next policy run", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const sms = yield* SmsTwin
      yield* sms.setFault("network")
      const { order } = yield* loadOrder()
      expect(yield* sms.inbox(order.phone!)).toHaveLength(0)
      yield* sms.setFault("none")
      expect((yield* loading.runPolicies()).retried).toBe(1)
      expect((yield* sms.inbox(order.phone!)).at(-1)?.text).toContain("bereit")
      expect((yield* loading.runPolicies()).retried).toBe(0)
    }).pipe(Effect.provide(testTerminal())))
})

describe("Reminders, expiry and returns", () => {
  it.effect("reminds after 7 days, expires after 21, and staff return the document to the office", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const sms = yield* SmsTwin
      const { order, compartment: c, staff } = yield* loadOrder()
      yield* tick("6 days")
      expect(yield* loading.runPolicies()).toMatchObject({ reminded: 0, expired: 0 })
      yield* tick("1441 minutes")
      expect(yield* loading.runPolicies()).toMatchObject({ reminded: 1, expired: 0 })
      expect(yield* orderStatus(order.id)).toBe("reminded")
      expect((yield* sms.inbox(order.phone!)).at(-1)?.text).toContain("Erinnerung")
      expect(yield* loading.runPolicies()).toMatchObject({ reminded: 0 })
      yield* tick("14 days")
      expect(yield* loading.runPolicies()).toMatchObject({ expired: 1 })
      expect(yield* orderStatus(order.id)).toBe("expired")
      yield* loading.startReturn(order.id, staff)
      yield* hands.takeItem(c.channel)
      yield* hands.close(c.channel)
      yield* loading.confirmReturn(order.id, staff.id)
      expect(yield* orderStatus(order.id)).toBe("returned")
      expect((yield* compartment(c.id)).state).toBe("free")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a return with the document still inside is refused and the order stays", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const hands = yield* LockerTwin
      const { order, compartment: c, staff } = yield* loadOrder()
      yield* loading.startReturn(order.id, staff, "the citizen asked to collect it at the counter")
      yield* hands.close(c.channel)
      expect(yield* Effect.flip(loading.confirmReturn(order.id, staff.id))).toMatchObject({ _tag: "Conflict" })
      expect(yield* orderStatus(order.id)).toBe("loaded")
      expect((yield* compartment(c.id)).state).toBe("loaded")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("an announced order handed over at the counter is closed; a loaded one cannot be", () =>
    Effect.gen(function*() {
      const loading = yield* Loading
      const announced = yield* announce()
      expect((yield* loading.counterHandover(announced.id)).status).toBe("counter")
      const { order } = yield* loadOrder()
      expect(yield* Effect.flip(loading.counterHandover(order.id))).toMatchObject({ _tag: "Conflict" })
      // a load under way (compartment assigned, door open, still announced): refused, and nothing changed
      const loadingNow = yield* announce()
      yield* loading.startLoad(loadingNow.id)
      expect(yield* Effect.flip(loading.counterHandover(loadingNow.id))).toMatchObject({ _tag: "Conflict" })
      expect(yield* orderStatus(loadingNow.id)).toBe("announced")
      const handovers = (yield* eventTypesLogged).filter((t) => t === "CounterHandover")
      expect(handovers).toHaveLength(1)
    }).pipe(Effect.provide(testTerminal())))
})

describe("Maintenance and alarms", () => {
  it.effect("out of service takes a compartment out of assignment; back in service only when shut", () =>
    Effect.gen(function*() {
      const maintenance = yield* Maintenance
      const compartments = yield* CompartmentsRepo
      const staff = yield* staffMember
      const id = CompartmentId.make(3)
      expect(yield* Effect.flip(maintenance.outOfService(id, "short", staff.id))).toMatchObject({ _tag: "InvalidInput", field: "reason" })
      yield* maintenance.outOfService(id, "hinge broken, technician called", staff.id)
      const orderIds: Array<OrderId> = []
      for (let i = 0; i < 11; i++) {
        const o = yield* announce("S")
        orderIds.push(o.id)
        const got = yield* compartments.assign(o.id, "S", null)
        expect(Option.map(got, (c) => c.id)).not.toEqual(Option.some(id))
      }
      yield* maintenance.backInService(id, staff.id)
      expect((yield* compartment(id)).state).toBe("free")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("override open needs a reason, opens the door and is logged with who and why", () =>
    Effect.gen(function*() {
      const maintenance = yield* Maintenance
      const hands = yield* LockerTwin
      const staff = yield* staffMember
      const id = CompartmentId.make(5)
      expect(yield* Effect.flip(maintenance.overrideOpen(id, " ", staff.id))).toMatchObject({ _tag: "InvalidInput" })
      expect((yield* hands.locks).find((l) => l.channel.lock === 5)?.doorOpen).toBe(false)
      yield* maintenance.overrideOpen(id, "citizen's card stuck behind the flap", staff.id)
      expect((yield* hands.locks).find((l) => l.channel.lock === 5)?.doorOpen).toBe(true)
      const types = yield* eventTypesLogged
      expect(types).toContain("OverrideOpened")
    }).pipe(Effect.provide(testTerminal())))

  it.effect("the same open alarm is raised once; acknowledging twice is a conflict", () =>
    Effect.gen(function*() {
      const alarms = yield* Alarms
      const staff = yield* staffMember
      const a = yield* alarms.raise("jam", CompartmentId.make(2), "lock 2 stuck")
      const b = yield* alarms.raise("jam", CompartmentId.make(2), "lock 2 stuck again")
      expect(b.id).toBe(a.id)
      yield* alarms.acknowledge(a.id, staff.id)
      expect(yield* Effect.flip(alarms.acknowledge(a.id, staff.id))).toMatchObject({ reason: "AlreadyAcknowledged" })
      expect(yield* alarms.list(true)).toHaveLength(0)
      const c = yield* alarms.raise("jam", CompartmentId.make(2), "again after repair")
      expect(c.id).not.toBe(a.id)
    }).pipe(Effect.provide(testTerminal())))

  it.effect("a board dropping off the bus raises a device-offline alarm via the change feed", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      const alarms = yield* Alarms
      yield* tick()
      yield* hands.setBoardOnline(0, false)
      yield* tick()
      expect((yield* alarms.list(true)).map((a) => a.kind)).toContain("device_offline")
    }).pipe(Effect.provide(testTerminal())))
})
