/**
 * `amtomat twin --config devices.json`: the protocol twins of the locker bus,
 * the card terminal and the modem on pseudo-terminals (socat), at the paths
 * the configuration names, so `amtomat serve --devices serial --config
 * devices.json` in another shell drives them like real hardware. Runs until
 * interrupted. `--control-port` serves the twins' control API (the hands, the
 * faults, the rig: hardware-sim/control/api.ts) on 127.0.0.1.
 */
import { Command, Options } from "@effect/cli"
import { Console, Context, Effect, Exit, Layer, Option, Ref, Scope } from "effect"
import { existsSync, lstatSync, unlinkSync } from "node:fs"
import { resolve } from "node:path"
import { CommandError } from "../core/domain/errors.ts"
import { CardTwin } from "../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../hardware-sim/behavioural/LockerTwin.ts"
import { SmsTwin } from "../hardware-sim/behavioural/SmsTwin.ts"
import { TwinError } from "../hardware-sim/behavioural/TwinError.ts"
import * as Control from "../hardware-sim/control/server.ts"
import { KerongBus, onPseudoTerminals, SmsModem, ZvtTerminal } from "../hardware-sim/protocol/index.ts"
import { defaultBaud, type DevicesConfig, layoutOf, loadDevicesConfig } from "../kiosk/devices/config.ts"

export const configFile = Options.file("config").pipe(
  Options.withDefault("devices.json"),
  Options.withDescription("device configuration (JSON), e.g. devices.example.json")
)
const controlPort = Options.integer("control-port").pipe(
  Options.optional,
  Options.withDescription("serve the twins' control API on 127.0.0.1:<port> (0: any free port)")
)
const byteTiming = Options.boolean("byte-timing").pipe(Options.withDescription("delay every chunk by its time on the wire at the configured baud rate"))
const unlockReply = Options.boolean("unlock-reply").pipe(Options.withDescription("the locker boards answer an unlock (CMD 31) with a status frame"))

/** A symlink left by an earlier run is replaced; anything else at the path is a real device and is refused. */
const clearStaleLink = (path: string) =>
  Effect.gen(function*() {
    for (const p of [path, `${path}.twin`]) {
      if (!existsSync(p) && !isLink(p)) continue
      if (!isLink(p)) {
        return yield* Effect.fail(
          new CommandError({ reason: "BadInput", message: `${p} exists and is not a link made by amtomat twin; choose another path in the configuration` })
        )
      }
      unlinkSync(p)
    }
  })
