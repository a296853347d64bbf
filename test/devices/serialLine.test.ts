/**
 * The reconnecting host line on the in-process pair binding, under TestClock:
 * missing at boot, lost and reopened, a bounded log during a long outage.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Fiber, Logger, Queue, Stream, TestClock } from "effect"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import { openLine } from "../../kiosk/devices/serialLine.ts"

/** Lets the binding's promises settle (they run outside Effect's clock). */
const settle = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve))).pipe(Effect.repeatN(3))
/** Advances the test clock in steps, letting the binding answer in between. */
const advance = (total: Duration.DurationInput, step: Duration.DurationInput = "250 millis") =>
  Effect.gen(function*() {
    const n = Math.ceil(Duration.toMillis(total) / Duration.toMillis(step))
    for (let i = 0; i < n; i++) {
      yield* TestClock.adjust(step)
      yield* settle
    }
  })

const lockerState = Effect.flatMap(DeviceStatus, (s) => Effect.map(s.current, (xs) => xs.find((h) => h.device === "locker" && h.part === "port")))

/** Counts log lines, by level. */
const countingLogger = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

const cable = () => {
  const pair = makePairBinding()
  pair.connect("locker-host", "locker-device")
  return pair
}

describe("openLine: a line that comes and goes", () => {
  it.scoped("missing at boot: builds, reports down, opens when the device appears", () =>
    Effect.gen(function*() {
      const pair = cable()
      pair.unplug("locker-host")
      const line = yield* openLine({ device: "locker", path: "locker-host", baudRate: 19200, binding: pair.binding })
      const opened = yield* line.opened.pipe(Stream.take(1), Stream.runCollect, Effect.fork)
      yield* advance("1 second")
      expect(yield* line.isOpen).toBe(false)
      const down = yield* lockerState
      expect(down?.up).toBe(false)
      expect(down?.detail).toContain("locker-host: cannot open")
      expect((yield* Effect.either(line.write(Uint8Array.of(1))))._tag).toBe("Left")
      pair.replug("locker-host")
      yield* advance("6 seconds")
      expect(yield* line.isOpen).toBe(true)
      expect(Chunk.toReadonlyArray(yield* Fiber.join(opened))).toEqual([1])
      expect((yield* lockerState)?.up).toBe(true)
      expect((yield* lockerState)?.detail).toBe("locker-host open")
    }).pipe(Effect.provide(DeviceStatus.layer)))

  it.scoped("unplugged while open: goes down, reopens with a new generation, the input queue survives", () =>
    Effect.gen(function*() {
      const pair = cable()
      const line = yield* openLine({ device: "locker", path: "locker-host", baudRate: 19200, binding: pair.binding })
      const gens: Array<number> = []
      yield* line.opened.pipe(Stream.runForEach((g) => Effect.sync(() => gens.push(g))), Effect.forkScoped)
      yield* advance("500 millis")
      expect(gens).toEqual([1])
      pair.unplug("locker-host")
      yield* advance("250 millis")
      expect(yield* line.isOpen).toBe(false)
      expect((yield* lockerState)?.up).toBe(false)
      expect((yield* Effect.either(line.write(Uint8Array.of(1))))._tag).toBe("Left")
      pair.replug("locker-host")
      yield* advance("6 seconds")
      expect(yield* line.isOpen).toBe(true)
      expect(gens).toEqual([1, 2])
      const s = yield* lockerState
      expect(s?.up).toBe(true)
      expect(s?.reconnects).toBe(1)
      // the same queue carries bytes from the new port
      const device = yield* Effect.promise(() => pair.binding.open({ path: "locker-device", baudRate: 19200 }).catch(() => undefined))
      expect(device).toBeDefined()
      yield* Effect.promise(() => device!.write(Buffer.from([7, 8])))
      yield* settle
      expect([...(yield* Queue.take(line.input))]).toEqual([7, 8])
      yield* Effect.promise(() => device!.close())
    }).pipe(Effect.provide(DeviceStatus.layer)))

  it.scoped("a three-hour outage logs one line down, one line up and a summary every 10 minutes", () => {
    const log = countingLogger()
    return Effect.gen(function*() {
      const pair = cable()
      yield* openLine({ device: "locker", path: "locker-host", baudRate: 19200, binding: pair.binding })
      yield* advance("500 millis")
      pair.unplug("locker-host")
      yield* advance("3 hours", "30 seconds")
      pair.replug("locker-host")
      yield* advance("10 seconds")
      const state = yield* lockerState
      expect(state?.up).toBe(true)
      const down = log.lines.filter((l) => l.includes("line down"))
      const summaries = log.lines.filter((l) => l.includes("still down since"))
      const up = log.lines.filter((l) => l.includes("line up"))
      expect(down).toHaveLength(1)
      expect(up).toHaveLength(2)
      expect(summaries.length).toBeGreaterThanOrEqual(15)
      expect(summaries.length).toBeLessThanOrEqual(19)
      expect(log.lines.length).toBeLessThanOrEqual(1 + 2 + 19)
      expect(summaries[0]).toMatch(/still down since 1970-01-01T00:00:00\.\d+Z, \d+ attempts/)
    }).pipe(Effect.provide(DeviceStatus.layer), Effect.provide(log.layer))
  }, 60_000)
})
