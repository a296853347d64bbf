/**
 * Hardware mode: the same contracts on a real device, when an environment
 * variable names its serial port; skipped otherwise. A person follows the
 * instructions printed on standard error (test/devices/operator.ts):
 *
 *   AMTOMAT_HW_LOCKER_PORT=/dev/ttyUSB0 [AMTOMAT_HW_LOCKER_CHANNELS=0:1,0:2] npx vitest run test/devices/contracts.hardware.test.ts
 *   AMTOMAT_HW_ZVT_PORT=/dev/ttyUSB1 [AMTOMAT_HW_ZVT_BAUD=9600 AMTOMAT_HW_ZVT_PASSWORD=000000]
 *   AMTOMAT_HW_MODEM_PORT=/dev/ttyUSB2 AMTOMAT_HW_MODEM_TO=+49… (a phone you own)
 *
 * The SmsGateway contract sends to a fixed example number, so on a real modem
 * only a smoke test runs: one message to AMTOMAT_HW_MODEM_TO.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { PhoneNumber } from "../../core/domain/values.ts"
import { CardTerminal } from "../../core/ports/CardTerminal.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"
import { CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import { CardTiming, LockerTiming, ModemTiming } from "../../kiosk/devices/config.ts"
import * as KerongLockerBank from "../../kiosk/devices/KerongLockerBank.ts"
import * as ZvtCardTerminal from "../../kiosk/devices/ZvtCardTerminal.ts"
import { cardTerminalContract } from "../contracts/CardTerminal.contract.ts"
import { lockerBankContract } from "../contracts/LockerBank.contract.ts"
import { operatorCard, operatorLocker } from "./operator.ts"

const env = process.env
const lockerPort = env["AMTOMAT_HW_LOCKER_PORT"]
const zvtPort = env["AMTOMAT_HW_ZVT_PORT"]
const modemPort = env["AMTOMAT_HW_MODEM_PORT"]

if (lockerPort !== undefined) {
  const channels = (env["AMTOMAT_HW_LOCKER_CHANNELS"] ?? "0:1,0:2").split(",").map((s) => {
    const [board, lock] = s.split(":").map(Number)
    return { board: board!, lock: lock! }
  })
  const boards = [...new Set(channels.map((c) => c.board))].map((address) => ({
    address,
    polarity: (env["AMTOMAT_HW_LOCKER_POLARITY"] === "0" ? 0 : 1) as 0 | 1
  }))
  const driver = KerongLockerBank.layer({
    line: { device: "locker", path: lockerPort, baudRate: Number(env["AMTOMAT_HW_LOCKER_BAUD"] ?? 19200) },
    boards,
    channels,
    timing: Schema.decodeSync(LockerTiming)({})
  })
  lockerBankContract(
    `Kerong driver on ${lockerPort}`,
    Layer.effect(LockerTwin, Effect.map(LockerBank, operatorLocker)).pipe(Layer.provideMerge(driver), Layer.provide(DeviceStatus.layer)),
    channels
  )
}

if (zvtPort !== undefined) {
  const driver = ZvtCardTerminal.layer({
    line: { device: "card", path: zvtPort, baudRate: Number(env["AMTOMAT_HW_ZVT_BAUD"] ?? 9600) },
    password: env["AMTOMAT_HW_ZVT_PASSWORD"] ?? "000000",
    configByte: 0xb8,
    currency: 978,
    timing: Schema.decodeSync(CardTiming)({})
  })
  cardTerminalContract(
    `ZVT driver on ${zvtPort}`,
    Layer.effect(CardTwin, Effect.map(CardTerminal, operatorCard)).pipe(Layer.provideMerge(driver), Layer.provide(DeviceStatus.layer))
  )
}

describe.skipIf(modemPort === undefined || env["AMTOMAT_HW_MODEM_TO"] === undefined)("AT driver on a real modem", () => {
  it.live("sends one message to AMTOMAT_HW_MODEM_TO", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      const receipt = yield* sms.send(PhoneNumber.make(env["AMTOMAT_HW_MODEM_TO"]!), "amtomat hardware test: SMS ok")
      expect(receipt.reference.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(
      AtSmsGateway.layer({
        line: { path: modemPort ?? "", baudRate: Number(env["AMTOMAT_HW_MODEM_BAUD"] ?? 115200) },
        mode: "pdu",
        ...(env["AMTOMAT_HW_MODEM_PIN"] === undefined ? {} : { pin: env["AMTOMAT_HW_MODEM_PIN"] }),
        timing: Schema.decodeSync(ModemTiming)({})
      }).pipe(Layer.provide(DeviceStatus.layer))
    )))
})

describe.skipIf(lockerPort !== undefined || zvtPort !== undefined)("hardware mode", () => {
  it.skip("set AMTOMAT_HW_LOCKER_PORT / AMTOMAT_HW_ZVT_PORT / AMTOMAT_HW_MODEM_PORT to run the contracts on real devices", () => {})
})
