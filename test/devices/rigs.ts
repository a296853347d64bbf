/**
 * Test rigs: each real driver wired to its protocol twin, over an in-process
 * pair binding or over socat pseudo-terminals, with short timings. Every build
 * gets fresh cables, so a layer can be provided to many tests. Each rig also
 * provides DeviceStatus and the Cable (unplug / replug).
 */
import { Context, Effect, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Channel } from "../../core/domain/compartment.ts"
import type { Device } from "../../core/domain/events.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import * as KerongBus from "../../hardware-sim/protocol/kerongBus.ts"
import type { SerialLineOptions } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import { pluggablePtyPair } from "../../hardware-sim/protocol/pty.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"
import * as ZvtTerminal from "../../hardware-sim/protocol/zvtTerminal.ts"
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

/** Reopening quickly, so tests of a lost line run in well under a second. */
export const fastReconnect = { initialMillis: 20, maxMillis: 200 }

/**
 * The cable between driver and twin, to pull out and plug back in (the host
 * end vanishes, like a USB adapter). On PTYs the socat pair is killed and
 * started again; `byId` makes the driver open a link kept pointing at the
 * current host end (like /dev/serial/by-id), so `replug(at)` under another
 * path is followed.
 */
export class Cable extends Context.Tag("test/devices/Cable")<Cable, {
  /** what the driver opens */
  readonly driverPath: string
  readonly unplug: Effect.Effect<void>
  /** back in, at the same host path or at `at` (a name in the rig's directory) */
  readonly replug: (at?: string) => Effect.Effect<void>
}>() {}

export interface CableOptions {
  /** PTY only: the driver opens a by-id style link, not the host end itself */
  readonly byId?: boolean
  /** the host end is missing when the driver starts */
  readonly unpluggedAtStart?: boolean
}

/** Two ends of a cable: the driver's and the twin's settings, and the cable's handle. */
const cable = (transport: Transport, name: string, device: Device, baudRate: number, options: CableOptions) =>
  transport === "pair"
    ? Effect.sync(() => {
      const pair = makePairBinding()
      const hostPath = `${name}-host`
      pair.connect(hostPath, `${name}-device`)
      let now = hostPath
      if (options.unpluggedAtStart === true) pair.unplug(hostPath)
      return {
        host: { device, path: hostPath, baudRate, binding: pair.binding, reconnect: fastReconnect } satisfies LineSettings,
        device: { path: `${name}-device`, baudRate, binding: pair.binding } satisfies SerialLineOptions,
        control: Cable.of({
          driverPath: hostPath,
          unplug: Effect.sync(() => pair.unplug(now)),
          replug: (at) =>
            Effect.sync(() => {
              pair.replug(now, at)
              now = at ?? now
            })
        })
      }
    })
    : Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "amtomat-"))),
        (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true }))
      )
      const alias = options.byId === true ? join(dir, "by-id", `usb-amtomat-${name}-if00`) : undefined
      const pty = yield* pluggablePtyPair(join(dir, `${name}-host`), join(dir, `${name}-device`), alias === undefined ? {} : { alias })
      const driverPath = alias ?? (yield* pty.host)
      if (options.unpluggedAtStart === true) yield* pty.unplug()
      return {
        host: { device, path: driverPath, baudRate, reconnect: fastReconnect } satisfies LineSettings,
        device: { path: pty.device, baudRate } satisfies SerialLineOptions,
        control: Cable.of({
          driverPath,
          unplug: pty.unplug(),
          replug: (at) => Effect.asVoid(Effect.orDie(pty.replug(at === undefined ? undefined : join(dir, at))))
        })
      }
    })

/**
 * Builds the twin first (it must listen before the driver talks), then the driver; provides both,
 * the cable and the DeviceStatus the driver reports to.
 */
const rig = <D, T, E1, E2>(
  transport: Transport,
  name: string,
  device: Device,
  baudRate: number,
  options: CableOptions,
  build: (ends: { host: LineSettings; device: SerialLineOptions }) => { twin: Layer.Layer<T, E1>; driver: Layer.Layer<D, E2, DeviceStatus> }
) =>
  Layer.unwrapScoped(Effect.map(cable(transport, name, device, baudRate, options), (ends) => {
    const { driver, twin } = build(ends)
    return driver.pipe(Layer.provideMerge(twin), Layer.provideMerge(Layer.succeed(Cable, ends.control)), Layer.provideMerge(DeviceStatus.layer))
  }))

export interface LockerRigOptions {
  readonly channels: ReadonlyArray<Channel>
  readonly boards?: ReadonlyArray<BoardConfig>
  readonly twin?: Partial<KerongBus.KerongBusOptions>
  readonly timing?: Partial<LockerTiming>
  readonly cable?: CableOptions
}

export const lockerRig = (transport: Transport, options: LockerRigOptions) => {
  const boards = options.boards ?? [...new Set(options.channels.map((c) => c.board))].map((address) => ({ address, polarity: 1 as const }))
  return rig(transport, "locker", "locker", 19200, options.cable ?? {}, ({ device, host }) => ({
    twin: KerongBus.layer({ boards, channels: options.channels, ...options.twin }, device),
    driver: KerongLockerBank.layer({ line: host, boards, channels: options.channels, timing: { ...fastLocker, ...options.timing } })
  }))
}

export interface CardRigOptions {
  readonly twin?: ZvtTerminal.ZvtTerminalOptions
  readonly timing?: Partial<CardTiming>
  readonly cable?: CableOptions
}

export const cardRig = (transport: Transport, options: CardRigOptions = {}) =>
  rig(transport, "card", "card", 9600, options.cable ?? {}, ({ device, host }) => ({
    twin: ZvtTerminal.layer(
      { t1: `${fastCard.t1Millis} millis`, t2: `${fastCard.t2Millis} millis`, t3: `${fastCard.t3Millis} millis`, ...options.twin },
      device
    ),
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
  rig(transport, "modem", "sms", 115200, {}, ({ device, host }) => ({
    twin: SmsModem.layer(options.twin ?? {}, device),
    driver: AtSmsGateway.layer({
      line: host,
      mode: options.mode ?? "pdu",
      ...(options.pin === undefined ? {} : { pin: options.pin }),
      timing: { ...fastModem, ...options.timing }
    })
  }))
