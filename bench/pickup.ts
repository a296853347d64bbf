/**
 * Full pickups through the real workflows on SQLite on disk (WAL,
 * synchronous=FULL), with the behavioural twins as devices: what the terminal
 * core costs per pickup, without any device latency.
 */
import { Effect, Fiber } from "effect"
import { demoLayout } from "../core/domain/compartment.ts"
import { Pickup } from "../core/workflows/Pickup.ts"
import { lastCode, loadOrder, LockerTwin, startSession, twinTerminal } from "../kiosk/harness/twinTerminal.ts"

export const pickupBench = (count: number) =>
  Effect.gen(function*() {
    const pickup = yield* Pickup
    const hands = yield* LockerTwin
    let busy = 0
    for (let i = 0; i < count; i++) {
      const { order, compartment } = yield* loadOrder({ requiresOldDocument: true })
      const t0 = performance.now()
      const session = yield* startSession(`bench-${i}`)
      yield* pickup.identify(session, order.pickupNumber)
      yield* pickup.verify(session, yield* lastCode(order.phone!))
      const intake = yield* Effect.fork(pickup.handInOld(session))
      yield* Effect.sleep("5 millis")
      yield* hands.putItem(demoLayout.intake)
      yield* Fiber.join(intake)
      yield* hands.close(demoLayout.intake)
      yield* pickup.open(session)
      yield* hands.takeItem(compartment.channel)
      yield* hands.close(compartment.channel)
      yield* pickup.complete(session)
      busy += performance.now() - t0
    }
    return {
      bench: "pickup.workflows.behavioural-twin",
      pickups: count,
      msPerPickup: Number((busy / count).toFixed(2)),
      pickupsPerSecond: Number((count / (busy / 1000)).toFixed(1))
    }
  }).pipe(Effect.provide(twinTerminal({ config: { pollMillis: 5 } })))
