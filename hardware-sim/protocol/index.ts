/**
 * The protocol twins: the device side of the Kerong, ZVT and AT protocols,
 * byte for byte, each on a serial line and each with the same control handle
 * as its behavioural twin (LockerTwin, CardTwin, SmsTwin) plus a faults handle.
 */
import { Effect, Layer } from "effect"
import type { Channel } from "../../core/domain/compartment.ts"
import * as KerongBus from "./kerongBus.ts"
import type { SerialLineOptions } from "./line.ts"
import { type PluggablePty, pluggablePtyPair, type PtyPair } from "./pty.ts"
import * as SmsModem from "./smsModem.ts"
import * as ZvtTerminal from "./zvtTerminal.ts"

export { KerongBus, SmsModem, ZvtTerminal }

export interface ProtocolTwinsOptions {
  readonly locker: { readonly bus: KerongBus.KerongBusOptions; readonly line: SerialLineOptions }
  readonly card: { readonly terminal: ZvtTerminal.ZvtTerminalOptions; readonly line: SerialLineOptions }
  readonly modem: { readonly modem: SmsModem.SmsModemOptions; readonly line: SerialLineOptions }
}

/** All three twins on their lines: LockerTwin, CardTwin, SmsTwin and the three faults handles. */
export const layer = (options: ProtocolTwinsOptions) =>
  Layer.mergeAll(
    KerongBus.layer(options.locker.bus, options.locker.line),
    ZvtTerminal.layer(options.card.terminal, options.card.line),
    SmsModem.layer(options.modem.modem, options.modem.line)
  )

export interface PtyPaths {
  readonly locker: PtyPair
  readonly card: PtyPair
  readonly modem: PtyPair
}

/** Each device's pseudo-terminal pair, to unplug and plug back in (see PluggablePty). */
export interface PtyPlugs {
  readonly locker: PluggablePty
  readonly card: PluggablePty
  readonly modem: PluggablePty
}

/**
 * The twins on socat pseudo-terminals: for each device the host end is the
 * given path (what the driver's configuration names) and the twin takes
 * `<path>.twin`. Yields the pairs, so they can be printed, and the plugs: a
 * pair can be unplugged (socat killed, the host path vanishes, the driver sees
 * EIO) and plugged back in at the same path or another; the twins reopen
 * their end by themselves and keep their state, like devices whose USB
 * adapter was pulled out.
 */
export const onPseudoTerminals = (
  hostPaths: { readonly locker: string; readonly card: string; readonly modem: string },
  options: {
    readonly locker: KerongBus.KerongBusOptions
    readonly card: ZvtTerminal.ZvtTerminalOptions
    readonly modem: SmsModem.SmsModemOptions
    readonly baud: { readonly locker: number; readonly card: number; readonly modem: number }
    readonly byteTiming?: boolean
  }
) =>
  Effect.gen(function*() {
    const plugs: PtyPlugs = {
      locker: yield* pluggablePtyPair(hostPaths.locker, `${hostPaths.locker}.twin`),
      card: yield* pluggablePtyPair(hostPaths.card, `${hostPaths.card}.twin`),
      modem: yield* pluggablePtyPair(hostPaths.modem, `${hostPaths.modem}.twin`)
    }
    const pairOf = (p: PluggablePty) => Effect.map(p.current, (c) => c!)
    const locker = yield* pairOf(plugs.locker)
    const card = yield* pairOf(plugs.card)
    const modem = yield* pairOf(plugs.modem)
    const timing = options.byteTiming === true ? { byteTiming: true } : {}
    /** The twins on the pairs; `physical` is where doors and documents are when they power up. */
    const twinsWith = (physical: { readonly items?: ReadonlyArray<Channel>; readonly openDoors?: ReadonlyArray<Channel> } = {}) =>
      layer({
        locker: { bus: { ...options.locker, ...physical }, line: { path: locker.device, baudRate: options.baud.locker, ...timing } },
        card: { terminal: options.card, line: { path: card.device, baudRate: options.baud.card, stopBits: 2, ...timing } },
        modem: { modem: options.modem, line: { path: modem.device, baudRate: options.baud.modem, ...timing } }
      })
    return { paths: { locker, card, modem } satisfies PtyPaths, plugs, twins: twinsWith(), twinsWith }
  })
