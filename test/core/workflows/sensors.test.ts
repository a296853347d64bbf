/**
 * Sensors against a scripted locker bank under TestClock: how many times a
 * door is tried and how far apart (Jammed is tried again, Offline is not),
 * what onFailedAttempt hears, and the pace of the polls of a bounded and of an
 * open-ended watch, which the change feed wakes at once.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Data, Effect, Fiber, Layer, Option, PubSub, Ref, Stream, TestClock } from "effect"
import type { Channel } from "../../../core/domain/compartment.ts"
import { defaultPolicy, TerminalPolicy } from "../../../core/domain/config.ts"
import { LockerError } from "../../../core/domain/errors.ts"
import { type ChannelStatus, LockerBank, type LockerChange } from "../../../core/ports/LockerBank.ts"
import { Sensors } from "../../../core/workflows/Sensors.ts"

const channel: Channel = { board: 0, lock: 3 }
const closed: ChannelStatus = { channel, door: "closed", item: false }
const open: ChannelStatus = { channel, door: "open", item: false }

interface Script {
  /** The n-th try (1, 2, …) of `open`. */
  readonly open?: (n: number) => Effect.Effect<void, LockerError>
  /** The n-th call (1, 2, …) of `status`. */
  readonly status?: (n: number) => Effect.Effect<ChannelStatus, LockerError>
}

/** Sensors over a locker bank that follows `script` and notes the virtual time of every call. */
const scripted = (script: Script) =>
  Effect.gen(function*() {
    const opens = yield* Ref.make<ReadonlyArray<number>>([])
    const polls = yield* Ref.make<ReadonlyArray<number>>([])
    const feed = yield* PubSub.unbounded<LockerChange>()
    const note = (calls: Ref.Ref<ReadonlyArray<number>>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.updateAndGet(calls, (ts) => [...ts, now])).pipe(Effect.map((ts) => ts.length))
    const locker = LockerBank.of({
      open: () => Effect.flatMap(note(opens), script.open ?? (() => Effect.void)),
      status: () => Effect.flatMap(note(polls), script.status ?? (() => Effect.succeed(closed))),
      snapshot: Effect.succeed([]),
      changes: Stream.fromPubSub(feed)
    })
    const sensors = yield* Effect.provide(
      Sensors,
      Sensors.Default.pipe(
        Layer.provide(Layer.merge(Layer.succeed(LockerBank, locker), Layer.succeed(TerminalPolicy, defaultPolicy)))
      )
    )
    return { sensors, opens: Ref.get(opens), polls: Ref.get(polls), feed }
  })

const fails = (reason: LockerError["reason"]) => (n: number) => Effect.fail(new LockerError({ reason, message: `${reason} on try ${n}` }))

/** Runs `effect` in the background and moves the virtual clock until it ends. */
const settle = <A, E>(effect: Effect.Effect<A, E>, millis = 60_000) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(millis)
    return yield* Fiber.join(fiber)
  })

class Stop extends Data.TaggedError("Stop")<{ readonly attempt: number }> {}

describe("Sensors.openWithRetry", () => {
  it.effect("a jammed lock is tried openAttempts times, a second apart; every failure is reported; the last one is the error", () =>
    Effect.gen(function*() {
      expect(defaultPolicy.openAttempts).toBe(3)
      const { opens, sensors } = yield* scripted({ open: fails("Jammed") })
      const heard: Array<[number, string]> = []
      const result = yield* settle(Effect.flip(sensors.openWithRetry(channel, (n, e) => Effect.sync(() => heard.push([n, e.message])))))
      expect(yield* opens).toEqual([0, 1000, 2000])
      expect(heard).toEqual([[1, "Jammed on try 1"], [2, "Jammed on try 2"], [3, "Jammed on try 3"]])
      expect(result).toMatchObject({ _tag: "LockerError", reason: "Jammed", message: "Jammed on try 3" })
    }))

  it.effect("an offline board is tried once: the board is gone, not the lock", () =>
    Effect.gen(function*() {
      const { opens, sensors } = yield* scripted({ open: fails("Offline") })
      const heard: Array<number> = []
      const result = yield* settle(Effect.flip(sensors.openWithRetry(channel, (n) => Effect.sync(() => heard.push(n)))))
      expect(yield* opens).toEqual([0])
      expect(heard).toEqual([1])
      expect(result).toMatchObject({ reason: "Offline", message: "Offline on try 1" })
    }))

  it.effect("jammed, then offline: the second failure ends the tries", () =>
    Effect.gen(function*() {
      const { opens, sensors } = yield* scripted({ open: (n) => fails(n === 1 ? "Jammed" : "Offline")(n) })
      const heard: Array<number> = []
      const result = yield* settle(Effect.flip(sensors.openWithRetry(channel, (n) => Effect.sync(() => heard.push(n)))))
      expect(yield* opens).toEqual([0, 1000])
      expect(heard).toEqual([1, 2])
      expect(result.reason).toBe("Offline")
    }))

  it.effect("a lock that gives on the second try opens; one failure reported", () =>
    Effect.gen(function*() {
      const { opens, sensors } = yield* scripted({ open: (n) => n === 1 ? fails("Jammed")(n) : Effect.void })
      const heard: Array<number> = []
      const opened = yield* settle(sensors.tryOpen(channel, (n) => Effect.sync(() => heard.push(n))))
      expect(opened._tag).toBe("Right")
      expect(yield* opens).toEqual([0, 1000])
      expect(heard).toEqual([1])
    }))

  it.effect("onFailedAttempt's own failure ends the tries with that failure", () =>
    Effect.gen(function*() {
      const { opens, sensors } = yield* scripted({ open: fails("Jammed") })
      const result = yield* settle(Effect.flip(sensors.openWithRetry(channel, (n) => n === 2 ? Effect.fail(new Stop({ attempt: n })) : Effect.void)))
      expect(yield* opens).toEqual([0, 1000])
      expect(result).toEqual(new Stop({ attempt: 2 }))
    }))
})

