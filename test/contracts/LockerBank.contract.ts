/**
 * The LockerBank contract: what every adapter — behavioural twin, Kerong
 * driver over a mock port, over a PTY, on real hardware — must do. The
 * LockerTwin handle plays the hands that push doors shut and move items.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Exit, Fiber, Layer, Stream } from "effect"
import type { Channel } from "../../core/domain/compartment.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { eventually, expectTrue } from "../support/eventually.ts"

export const lockerBankContract = (name: string, layer: Layer.Layer<LockerBank | LockerTwin, unknown>, channels: ReadonlyArray<Channel>) =>
  describe(`LockerBank contract: ${name}`, () => {
    const [a, b] = channels as [Channel, Channel]
    const run = <A, E>(body: Effect.Effect<A, E, LockerBank | LockerTwin>) => body.pipe(Effect.provide(layer), Effect.scoped)

    it.live("a snapshot names every channel, all doors shut and empty at start", () =>
      run(Effect.gen(function*() {
        const locker = yield* LockerBank
        const snap = yield* locker.snapshot
        for (const c of channels) {
          const s = snap.find((x) => x.channel.board === c.board && x.channel.lock === c.lock)
          expect(s, `channel ${c.board}:${c.lock}`).toBeDefined()
          expect(s?.door).toBe("closed")
          expect(s?.item).toBe(false)
        }
      })))

    it.live("open unlocks only that door, reports it open and announces the change", () =>
      run(Effect.gen(function*() {
        const locker = yield* LockerBank
        const seen = yield* locker.changes.pipe(
          Stream.filter((c) => c._tag === "DoorChanged" && c.door === "open"),
          Stream.take(1),
          Stream.runCollect,
          Effect.fork
        )
        yield* Effect.sleep("50 millis")
        yield* locker.open(a)
        expect((yield* locker.status(a)).door).toBe("open")
        expect((yield* locker.status(b)).door).toBe("closed")
        const changes = Chunk.toReadonlyArray(yield* Fiber.join(seen).pipe(Effect.timeout("5 seconds")))
        expect(changes[0]).toMatchObject({ _tag: "DoorChanged", channel: a, door: "open" })
      })))

    it.live("an item put in and a door pushed shut are seen by the sensors", () =>
      run(Effect.gen(function*() {
        const locker = yield* LockerBank
        const hands = yield* LockerTwin
        yield* locker.open(a)
        yield* hands.putItem(a)
        yield* hands.close(a)
        yield* eventually(Effect.flatMap(locker.status(a), (s) => expectTrue(s.item === true && s.door === "closed", "item in, door shut")))
        yield* locker.open(a)
        yield* hands.takeItem(a)
        yield* eventually(Effect.flatMap(locker.status(a), (s) => expectTrue(s.item === false && s.door === "open", "item out")))
      })))

    it.live("a jammed lock fails with Jammed and the door stays shut", () =>
      run(Effect.gen(function*() {
        const locker = yield* LockerBank
        const hands = yield* LockerTwin
        yield* hands.jam(a, true)
        const exit = yield* Effect.exit(locker.open(a))
        expect(exit).toMatchObject({ _tag: "Failure" })
        if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("Jammed")
        expect((yield* locker.status(a)).door).toBe("closed")
        yield* hands.jam(a, false)
        yield* locker.open(a)
        expect((yield* locker.status(a)).door).toBe("open")
      })))

    it.live("a board off the bus: status fails Offline, the snapshot says unknown, and it comes back", () =>
      run(Effect.gen(function*() {
        const locker = yield* LockerBank
        const hands = yield* LockerTwin
        const offline = yield* locker.changes.pipe(
          Stream.filter((c) => c._tag === "BoardOnline" && !c.online),
          Stream.take(1),
          Stream.runDrain,
          Effect.fork
        )
        yield* Effect.sleep("50 millis")
        yield* hands.setBoardOnline(a.board, false)
        yield* Fiber.join(offline).pipe(Effect.timeout("10 seconds"))
        const failed = yield* eventually(Effect.flip(locker.status(a)), "10 seconds")
        expect(failed).toMatchObject({ _tag: "LockerError", reason: "Offline" })
        const opened = yield* Effect.exit(locker.open(a))
        expect(Exit.isFailure(opened)).toBe(true)
        const snap = yield* locker.snapshot
        expect(snap.find((s) => s.channel.board === a.board && s.channel.lock === a.lock)?.door).toBe("unknown")
        yield* hands.setBoardOnline(a.board, true)
        yield* eventually(Effect.flatMap(locker.status(a), (s) => expectTrue(s.door === "closed", "back online")), "10 seconds")
      })))
  })
