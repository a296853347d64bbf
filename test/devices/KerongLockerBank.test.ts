import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Stream } from "effect"
import { existsSync } from "node:fs"
import { LockerBank, type LockerChange } from "../../core/ports/LockerBank.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { KerongBusFaults } from "../../hardware-sim/protocol/kerongBus.ts"
import { bytes } from "../hardware-sim/support.ts"
import { eventually, expectTrue } from "../support/eventually.ts"
import { lockerRig } from "./rigs.ts"

const ch = (lock: number, board = 0) => ({ board, lock })
const channels = [ch(1), ch(2), ch(3), ch(16), ch(1, 1)]
const boards = [{ address: 0, polarity: 1 as const, unlockMillis: 500 }, { address: 1, polarity: 0 as const }]
const rig = lockerRig("pair", { channels, boards })
const reasonOf = <A>(e: Either.Either<A, { readonly reason: string }>) => (Either.isLeft(e) ? e.left.reason : "ok")

/** Records the change feed from now on. */
const recordChanges = Effect.gen(function*() {
  const events: Array<LockerChange> = []
  yield* (yield* LockerBank).changes.pipe(Stream.runForEach((e) => Effect.sync(() => events.push(e))), Effect.forkScoped)
  yield* Effect.sleep("20 millis")
  return events
})

describe("KerongLockerBank over the Kerong bus twin", () => {
  it.scopedLive("open, item in, door shut: the change feed in order", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const hands = yield* LockerTwin
      const events = yield* recordChanges
      yield* locker.open(ch(2))
      expect((yield* locker.status(ch(2))).door).toBe("open")
      yield* hands.putItem(ch(2))
      yield* hands.close(ch(2))
      yield* eventually(Effect.flatMap(locker.status(ch(2)), (s) => expectTrue(s.door === "closed" && s.item === true, "shut, item in")))
      yield* eventually(Effect.try(() => expect(events).toHaveLength(3)))
      // put and close may fall into one poll round: their order is not fixed
      expect(events[0]).toEqual({ _tag: "DoorChanged", channel: ch(2), door: "open" })
      expect(events).toContainEqual({ _tag: "ItemChanged", channel: ch(2), item: true })
      expect(events).toContainEqual({ _tag: "DoorChanged", channel: ch(2), door: "closed" })
    }).pipe(Effect.provide(rig)))

  it.scopedLive("polarity 0 board; unlock pulse set with CMD 37 at start; unknown channel is a Protocol error", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const faults = yield* KerongBusFaults
      expect((yield* locker.status(ch(1, 1))).door).toBe("closed")
      yield* locker.open(ch(1, 1))
      expect((yield* locker.status(ch(1, 1))).door).toBe("open")
      expect((yield* faults.unlockTimes).get(0)).toBe(500)
      expect(reasonOf(yield* Effect.either(locker.open(ch(5))))).toBe("Protocol")
    }).pipe(Effect.provide(rig)))

  it.scopedLive("jammed lock: Jammed, and the door still reads shut", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const hands = yield* LockerTwin
      yield* hands.jam(ch(3), true)
      expect(reasonOf(yield* Effect.either(locker.open(ch(3))))).toBe("Jammed")
      expect((yield* locker.status(ch(3))).door).toBe("closed")
    }).pipe(Effect.provide(rig)))

  it.scopedLive("no reply: a dropped reply is retried; a silent board is Offline with a BoardOnline event, and comes back", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const faults = yield* KerongBusFaults
      const events = yield* recordChanges
      // one lost reply: the retry gets the status
      yield* faults.silence(0, 1)
      expect((yield* locker.snapshot).find((s) => s.channel.lock === 1 && s.channel.board === 0)?.door).toBe("closed")
      yield* locker.open(ch(1))
      yield* faults.silence(1)
      yield* eventually(Effect.try(() => expect(events).toContainEqual({ _tag: "BoardOnline", board: 1, online: false })))
      expect(reasonOf(yield* Effect.either(locker.status(ch(1, 1))))).toBe("Offline")
      expect(reasonOf(yield* Effect.either(locker.open(ch(1, 1))))).toBe("Offline")
      expect((yield* locker.snapshot).find((s) => s.channel.board === 1)).toEqual({ channel: ch(1, 1), door: "unknown", item: null })
      expect((yield* locker.status(ch(1))).door).toBe("open")
      yield* faults.clear
      yield* eventually(Effect.try(() => expect(events).toContainEqual({ _tag: "BoardOnline", board: 1, online: true })))
      expect((yield* locker.status(ch(1, 1))).door).toBe("closed")
    }).pipe(Effect.provide(rig)))

  it.scopedLive("wrong checksums and bus noise between frames are survived", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const hands = yield* LockerTwin
      const faults = yield* KerongBusFaults
      yield* faults.noise(bytes("02 00 35 FF 00 02 13 37 03"))
      yield* faults.corruptChecksums(1)
      yield* locker.open(ch(16))
      yield* hands.putItem(ch(16))
      yield* eventually(Effect.flatMap(locker.status(ch(16)), (s) => expectTrue(s.item === true, "item seen through the noise")))
      const snap = yield* locker.snapshot
      expect(snap.filter((s) => s.door === "open").map((s) => s.channel)).toEqual([ch(16)])
    }).pipe(Effect.provide(rig)))

  it.scopedLive("door left open (broken latch) and a stuck sensor are reported as the board sees them", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const hands = yield* LockerTwin
      const faults = yield* KerongBusFaults
      yield* faults.breakLatch(ch(2), true)
      yield* locker.open(ch(2))
      yield* hands.close(ch(2))
      yield* Effect.sleep("150 millis")
      expect((yield* locker.status(ch(2))).door).toBe("open")
      yield* hands.stickSensor(ch(3), true)
      yield* eventually(Effect.flatMap(locker.status(ch(3)), (s) => expectTrue(s.item === true, "stuck sensor")))
    }).pipe(Effect.provide(rig)))

  it.scopedLive("boards that answer the unlock with a status frame", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const faults = yield* KerongBusFaults
      yield* locker.open(ch(1))
      const unlocks = (yield* faults.received).filter((f) => f.command === 0x31)
      expect(unlocks).toHaveLength(1)
      expect((yield* locker.status(ch(1))).door).toBe("open")
    }).pipe(Effect.provide(lockerRig("pair", { channels, boards, twin: { unlockReply: true } }))))

  it.scopedLive.skipIf(!existsSync("/usr/bin/socat"))("the same on a socat pseudo-terminal pair", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const hands = yield* LockerTwin
      yield* locker.open(ch(16))
      yield* hands.putItem(ch(16))
      yield* hands.close(ch(16))
      yield* eventually(Effect.flatMap(locker.status(ch(16)), (s) => expectTrue(s.door === "closed" && s.item === true, "shut, item in")))
    }).pipe(Effect.provide(lockerRig("pty", { channels, boards }))))
})
