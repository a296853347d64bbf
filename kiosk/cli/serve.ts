/**
 * `amtomat serve`: the terminal — HTTP API and screens over an embedded
 * SQLite database, on twin devices (default) or real serial ports.
 */
import { Command, Options } from "@effect/cli"
import { Console, Duration, Effect, Layer, Option } from "effect"
import { existsSync } from "node:fs"
import { resolve } from "node:path"
import { demoLayout } from "../../core/domain/compartment.ts"
import { defaultPolicy } from "../../core/domain/config.ts"
import { CommandError } from "../../core/domain/errors.ts"
import { CompartmentsRepo } from "../../core/persistence/CompartmentsRepo.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"
import { anchorJob } from "../anchorJob.ts"
import { auditKeyFileFor, auditKeyFrom } from "../auditKey.ts"
import { cardKeyFileFor, loadCardKey } from "../cardKey.ts"
import { boot, databaseLayer, jobs, terminalLayer } from "../composition.ts"
import { countyJob, countySettings } from "../countyLink.ts"
import { DEMO_PASSWORD, DEMO_USER, seedDemo } from "../demo.ts"
import { HealthSettings, healthSettingsFromEnv } from "../http/condition.ts"
import { serverLayer, twinAppLayer } from "../http/server.ts"
import { claimTerminal } from "../instanceLock.ts"
import { host, kioskKeyFile, networkSettings, staffListen, twinFromNetwork } from "./network.ts"
import { loadPolicy } from "./policy.ts"
import { serialConfig, serveSerial } from "./serveSerial.ts"

export const port = Options.integer("port").pipe(
  Options.withDefault(8080),
  Options.withDescription("TCP port of the HTTP server")
)
// Text, not Options.file: the database path is checked by checkDatabaseFile, which says in one sentence what is wrong.
export const db = Options.text("db").pipe(
  Options.withPseudoName("file"),
  Options.withDefault("./data/amtomat.db"),
  Options.withDescription("SQLite database file (created with its folder if missing)")
)
/** For the commands that read a terminal's database: it must exist (serve and staff add create one). */
export const existingDb = Options.text("db").pipe(
  Options.withPseudoName("file"),
  Options.withDefault("./data/amtomat.db"),
  Options.withDescription("the terminal's SQLite database file; it must exist (amtomat serve creates it)")
)

/** The absolute path of an existing database, or one sentence saying there is none. */
export const existingDatabase = (path: string) => {
  const file = resolve(path)
  return existsSync(file) ? Effect.succeed(file) : Effect.fail(new CommandError({ reason: "NotFound", message: `--db: no database at ${file}` }))
}

const devices = Options.choice("devices", ["twin", "serial"]).pipe(
  Options.withDefault("twin" as const),
  Options.withDescription("twin: simulated devices in this process; serial: real devices on serial ports (needs --config)")
)
const demo = Options.boolean("demo").pipe(Options.withDescription("load a few demo orders and a demo staff account (twin devices only)"))
const secretFile = Options.file("secret-file").pipe(
  Options.optional,
  Options.withDescription("file holding the card-hash key (hex); default: card.key beside the database, created on first start")
)
export const auditKeyFile = Options.file("audit-key-file").pipe(
  Options.optional,
  Options.withDescription(
    "file holding the event log's audit key (hex); default: audit.key beside the database, created on first start; AMTOMAT_AUDIT_KEY wins"
  )
)
export const anchor = Options.file("anchor").pipe(
  Options.optional,
  Options.withDescription(
    "append a signed checkpoint of the event log's head to this file every --anchor-every seconds (keep it on another medium, append-only with chattr +a, or ship it off the machine)"
  )
)
export const anchorEvery = Options.integer("anchor-every").pipe(
  Options.withDefault(300),
  Options.withDescription("seconds between checkpoints with --anchor")
)
export const countyOption = Options.text("county").pipe(
  Options.withPseudoName("url"),
  Options.optional,
  Options.withDescription("replicate the event log to this county server (needs --county-credential); the terminal works on without it")
)
export const countyCredentialOption = Options.file("county-credential").pipe(
  Options.optional,
  Options.withDescription("the terminal's credential file from amtomat county terminal add")
)
const site = Options.text("site").pipe(Options.withDefault(defaultPolicy.site), Options.withDescription("site name written into every event"))
const policy = Options.file("policy").pipe(
  Options.optional,
  Options.withDescription("JSON file of policy values replacing the defaults (names as in core/domain/config.ts), e.g. {\"doorOpenAlarmSeconds\": 30}")
)

