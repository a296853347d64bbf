/**
 * The port contracts against the real drivers on pseudo-terminals, the
 * protocol twins in another process: `amtomat twin --config … --control-port 0`
 * is spawned once, its printed paths are opened by the drivers here, and its
 * control handles are driven over its control API (reset before every test).
 */
import { afterAll, beforeAll, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import * as KerongLockerBank from "../../kiosk/devices/KerongLockerBank.ts"
import * as ZvtCardTerminal from "../../kiosk/devices/ZvtCardTerminal.ts"
import { cardTerminalContract } from "../contracts/CardTerminal.contract.ts"
import { lockerBankContract } from "../contracts/LockerBank.contract.ts"
import { smsGatewayContract } from "../contracts/SmsGateway.contract.ts"
import { type Printed, socat, startTwinProcess } from "../hardware-sim/twinProcess.ts"

const channels = [{ board: 0, lock: 1 }, { board: 0, lock: 2 }, { board: 0, lock: 16 }]
const twinProcess = socat ? startTwinProcess("amtomat-twin-") : undefined
const printed: Promise<Printed> = twinProcess?.printed ?? new Promise(() => {})

beforeAll(() => printed.then(() => undefined), 30_000)
afterAll(() => twinProcess?.stop())

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
          boards: twinProcess!.config.locker.boards,
          channels,
          timing: twinProcess!.config.locker.timing
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
          timing: twinProcess!.config.card.timing
        }),
        Layer.succeed(CardTwin, hands.card)
      )
    )
  )
  smsGatewayContract(
    "AT driver ⇄ modem twin in another process (socat PTY)",
    remote((p, hands) =>
      Layer.merge(
        AtSmsGateway.layer({ line: { path: p.modem, baudRate: 115200 }, mode: "pdu", timing: twinProcess!.config.modem.timing }),
        Layer.succeed(SmsTwin, hands.sms)
      )
    )
  )
} else {
  describe("contracts across processes", () => it.skip("socat is not installed", () => {}))
}