describe("Sensors.waitFor", () => {
  it.effect("polls every pollMillis until the state holds, and gives the state", () =>
    Effect.gen(function*() {
      const { polls, sensors } = yield* scripted({ status: (n) => Effect.succeed(n < 4 ? open : closed) })
      const seen = yield* settle(sensors.waitFor(channel, 10, (s) => s.door === "closed"))
      expect(seen).toEqual(Option.some(closed))
      expect(yield* polls).toEqual([0, 200, 400, 600])
    }))

  it.effect("None when the time runs out first; a locker error fails the wait", () =>
    Effect.gen(function*() {
      const { polls, sensors } = yield* scripted({ status: () => Effect.succeed(open) })
      expect(yield* settle(sensors.waitFor(channel, 1, (s) => s.door === "closed"))).toEqual(Option.none())
      expect((yield* polls).length).toBe(6)
      const offline = yield* scripted({ status: fails("Offline") })
      const failed = yield* settle(Effect.flip(offline.sensors.waitFor(channel, 1, (s) => s.door === "closed")))
      expect(failed.reason).toBe("Offline")
    }))
})

describe("Sensors.watchFor", () => {
  it.effect("a bounded watch polls at pollMillis through locker errors; None when the time runs out", () =>
    Effect.gen(function*() {
      const { polls, sensors } = yield* scripted({ status: (n) => n % 2 === 0 ? fails("Offline")(n) : Effect.succeed(open) })
      expect(yield* settle(sensors.watchFor(channel, 1, (s) => s.door === "closed"))).toEqual(Option.none())
      expect(yield* polls).toEqual([0, 200, 400, 600, 800, 1000])
    }))

  it.effect("an open-ended watch doubles its pause up to five minutes", () =>
    Effect.gen(function*() {
      const { polls, sensors } = yield* scripted({ status: (n) => Effect.succeed(n < 14 ? open : closed) })
      const seen = yield* settle(sensors.watchFor(channel, Infinity, (s) => s.door === "closed"), 3_600_000)
      expect(seen).toEqual(Option.some(closed))
      const times = yield* polls
      const pauses = times.slice(1).map((t, i) => t - times[i]!)
      expect(pauses).toEqual([200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 102_400, 204_800, 300_000, 300_000])
    }))

  it.effect("a change on the channel cuts the pause short; a change elsewhere does not", () =>
    Effect.gen(function*() {
      let door: ChannelStatus = open
      const { feed, polls, sensors } = yield* scripted({ status: () => Effect.succeed(door) })
      const fiber = yield* Effect.fork(sensors.watchFor(channel, Infinity, (s) => s.door === "closed"))
      yield* TestClock.adjust(100_000) // polls at 0, 200, 600, …, 51000; the next one is due at 102200
      const before = (yield* polls).length
      yield* PubSub.publish(feed, { _tag: "DoorChanged", channel: { board: 0, lock: 4 }, door: "closed" })
      yield* Effect.yieldNow()
      expect((yield* polls).length).toBe(before)
      door = closed
      yield* PubSub.publish(feed, { _tag: "DoorChanged", channel, door: "closed" })
      expect(yield* Fiber.join(fiber)).toEqual(Option.some(closed))
      expect((yield* polls).at(-1)).toBe(100_000)
    }))
})