const isLink = (p: string) => {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

/** The twins as the configuration describes the hardware. */
export const twinOptions = (config: DevicesConfig, flags: { readonly unlockReply: boolean; readonly byteTiming: boolean }) => {
  const layout = layoutOf(config)
  const ms = (n: number) => `${n} millis` as const
  return {
    locker: {
      boards: config.locker.boards.map((b) => ({ address: b.address, polarity: b.polarity })),
      channels: [...layout.compartments.map((c) => c.channel), layout.intake],
      chutes: [layout.intake],
      unlockReply: flags.unlockReply
    } satisfies KerongBus.KerongBusOptions,
    card: {
      t1: ms(config.card.timing.t1Millis),
      t2: ms(config.card.timing.t2Millis),
      t3: ms(config.card.timing.t3Millis)
    } satisfies ZvtTerminal.ZvtTerminalOptions,
    modem: (config.modem.pin === undefined ? {} : { pin: config.modem.pin }) satisfies SmsModem.SmsModemOptions,
    baud: {
      locker: config.locker.port.baudRate ?? defaultBaud.locker,
      card: config.card.port.baudRate ?? defaultBaud.card,
      modem: config.modem.port.baudRate ?? defaultBaud.modem
    },
    byteTiming: flags.byteTiming
  }
}

export const twin = Command.make("twin", { config: configFile, controlPort, byteTiming, unlockReply }, (opts) =>
  Effect.gen(function*() {
    const config = yield* loadDevicesConfig(resolve(opts.config))
    const hosts = { locker: config.locker.port.path, card: config.card.port.path, modem: config.modem.port.path }
    for (const p of Object.values(hosts)) yield* clearStaleLink(p)
    const { paths, plugs, twinsWith } = yield* onPseudoTerminals(hosts, twinOptions(config, opts))
    // The twins live in their own scope so `reset` can replace them on the same pseudo-terminals.
    const start = (physical: Parameters<typeof twinsWith>[0] = {}) =>
      Effect.gen(function*() {
        const scope = yield* Scope.make()
        const ctx = yield* Layer.buildWithScope(twinsWith(physical), scope)
        const handles: Control.Handles = {
          locker: Context.get(ctx, LockerTwin),
          card: Context.get(ctx, CardTwin),
          sms: Context.get(ctx, SmsTwin),
          kerongFaults: Context.get(ctx, KerongBus.KerongBusFaults),
          zvtFaults: Context.get(ctx, ZvtTerminal.ZvtTerminalFaults),
          modemFaults: Context.get(ctx, SmsModem.SmsModemFaults)
        }
        return { scope, handles }
      })
    // Not built inside acquireRelease: fibers forked in an uninterruptible region could never be stopped.
    const current = yield* Ref.make(yield* start())
    yield* Effect.addFinalizer(() => Effect.flatMap(Ref.get(current), (t) => Scope.close(t.scope, Exit.void)))
    const reset = Effect.gen(function*() {
      yield* Scope.close((yield* Ref.get(current)).scope, Exit.void)
      yield* Ref.set(current, yield* Effect.orDie(start()))
    })
    /** A power cut: volatile state gone, doors and documents where they physically are. */
    const powerCycle = Effect.gen(function*() {
      const was = yield* Ref.get(current)
      const locks = yield* was.handles.locker.locks
      yield* Scope.close(was.scope, Exit.void)
      yield* Ref.set(
        current,
        yield* Effect.orDie(start({
          items: locks.filter((l) => l.item).map((l) => l.channel),
          openDoors: locks.filter((l) => l.doorOpen).map((l) => l.channel)
        }))
      )
    })
    let control: string | null = null
    if (Option.isSome(opts.controlPort)) {
      const wanted = opts.controlPort.value
      const port = yield* Control.serve({
        handles: Effect.map(Ref.get(current), (t) => t.handles),
        layout: layoutOf(config),
        reset,
        powerCycle,
        // A USB adapter pulled out and plugged back in: the twins keep their state and reopen their end.
        unplug: (device, forMillis) => plugs[device].unplug(forMillis),
        replug: (device, at) =>
          plugs[device].replug(at === undefined ? undefined : resolve(at)).pipe(Effect.mapError((e) => new TwinError({ message: e.message }))),
        port: wanted
      }).pipe(
        Effect.mapError((e) =>
          new CommandError({
            reason: "Failed",
            message: `cannot serve the twin control on 127.0.0.1:${wanted}: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}`
          })
        )
      )
      control = `http://127.0.0.1:${port}`
    }
    const o = twinOptions(config, opts)
    yield* Console.log("amtomat twin: device twins on pseudo-terminals; point the drivers at the first column (Ctrl-C stops)")
    yield* Console.log(`  locker  ${paths.locker.host}  Kerong KR-CU16 bus, ${config.locker.boards.length} board(s), ${o.baud.locker} baud`)
    yield* Console.log(`  card    ${paths.card.host}  ZVT card terminal, ${o.baud.card} baud 8N2`)
    yield* Console.log(`  modem   ${paths.modem.host}  AT modem, ${o.baud.modem} baud`)
    if (control !== null) yield* Console.log(`  control ${control}/api/twin  (OpenAPI: ${control}/openapi.json)`)
    yield* Console.log(`AMTOMAT_TWIN ${JSON.stringify({ locker: paths.locker.host, card: paths.card.host, modem: paths.modem.host, control })}`)
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(Command.withDescription("run the device twins on pseudo-terminals (socat) for the serial drivers"))
