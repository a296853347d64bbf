/**
 * `amtomat serve --devices serial --config devices.json`: the terminal on the
 * serial drivers — real ports, or the pseudo-terminals `amtomat twin` prints.
 * The layout comes from the devices file. The scanner and the authority link
 * have no serial protocol yet: their behavioural twins stand in.
 */
import { Options } from "@effect/cli"
import { Console, Duration, Effect, Layer, Option } from "effect"
import { resolve } from "node:path"
import { CommandError } from "../../core/domain/errors.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"
import { anchorJob } from "../anchorJob.ts"
import { auditKeyFileFor, auditKeyFrom } from "../auditKey.ts"
import { cardKeyFileFor, loadCardKey } from "../cardKey.ts"
import { boot, databaseLayer, jobs, terminalLayer } from "../composition.ts"
import { countyJob, countySettings } from "../countyLink.ts"
import { layoutOf, loadDevicesConfig } from "../devices/config.ts"
import * as Serial from "../devices/serial.ts"
import { HealthSettings, healthSettingsFromEnv } from "../http/condition.ts"
import { deviceAppLayer, serverLayer } from "../http/server.ts"
import { claimTerminal } from "../instanceLock.ts"
import { type NetworkOptions, networkSettings } from "./network.ts"
import { loadPolicy } from "./policy.ts"

export const serialConfig = Options.file("config").pipe(
  Options.optional,
  Options.withDescription("with --devices serial: the device configuration, YAML or JSON (see devices.example.json)")
)

export interface SerialServeOptions extends NetworkOptions {
  readonly db: string
  readonly site: string
  readonly demo: boolean
  readonly secretFile: Option.Option<string>
  readonly auditKeyFile: Option.Option<string>
  readonly anchor: Option.Option<string>
  readonly anchorEvery: number
  readonly config: Option.Option<string>
  readonly policy: Option.Option<string>
  readonly county: Option.Option<string>
  readonly countyCredential: Option.Option<string>
}

export const serveSerial = (opts: SerialServeOptions) =>
  Effect.gen(function*() {
    if (Option.isNone(opts.config)) {
      return yield* Effect.fail(new CommandError({ reason: "BadOption", message: "--devices serial needs --config <devices.json> (see devices.example.json)" }))
    }
    if (opts.demo) {
      return yield* Effect.fail(
        new CommandError({ reason: "BadOption", message: "--demo needs twin devices: on real hardware the documents are loaded by staff" })
      )
    }
    const devicesFile = resolve(opts.config.value)
    const devicesConfig = yield* loadDevicesConfig(devicesFile)
    const dbFile = resolve(opts.db)
    const { releasePort } = yield* claimTerminal(dbFile, opts.port, opts.host)
    const network = yield* networkSettings(opts, dbFile)
    const cardKey = yield* loadCardKey(Option.getOrElse(opts.secretFile, () => cardKeyFileFor(dbFile)))
    const auditKey = yield* auditKeyFrom(Option.getOrElse(opts.auditKeyFile, () => auditKeyFileFor(dbFile)), { create: true })
    const config = yield* loadPolicy(opts.policy, opts.site)
    const countyLink = yield* countySettings(opts, config)
    const terminal = terminalLayer({
      config,
      layout: layoutOf(devicesConfig),
      cardKey,
      auditKey,
      devices: Serial.layer(devicesConfig, Twins.scannerAndAuthority),
      database: databaseLayer(dbFile)
    })
    const program = Effect.gen(function*() {
      yield* boot("serial")
      yield* jobs({ outbox: "5 seconds", policies: "1 minute", retention: "1 hour" })
      if (Option.isSome(opts.anchor)) yield* anchorJob({ file: resolve(opts.anchor.value), every: Duration.seconds(opts.anchorEvery) })
      if (Option.isSome(countyLink)) yield* countyJob(countyLink.value)
      yield* Console.log(
        `amtomat: devices from ${devicesFile}: locker ${devicesConfig.locker.port.path}, card ${devicesConfig.card.port.path}, modem ${devicesConfig.modem.port.path}`
      )
      yield* Console.log(`amtomat: http://localhost:${opts.port}  (API docs: /docs, database: ${dbFile})`)
      yield* network.announce
      yield* releasePort
      yield* network.releaseStaffPort
      return yield* Layer.launch(serverLayer(deviceAppLayer, { port: opts.port, host: opts.host, access: network.access, staff: network.staff }))
    })
    return yield* Effect.provide(program, terminal.pipe(Layer.provideMerge(Layer.succeed(HealthSettings, healthSettingsFromEnv()))))
  }).pipe(Effect.scoped)
