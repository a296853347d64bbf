/**
 * Restart reconciliation: the same database, the physical world as it is
 * after a crash or power cut. Nothing opens by itself; half-done operations
 * are closed out against the sensors; everything odd raises an alarm.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { demoLayout } from "../../../core/domain/compartment.ts"
import { DocumentKind, PhoneNumber } from "../../../core/domain/values.ts"
import { EventLog } from "../../../core/persistence/EventLog.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Pickup } from "../../../core/workflows/Pickup.ts"
import {
  compartment,
  lastCode,
  loadOrder,
  LockerTwin,
  orderStatus,
  startSession,
  tempDb,
  testTerminal,
  type TestTerminalOptions
} from "../../support/terminal.ts"

const channelOf = (id: number) => demoLayout.compartments.find((c) => c.id === id)!.channel

type Terminal = Layer.Layer.Success<ReturnType<typeof testTerminal>>

/** Phase one runs on a terminal; phase two on a new one over the same database, the twin in `physical` state. */
const restart = <A, E, B, E2>(
  before: Effect.Effect<A, E, Terminal>,
  after: (a: A) => Effect.Effect<B, E2, Terminal>,
  physical: (a: A) => NonNullable<TestTerminalOptions["physical"]>
) =>
  Effect.gen(function*() {
    const db = tempDb()
    const a = yield* Effect.provide(before, testTerminal({ db }))
    return yield* Effect.provide(after(a), testTerminal({ db, physical: physical(a) }))
  })

describe("Restart reconciliation", () => {
  it.effect("a pickup cut off after the door opened and the document taken is recorded as collected", () =>
    restart(
      Effect.gen(function*() {
        const pickup = yield* Pickup
        const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
        const session = yield* startSession()
        yield* pickup.identify(session, order.pickupNumber)
        yield* pickup.verify(session, yield* lastCode(order.phone!))
        yield* pickup.open(session)
        return { orderId: order.id, compartmentId: c.id }
      }),
      ({ orderId, compartmentId }) =>
        Effect.gen(function*() {
          const hands = yield* LockerTwin
          expect(yield* orderStatus(orderId)).toBe("collected")
          expect((yield* compartment(compartmentId)).state).toBe("free")
          expect((yield* hands.locks).every((l) => !l.doorOpen)).toBe(true)
          const types = (yield* (yield* EventLog).read()).map((e) => e.event._tag)
          expect(types).toEqual(expect.arrayContaining(["TerminalStarted", "CardSessionEnded", "DocumentTaken", "PickupCompleted", "ReconciliationFinding"]))
        }),
      // the citizen took the document and shut the door while the terminal was down
      () => ({ items: [] })
    ))

  it.effect("a pickup cut off with the document still inside: ready again, nothing opens", () =>
    restart(
      Effect.gen(function*() {
        const pickup = yield* Pickup
        const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
        const session = yield* startSession()
        yield* pickup.identify(session, order.pickupNumber)
        yield* pickup.verify(session, yield* lastCode(order.phone!))
        yield* pickup.open(session)
        return { orderId: order.id, compartmentId: c.id }
      }),
      ({ orderId, compartmentId }) =>
        Effect.gen(function*() {
          const hands = yield* LockerTwin
          const alarms = yield* Alarms
          expect(yield* orderStatus(orderId)).toBe("loaded")
          expect((yield* compartment(compartmentId)).state).toBe("loaded")
          const opened = (yield* hands.locks).filter((l) => l.doorOpen).map((l) => l.channel.lock)
          expect(opened).toEqual([channelOf(compartmentId).lock]) // open as it physically was, no other
          expect((yield* alarms.list(true)).filter((a) => a.kind === "door_left_open").map((a) => a.compartmentId)).toEqual([compartmentId])
        }),
      ({ compartmentId }) => ({ items: [channelOf(compartmentId)], openDoors: [channelOf(compartmentId)] })
    ))

  it.effect("a load interrupted before the door opened frees the compartment; a loaded one found empty raises an alarm", () =>
    restart(
      Effect.gen(function*() {
        const loading = yield* Loading
        const { compartment: loaded } = yield* loadOrder()
        const announced = yield* loading.announce({
          documentKind: DocumentKind.make("passport"),
          phone: PhoneNumber.make("+4915199999999"),
          requiresOldDocument: false,
          size: "S",
          preferBand: null
        })
        return { loaded: loaded.id, announcedId: announced.id }
      }),
      ({ loaded }) =>
        Effect.gen(function*() {
          const alarms = yield* Alarms
          const open = yield* alarms.list(true)
          expect(open.filter((a) => a.kind === "reconciliation").map((a) => a.compartmentId)).toEqual([loaded])
        }),
      // the loaded document is gone (stolen while the power was off)
      () => ({ items: [] })
    ))

  it.effect("an item in a compartment that should be empty is reported; open sessions are ended", () =>
    restart(
      Effect.gen(function*() {
        yield* startSession()
        return {}
      }),
      () =>
        Effect.gen(function*() {
          const alarms = yield* Alarms
          const open = yield* alarms.list(true)
          expect(open.filter((a) => a.kind === "reconciliation").map((a) => a.compartmentId)).toEqual([5])
          const ended = (yield* (yield* EventLog).read({ types: ["CardSessionEnded"] })).map((e) => e.event)
          expect(ended).toEqual([expect.objectContaining({ reason: "restart" })])
          expect((yield* (yield* EventLog).verify).ok).toBe(true)
        }),
      () => ({ items: [channelOf(5)] })
    ))

  it.effect("a collected order still recorded in its compartment (found by the crash harness) is released at start", () =>
    restart(
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const { order, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
        // the state a kill between the two updates of the old, non-transactional code left behind
        yield* sql`UPDATE orders SET status = 'collected', closed_at = '1970-01-01T00:00:00.000Z' WHERE id = ${order.id}`
        return { orderId: order.id, compartmentId: c.id }
      }),
      ({ compartmentId, orderId }) =>
        Effect.gen(function*() {
          const c = yield* compartment(compartmentId)
          expect(c.orderId).toBe(null)
          expect(c.state).toBe("free")
          expect(yield* orderStatus(orderId)).toBe("collected")
        }),
      () => ({ items: [] })
    ))
})
