/** Helpers for the twins' tests: hex for byte-level tests, the protocol twins on pair cables. */
import { Context, Effect, Layer } from "effect"
import type { TerminalLayout } from "../../core/domain/compartment.ts"
import { CompartmentId } from "../../core/domain/ids.ts"
import { CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import type { Handles } from "../../hardware-sim/control/server.ts"
import * as Twins from "../../hardware-sim/protocol/index.ts"
import { openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import type * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"

export const bytes = (h: string): Uint8Array => Uint8Array.from(h.trim().split(/\s+/).filter((x) => x.length > 0), (x) => parseInt(x, 16))
export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ")

/**
 * All three protocol twins in this process on pair cables (`<device>-host` ⇄
 * `<device>-twin`, 9600 baud), with their control handles, ready to be served
 * by the control API: the locker bus has compartment 1 on lock 0:1 and the
 * intake on lock 0:16.
 */
export const twinsOnPairs = (options: { readonly modem?: SmsModem.SmsModemOptions } = {}) =>
  Effect.gen(function*() {
    const pair = makePairBinding()
    for (const d of ["locker", "card", "modem"]) pair.connect(`${d}-host`, `${d}-twin`)
    const line = (d: string) => ({ path: `${d}-twin`, baudRate: 9600, binding: pair.binding })
    const layout: TerminalLayout = {
      compartments: [{ id: CompartmentId.make(1), channel: { board: 0, lock: 1 }, size: "S", band: "low" }],
      intake: { board: 0, lock: 16 }
    }
    const ctx = yield* Layer.build(Twins.layer({
      locker: { bus: { boards: [{ address: 0 }], channels: [{ board: 0, lock: 1 }, layout.intake], chutes: [layout.intake] }, line: line("locker") },
      card: { terminal: {}, line: line("card") },
      modem: { modem: options.modem ?? {}, line: line("modem") }
    }))
    const handles: Handles = {
      locker: Context.get(ctx, LockerTwin),
      card: Context.get(ctx, CardTwin),
      sms: Context.get(ctx, SmsTwin),
      kerongFaults: Context.get(ctx, Twins.KerongBus.KerongBusFaults),
      zvtFaults: Context.get(ctx, Twins.ZvtTerminal.ZvtTerminalFaults),
      modemFaults: Context.get(ctx, Twins.SmsModem.SmsModemFaults)
    }
    /** The host's end of a device's cable. */
    const host = (device: "locker" | "card" | "modem") => openSerialLine({ path: `${device}-host`, baudRate: 9600, binding: pair.binding })
    return { handles, layout, host }
  })
