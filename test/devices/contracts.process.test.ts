/**
 * The port contracts against the real drivers on pseudo-terminals, the
 * protocol twins in another process: `amtomat twin --config … --control-port 0`
 * is spawned once, its printed paths are opened by the drivers here, and its
 * control handles are driven over its control API (reset before every test).
 */
import { afterAll, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import { decodeDevicesConfig } from "../../kiosk/devices/config.ts"
import * as KerongLockerBank from "../../kiosk/devices/KerongLockerBank.ts"
import * as ZvtCardTerminal from "../../kiosk/devices/ZvtCardTerminal.ts"
import { cardTerminalContract } from "../contracts/CardTerminal.contract.ts"
import { lockerBankContract } from "../contracts/LockerBank.contract.ts"
import { smsGatewayContract } from "../contracts/SmsGateway.contract.ts"
import { fastCard, fastLocker, fastModem } from "./rigs.ts"

const socat = existsSync("/usr/bin/socat") || existsSync("/usr/local/bin/socat")
const dir = mkdtempSync(join(tmpdir(), "amtomat-twin-"))
const channels = [{ board: 0, lock: 1 }, { board: 0, lock: 2 }, { board: 0, lock: 16 }]
const config = Either.getOrThrow(decodeDevicesConfig({
  locker: { port: { path: join(dir, "locker") }, boards: [{ address: 0 }], timing: fastLocker },
  card: { port: { path: join(dir, "card") }, password: "123456", timing: fastCard },
  modem: { port: { path: join(dir, "modem") }, timing: fastModem },
  layout: {
    compartments: [{ id: 1, board: 0, lock: 1, size: "S", band: "low" }, { id: 2, board: 0, lock: 2, size: "M", band: "low" }],
    intake: { board: 0, lock: 16 }
  }
}))

interface Printed {
  readonly locker: string
  readonly card: string
  readonly modem: string
  readonly control: string
}
let child: ChildProcess | undefined
let printed: Promise<Printed> = new Promise(() => {})

beforeAll(() => {
  if (!socat) return
  const file = join(dir, "devices.json")
  writeFileSync(file, JSON.stringify(config))
  const bin = fileURLToPath(new URL("../../bin/amtomat.js", import.meta.url))
  const proc = spawn(process.execPath, [bin, "twin", "--config", file, "--control-port", "0"], { stdio: ["ignore", "pipe", "pipe"] })
  child = proc
  let out = ""
  printed = new Promise((resolve, reject) => {
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const line = out.split("\n").find((l) => l.startsWith("AMTOMAT_TWIN "))
      if (line !== undefined) resolve(JSON.parse(line.slice("AMTOMAT_TWIN ".length)) as Printed)
    })
    proc.once("exit", (code) => reject(new Error(`amtomat twin exited (${code}): ${out}`)))
  })
  return printed.then(() => undefined)
}, 30_000)

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    const gone = new Promise((resolve) => child!.once("exit", resolve))
    child.kill("SIGTERM")
    await gone
  }
  rmSync(dir, { recursive: true, force: true })
})

/** Fresh twins in the other process, then the driver here on the printed path, with the remote hands. */
const remote = <A, E>(build: (p: Printed, hands: TwinControl.Remote) => Layer.Layer<A, E, DeviceStatus>) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const p = yield* Effect.promise(() => printed)
      const hands = yield* TwinControl.client(p.control)
      yield* Effect.orDie(hands.twins.reset)
      return build(p, hands)
    }).pipe(Effect.map(Layer.provide(DeviceStatus.layer)))
  )

if (socat) {
  lockerBankContract(
    "Kerong driver ⇄ bus twin in another process (socat PTY)",
    remote((p, hands) =>
      Layer.merge(
        KerongLockerBank.layer({
          line: { device: "locker", path: p.locker, baudRate: 19200 },
          boards: config.locker.boards,
          channels,
          timing: config.locker.timing
        }),
        Layer.succeed(LockerTwin, hands.locker)
      )
    ),
    channels
  )
  cardTerminalContract(
    "ZVT driver ⇄ terminal twin in another process (socat PTY)",
    remote((p, hands) =>
      Layer.merge(
        ZvtCardTerminal.layer({
          line: { device: "card", path: p.card, baudRate: 9600 },
          password: "123456",
          configByte: 0xb8,
          currency: 978,
          timing: config.card.timing
        }),
        Layer.succeed(CardTwin, hands.card)
      )
    )
  )
  smsGatewayContract(
    "AT driver ⇄ modem twin in another process (socat PTY)",
    remote((p, hands) =>
      Layer.merge(
        AtSmsGateway.layer({ line: { path: p.modem, baudRate: 115200 }, mode: "pdu", timing: config.modem.timing }),
        Layer.succeed(SmsTwin, hands.sms)
      )
    )
  )
} else {
  describe("contracts across processes", () => it.skip("socat is not installed", () => {}))
}
