import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { stringify as stringifyYaml } from "yaml"
import { demoLayout } from "../../core/domain/compartment.ts"
import { decodeDevicesConfig, layoutOf, loadDevicesConfig } from "../../kiosk/devices/config.ts"

const example = JSON.parse(readFileSync(new URL("../../devices.example.json", import.meta.url), "utf8")) as Record<string, any>
const issuesOf = (input: unknown) => Either.match(decodeDevicesConfig(input), { onLeft: (e) => e.issues, onRight: () => [] as ReadonlyArray<string> })
const edit = (f: (c: any) => void) => {
  const c = structuredClone(example)
  f(c)
  return c
}

describe("devices configuration", () => {
  it("devices.example.json matches the demo layout", () => {
    const config = Either.getOrThrow(decodeDevicesConfig(example))
    expect(layoutOf(config)).toEqual(demoLayout)
    expect(config.locker.boards).toEqual([{ address: 0, polarity: 1, unlockMillis: 500 }])
    expect(config.modem.mode).toBe("pdu")
  })

  it("fills defaults for everything but the ports, the boards and the layout", () => {
    const config = Either.getOrThrow(decodeDevicesConfig({
      locker: { port: { path: "/dev/ttyUSB0" }, boards: [{ address: 0 }] },
      card: { port: { path: "/dev/ttyUSB1" } },
      modem: { port: { path: "/dev/ttyUSB2" } },
      layout: { compartments: [{ id: 1, board: 0, lock: 1, size: "S", band: "low" }], intake: { board: 0, lock: 16 } }
    }))
    expect(config.locker.boards[0]!.polarity).toBe(1)
    expect(config.locker.timing.responseTimeoutMillis).toBe(1000)
    expect(config.card.configByte).toBe(0x08 | 0x10 | 0x20 | 0x80)
    expect(config.card.timing.t1Millis).toBe(200)
    expect(config.modem.timing.attempts).toBe(3)
  })

  it("every error names its path", () => {
    expect(issuesOf(edit((c) => c.locker.boards.push({ address: 1, polarity: 2 })))).toEqual(["locker.boards[1].polarity: expected 0 or 1"])
    expect(issuesOf(edit((c) => (c.layout.compartments[3].size = "XL")))).toEqual(["layout.compartments[3].size: expected S, M or L"])
    expect(issuesOf(edit((c) => (c.card.password = "12")))).toEqual(["card.password: expected 6 digits"])
    expect(issuesOf(edit((c) => (c.locker.boards[0].address = 16)))).toEqual(["locker.boards[0].address: expected a whole number 0..15"])
    expect(issuesOf(edit((c) => delete c.modem.port.path))).toEqual(["modem.port.path: is missing"])
    expect(issuesOf(edit((c) => (c.modem.tming = {}))).join()).toMatch(/^modem\.tming: is unexpected/)
    expect(issuesOf(edit((c) => (c.modem.mode = "fax")))).toEqual(["modem.mode: expected pdu or text"])
  })

  it("rules across fields: known boards, unique ids and channels", () => {
    expect(issuesOf(edit((c) => (c.layout.compartments[1].id = 1)))).toEqual(["layout.compartments[1].id: compartment 1 is listed twice"])
    expect(issuesOf(edit((c) => (c.layout.compartments[2].board = 3)))).toEqual(["layout.compartments[2].board: board 3 is not in locker.boards"])
    expect(issuesOf(edit((c) => (c.layout.intake.lock = 2)))).toEqual(["layout.intake.lock: board 0 lock 2 is already used by compartment 2"])
    expect(issuesOf(edit((c) => c.locker.boards.push({ address: 0 })))).toEqual(["locker.boards[1].address: board 0 is listed twice"])
  })

  it.effect("loading names the file", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(loadDevicesConfig("/nonexistent/devices.json"))
      expect(missing.message).toMatch(/^\/nonexistent\/devices\.json: cannot read/)
      const ok = yield* loadDevicesConfig(new URL("../../devices.example.json", import.meta.url).pathname)
      expect(ok.layout.compartments).toHaveLength(12)
    }))

  it.effect("a YAML file works the same, and its errors name the path too", () =>
    Effect.gen(function*() {
      const dir = mkdtempSync(join(tmpdir(), "amtomat-yaml-"))
      const good = join(dir, "devices.yaml")
      writeFileSync(good, stringifyYaml(example))
      const fromYaml = yield* loadDevicesConfig(good)
      expect(layoutOf(fromYaml)).toEqual(demoLayout)
      const bad = join(dir, "bad.yml")
      writeFileSync(bad, stringifyYaml(edit((c) => (c.locker.boards[0].polarity = 7))))
      expect((yield* Effect.flip(loadDevicesConfig(bad))).issues).toEqual(["locker.boards[0].polarity: expected 0 or 1"])
      const broken = join(dir, "broken.yaml")
      writeFileSync(broken, "locker: [unclosed")
      expect((yield* Effect.flip(loadDevicesConfig(broken))).message).toMatch(/broken\.yaml: not YAML/)
    }))
})
