/**
 * Test rigs: each real driver wired to its protocol twin, over an in-process
 * pair binding or over socat pseudo-terminals, with short timings. Every build
 * gets fresh cables, so a layer can be provided to many tests.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer } from "effect"
import type { Channel } from "../../core/domain/compartment.ts"
import * as KerongBus from "../../hardware-sim/protocol/kerongBus.ts"
import type { SerialLineOptions } from "../../hardware-sim/protocol/line.ts"
import * as ZvtTerminal from "../../hardware-sim/protocol/zvtTerminal.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import { ptyPair } from "../../hardware-sim/protocol/pty.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import type { BoardConfig, CardTiming, LockerTiming, ModemTiming } from "../../kiosk/devices/config.ts"
import * as KerongLockerBank from "../../kiosk/devices/KerongLockerBank.ts"
import type { LineSettings } from "../../kiosk/devices/serialLine.ts"
import * as ZvtCardTerminal from "../../kiosk/devices/ZvtCardTerminal.ts"

export type Transport = "pair" | "pty"

/** Short, but with room for a loaded machine: a false "offline" needs three late replies in a row. */
export const fastLocker: LockerTiming = {
  responseTimeoutMillis: 100,
  retries: 2,
  pollFastMillis: 20,
  pollSlowMillis: 80,
  openTimeoutMillis: 300,
  unlockReplyMillis: 20
}

export const fastCard: CardTiming = { t1Millis: 150, t2Millis: 250, t3Millis: 500, t4Millis: 3000, healthMillis: 60_000 }

export const fastModem: ModemTiming = { commandMillis: 500, sendMillis: 1000, attempts: 3, backoffMillis: 20 }

/** Two ends of a cable: the driver's and the twin's settings. */
const cable = (transport: Transport, name: string, baudRate: number) =>
  transport === "pair"
    ? Effect.sync(() => {
      const pair = makePairBinding()
      pair.connect(`${name}-host`, `${name}-device`)
      return {
        host: { path: `${name}-host`, baudRate, binding: pair.binding } satisfies LineSettings,
        device: { path: `${name}-device`, baudRate, binding: pair.binding } satisfies SerialLineOptions
      }
    })
    : Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "amtomat-"))),
        (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
      )
      const pty = yield* ptyPair(join(dir, `${name}-host`), join(dir, `${name}-device`))
      return { host: { path: pty.host, baudRate } satisfies LineSettings, device: { path: pty.device, baudRate } satisfies SerialLineOptions }
    })

/** Builds the twin first (it must listen before the driver talks), then the driver; provides both. */
const rig = <D, T, E1, E2>(
  transport: Transport,
  name: string,
  baudRate: number,
  build: (ends: { host: LineSettings; device: SerialLineOptions }) => { twin: Layer.Layer<T, E1>; driver: Layer.Layer<D, E2> }
) =>
  Layer.unwrapScoped(Effect.map(cable(transport, name, baudRate), (ends) => {
    const { driver, twin } = build(ends)
    return driver.pipe(Layer.provideMerge(twin))
  }))

export interface LockerRigOptions {
  readonly channels: ReadonlyArray<Channel>
  readonly boards?: ReadonlyArray<BoardConfig>
  readonly twin?: Partial<KerongBus.KerongBusOptions>
  readonly timing?: Partial<LockerTiming>
}

export const lockerRig = (transport: Transport, options: LockerRigOptions) => {
  const boards = options.boards ?? [...new Set(options.channels.map((c) => c.board))].map((address) => ({ address, polarity: 1 as const }))
  return rig(transport, "locker", 19200, ({ device, host }) => ({
    twin: KerongBus.layer({ boards, channels: options.channels, ...options.twin }, device),
    driver: KerongLockerBank.layer({ line: host, boards, channels: options.channels, timing: { ...fastLocker, ...options.timing } })
  }))
}

export interface CardRigOptions {
  readonly twin?: ZvtTerminal.ZvtTerminalOptions
  readonly timing?: Partial<CardTiming>
}

export const cardRig = (transport: Transport, options: CardRigOptions = {}) =>
  rig(transport, "card", 9600, ({ device, host }) => ({
    twin: ZvtTerminal.layer({ t1: `${fastCard.t1Millis} millis`, t2: `${fastCard.t2Millis} millis`, t3: `${fastCard.t3Millis} millis`, ...options.twin }, device),
    driver: ZvtCardTerminal.layer({
      line: host,
      password: "123456",
      configByte: 0xb8,
      currency: 978,
      timing: { ...fastCard, ...options.timing }
    })
  }))

export interface ModemRigOptions {
  readonly twin?: SmsModem.SmsModemOptions
  readonly mode?: "pdu" | "text"
  readonly pin?: string
  readonly timing?: Partial<ModemTiming>
}

export const modemRig = (transport: Transport, options: ModemRigOptions = {}) =>
  rig(transport, "modem", 115200, ({ device, host }) => ({
    twin: SmsModem.layer(options.twin ?? {}, device),
    driver: AtSmsGateway.layer({
      line: host,
      mode: options.mode ?? "pdu",
      ...(options.pin === undefined ? {} : { pin: options.pin }),
      timing: { ...fastModem, ...options.timing }
    })
  }))
