import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Queue } from "effect"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import * as KerongBus from "../../hardware-sim/protocol/kerongBus.ts"
import { openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import { bytes, hex } from "./support.ts"

const ch = (lock: number, board = 0) => ({ board, lock })

/** The bus twin on one end of a pair cable; the test is the host on the other, writing raw bytes. */
const rig = (options: Partial<KerongBus.KerongBusOptions> = {}) =>
  Effect.gen(function*() {
    const pair = makePairBinding()
    pair.connect("host", "device")
    const ctx = yield* Layer.build(KerongBus.layer({
      boards: [{ address: 0 }, { address: 1, polarity: 0 }],
      channels: [ch(1), ch(9), ch(16), ch(1, 1)],
      ...options
    }, { path: "device", baudRate: 19200, binding: pair.binding }))
    const host = yield* openSerialLine({ path: "host", baudRate: 19200, binding: pair.binding })
    /** Sends a request and collects what comes back within a moment (a board answers at once). */
    const ask = (request: string, wait: Duration.DurationInput = "30 millis") =>
      Effect.gen(function*() {
        yield* Queue.takeAll(host.input)
        yield* host.write(bytes(request))
        yield* Effect.sleep(wait)
        const chunks = yield* Queue.takeAll(host.input)
        return hex(Uint8Array.from([...chunks].flatMap((c) => [...c])))
      })
    return { ask, control: Context.get(ctx, LockerTwin), faults: Context.get(ctx, KerongBus.KerongBusFaults) }
  })

const STATUS_0 = "02 00 30 03 35"

describe("Kerong bus twin, byte for byte", () => {
  it.scopedLive("answers CMD 30 with the status frame of protocols.md; unlock opens, pushing shut locks", () =>
    Effect.gen(function*() {
      const { ask, control } = yield* rig({ items: [ch(1)] })
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FF 01 00 03 39")
      // unlock lock 9 (index 8): silent by default; the door springs open, its bit reads "not locked"
      expect(yield* ask("02 08 31 03 3E")).toBe("")
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FE 01 00 03 38")
      yield* control.close(ch(9))
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FF 01 00 03 39")
    }))

  it.scopedLive("polarity 0 board, CMD 31 answered when configured, CMD 37 stored", () =>
    Effect.gen(function*() {
      const { ask, faults } = yield* rig({ unlockReply: true })
      // board 1, polarity 0: locked = bit cleared
      expect(yield* ask("02 10 30 03 45")).toBe("02 10 35 00 00 00 00 03 4A")
      expect(yield* ask("02 10 31 03 46")).toBe("02 10 35 01 00 00 00 03 4B")
      expect(yield* ask("02 00 37 00 32 03 6E")).toBe("")
      expect((yield* faults.unlockTimes).get(0)).toBe(500)
      // an unwired lock never opens; a board that is not on the bus never answers
      expect(yield* ask("02 01 31 03 37")).toBe("02 00 35 FF FF 00 00 03 38")
      expect(yield* ask("02 50 30 03 85")).toBe("")
    }))

  it.scopedLive("faults: jam, silence, bad checksum, noise, board off the bus, broken latch, stuck sensor", () =>
    Effect.gen(function*() {
      const { ask, control, faults } = yield* rig()
      yield* control.jam(ch(1), true)
      yield* ask("02 00 31 03 36")
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FF 00 00 03 38")
      yield* faults.silence(0, 1)
      expect(yield* ask(STATUS_0)).toBe("")
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FF 00 00 03 38")
      yield* faults.corruptChecksums(1)
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF FF 00 00 03 92")
      yield* faults.noise(bytes("FF 02 13"))
      expect(yield* ask(STATUS_0)).toBe("FF 02 13 02 00 35 FF FF 00 00 03 38")
      yield* faults.noise(null)
      yield* control.setBoardOnline(0, false)
      expect(yield* ask(STATUS_0)).toBe("")
      yield* control.setBoardOnline(0, true)
      yield* faults.breakLatch(ch(16), true)
      yield* ask("02 0F 31 03 45")
      yield* control.close(ch(16))
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF 7F 00 00 03 B8")
      yield* control.stickSensor(ch(9), true)
      expect(yield* ask(STATUS_0)).toBe("02 00 35 FF 7F 00 01 03 B9")
      expect((yield* faults.received).length).toBeGreaterThan(8)
    }))
})