export const serve = Command.make("serve", {
  port,
  db,
  devices,
  demo,
  secretFile,
  auditKeyFile,
  anchor,
  anchorEvery,
  site,
  host,
  staffListen,
  twinFromNetwork,
  kioskKeyFile,
  config: serialConfig,
  policy,
  county: countyOption,
  countyCredential: countyCredentialOption
}, (opts) =>
  Effect.gen(function*() {
    if (opts.devices === "serial") {
      return yield* serveSerial(opts)
    }
    const dbFile = resolve(opts.db)
    const { releasePort } = yield* claimTerminal(dbFile, opts.port, opts.host)
    const network = yield* networkSettings(opts, dbFile)
    const cardKey = yield* loadCardKey(Option.getOrElse(opts.secretFile, () => cardKeyFileFor(dbFile)))
    const auditKey = yield* auditKeyFrom(Option.getOrElse(opts.auditKeyFile, () => auditKeyFileFor(dbFile)), { create: true })
    const config = yield* loadPolicy(opts.policy, opts.site)
    const countyLink = yield* countySettings(opts, config)
    const database = databaseLayer(dbFile)
    const layout = demoLayout
    // The twin's physical state starts as the database last saw it: documents stay where they are.
    const twinDevices = Layer.unwrapEffect(Effect.gen(function*() {
      const rows = yield* (yield* CompartmentsRepo).channelsHoldingItems
      return Twins.layer(layout, { items: rows.map((r) => ({ board: r.board, lock: r.lock })) })
    })).pipe(Layer.provide(CompartmentsRepo.Default), Layer.provide(database))
    const terminal = terminalLayer({
      config,
      layout,
      cardKey,
      auditKey,
      devices: twinDevices,
      database
    })
    const program = Effect.gen(function*() {
      yield* boot("twin")
      yield* jobs({ outbox: "5 seconds", policies: "1 minute", retention: "1 hour" })
      if (Option.isSome(opts.anchor)) yield* anchorJob({ file: resolve(opts.anchor.value), every: Duration.seconds(opts.anchorEvery) })
      if (Option.isSome(countyLink)) yield* countyJob(countyLink.value)
      if (opts.demo) {
        const loaded = yield* seedDemo
        yield* Console.log(`Demo: staff login ${DEMO_USER} / ${DEMO_PASSWORD}`)
        for (const o of loaded) {
          yield* Console.log(
            `Demo: ${o.documentKind} in compartment ${o.compartmentId}, pickup number ${o.pickupNumber}, phone ${o.phone}${
              o.requiresOldDocument ? ", old document required" : ""
            }`
          )
        }
      }
      yield* Console.log(`amtomat: http://localhost:${opts.port}  (API docs: /docs, database: ${dbFile})`)
      yield* network.announce
      yield* releasePort
      yield* network.releaseStaffPort
      return yield* Layer.launch(serverLayer(twinAppLayer, { port: opts.port, host: opts.host, access: network.access, staff: network.staff }))
    })
    return yield* Effect.provide(program, terminal.pipe(Layer.provideMerge(Layer.succeed(HealthSettings, healthSettingsFromEnv()))))
  }).pipe(Effect.scoped)).pipe(Command.withDescription("run the terminal: HTTP API, screens and devices"))
