import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Queue } from "effect"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import * as Control from "../../hardware-sim/control/server.ts"
import { type DeviceLine, openSerialLine, wireTime } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import { ptyPair } from "../../hardware-sim/protocol/pty.ts"
import { twinsOnPairs } from "./support.ts"

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
const read = (line: DeviceLine, n: number) =>
  Effect.gen(function*() {
    let got = ""
    while (got.length < n) got += String.fromCharCode(...(yield* Queue.take(line.input)))
    return got
  }).pipe(Effect.timeout("2 seconds"))

describe("serial transports for the twins", () => {
  it.scopedLive("pair binding: bytes both ways, through serialport on both ends", () =>
    Effect.gen(function*() {
      const pair = makePairBinding()
      pair.connect("a", "b")
      const a = yield* openSerialLine({ path: "a", baudRate: 9600, binding: pair.binding })
      const b = yield* openSerialLine({ path: "b", baudRate: 9600, binding: pair.binding })
      yield* a.write(text("hello"))
      expect(yield* read(b, 5)).toBe("hello")
      yield* b.write(text("world!"))
      expect(yield* read(a, 6)).toBe("world!")
      expect((yield* Effect.promise(() => pair.binding.list())).map((p) => p.path)).toEqual(["a", "b"])
    }))

  it.scopedLive("byte timing: a chunk takes its time on the wire (10 bits per byte at 8N1)", () =>
    Effect.gen(function*() {
      expect(Duration.toMillis(wireTime(960, 9600))).toBe(1000)
      expect(Duration.toMillis(wireTime(960, 9600, 2))).toBe(1100)
      const pair = makePairBinding()
      pair.connect("a", "b")
      const a = yield* openSerialLine({ path: "a", baudRate: 9600, binding: pair.binding, byteTiming: true })
      const b = yield* openSerialLine({ path: "b", baudRate: 9600, binding: pair.binding })
      const start = yield* Clock.currentTimeMillis
      yield* a.write(new Uint8Array(96))
      yield* read(b, 96)
      expect((yield* Clock.currentTimeMillis) - start).toBeGreaterThanOrEqual(95)
    }))

  it.scopedLive.skipIf(!existsSync("/usr/bin/socat"))("socat pseudo-terminals: bytes both ways; the pair goes with the scope", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "amtomat-pty-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const host = join(dir, "host")
      yield* Effect.scoped(Effect.gen(function*() {
        const pty = yield* ptyPair(host, join(dir, "device"))
        const a = yield* openSerialLine({ path: pty.host, baudRate: 19200 })
        const b = yield* openSerialLine({ path: pty.device, baudRate: 19200 })
        yield* a.write(Uint8Array.of(0x02, 0x00, 0x30, 0x03, 0x35))
        expect([...text(yield* read(b, 5))]).toEqual([0x02, 0x00, 0x30, 0x03, 0x35])
        yield* b.write(text("OK"))
        expect(yield* read(a, 2)).toBe("OK")
      }))
      expect(existsSync(host)).toBe(false)
    }))

  it.scopedLive("control API: the same handles, remotely; refusals come back as TwinError", () =>
    Effect.gen(function*() {
      const { handles, layout } = yield* twinsOnPairs()
      const port = yield* Control.serve({ handles: Effect.succeed(handles), layout })
      const remote = yield* TwinControl.client(`http://127.0.0.1:${port}`)
      yield* remote.card.insert("alice")
      expect(yield* handles.card.waiting).toBe(true)
      yield* remote.locker.jam({ board: 0, lock: 1 }, true)
      expect((yield* remote.locker.locks)[0]).toMatchObject({ jammed: true })
      const refused = yield* Effect.flip(remote.locker.putItem({ board: 0, lock: 1 }))
      expect(refused).toMatchObject({ _tag: "TwinError", message: "compartment 0:1 is closed" })
      yield* remote.kerongFaults.noise(Uint8Array.of(1, 2, 3))
      expect((yield* handles.kerongFaults.state).noise).toEqual(Uint8Array.of(1, 2, 3))
      yield* remote.kerongFaults.silence("all")
      expect((yield* remote.kerongFaults.state).silent.get("all")).toBe(Infinity)
    }))
})
