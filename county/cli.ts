/**
 * `amtomat county …`: the county server and its registry.
 *
 *   county serve --pg URL [--port N] [--host H]            the server (migrations at start)
 *   county terminal add --pg URL --terminal ID --site NAME --out FILE
 *                                                           registers a terminal, writes its credential once
 *   county staff add --pg URL --username U --name N --role county|clerk [--site S]
 *                                                           a county staff account (password on standard input
 *                                                           or AMTOMAT_STAFF_PASSWORD); a clerk needs --site
 *
 * `--pg` may be left out when AMTOMAT_COUNTY_PG holds the URL (keeps a password off the
 * command line).
 */
import { Command, Options } from "@effect/cli"
import type { MigrationError } from "@effect/sql/Migrator"
import type { SqlError } from "@effect/sql/SqlError"
import { Cause, Config, Console, Effect, Layer, Option, Redacted } from "effect"
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs"
import { resolve } from "node:path"
import { CommandError } from "../core/domain/errors.ts"
import { SecureRandom } from "../core/ports/SecureRandom.ts"
import { CountyStaff } from "./CountyStaff.ts"
import { countyServerLayer } from "./http/server.ts"
import { CountyRole } from "./persistence/CountyStaffRepo.ts"
import { countyPostgres } from "./persistence/database.ts"
import { Registry } from "./Registry.ts"

const pg = Options.text("pg").pipe(
  Options.withPseudoName("url"),
  Options.optional,
  Options.withDescription("PostgreSQL URL of the county database (postgres://user@host:port/db); default: AMTOMAT_COUNTY_PG")
)

const pgUrl = (option: Option.Option<string>) =>
  Option.match(option, {
    onSome: (url) => Effect.succeed(url),
    onNone: () =>
      Effect.flatMap(
        Effect.orElseSucceed(Config.option(Config.string("AMTOMAT_COUNTY_PG")), () => Option.none<string>()),
        Option.match({
          onSome: Effect.succeed,
          onNone: () =>
            Effect.fail(new CommandError({ reason: "BadOption", message: "the county database is missing: give --pg postgres://… or set AMTOMAT_COUNTY_PG" }))
        })
      )
  }).pipe(Effect.flatMap((url) =>
    /^postgres(ql)?:\/\//.test(url)
      ? Effect.succeed(url)
      : Effect.fail(new CommandError({ reason: "BadOption", message: "--pg: the county database must be a postgres:// URL" }))
  ))

/** Where the URL points, without its password: for messages. */
const where = (url: string) => {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || 5432}${u.pathname}`
  } catch {
    return "the given URL"
  }
}

/** The county database, or one sentence on why it cannot be used. */
export const countyDatabase = (url: string) =>
  countyPostgres(Redacted.make(url)).pipe(
    Layer.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Layer.failCause(cause)
      const failure = Cause.squash(cause) as { message?: string; cause?: unknown }
      const inner = failure.cause instanceof Error ? failure.cause.message : (failure.message ?? String(failure))
      return Layer.fail<CommandError | SqlError | MigrationError>(
        new CommandError({ reason: "Failed", message: `the county database at ${where(url)} cannot be used: ${inner}` })
      )
    })
  )

const port = Options.integer("port").pipe(Options.withDefault(8090), Options.withDescription("TCP port of the county server"))
const host = Options.text("host").pipe(
  Options.withDefault("127.0.0.1"),
  Options.withDescription("address to listen on (0.0.0.0 for every interface; put TLS in front)")
)

const serve = Command.make("serve", { pg, port, host }, (opts) =>
  Effect.gen(function*() {
    const url = yield* pgUrl(opts.pg)
    yield* Console.log(`amtomat county: http://${opts.host}:${opts.port}  (API docs: /docs, database: ${where(url)})`)
    return yield* Layer.launch(countyServerLayer({ port: opts.port, host: opts.host }).pipe(Layer.provide(countyDatabase(url))))
  })).pipe(Command.withDescription("run the county server: terminals replicate their event logs to it"))

const terminalId = Options.text("terminal").pipe(Options.withDescription("the terminal's id (terminalId in its policy)"))
const site = Options.text("site").pipe(Options.withDescription("the terminal's site (its serve --site)"))
const out = Options.text("out").pipe(
  Options.withPseudoName("file"),
  Options.withDescription("file to write the terminal's credential to (must not exist; mode 0600)")
)

const add = Command.make("add", { pg, terminal: terminalId, site, out }, (opts) =>
  Effect.gen(function*() {
    const url = yield* pgUrl(opts.pg)
    const file = resolve(opts.out)
    // the file first, exclusively: a credential that cannot be written is never issued
    const fd = yield* Effect.try({
      try: () => openSync(file, "wx", 0o600),
      catch: (e: unknown) =>
        new CommandError({
          reason: "BadOption",
          message: (e as { code?: string }).code === "EEXIST"
            ? `--out: ${file} exists already; a credential is written once, to a new file`
            : `--out: cannot create ${file} (${(e as Error).message})`
        })
    })
    const registered = yield* Effect.flatMap(Registry, (r) => r.add(opts.terminal, opts.site)).pipe(
      Effect.provide(Registry.Default.pipe(Layer.provide(SecureRandom.layerCrypto), Layer.provide(countyDatabase(url)))),
      Effect.mapError((e) => e._tag === "RegistryError" ? new CommandError({ reason: "BadOption", message: e.message }) : e),
      Effect.either
    )
    if (registered._tag === "Left") {
      closeSync(fd)
      unlinkSync(file)
      return yield* Effect.fail(registered.left)
    }
    writeSync(fd, JSON.stringify({ terminal: opts.terminal, site: opts.site, credential: registered.right }) + "\n")
    closeSync(fd)
    yield* Console.log(
      `terminal ${opts.terminal} at ${opts.site} registered; its credential is in ${file} (the county keeps only its hash): copy it to the terminal and start it with serve --county URL --county-credential FILE`
    )
  })).pipe(Command.withDescription("register a terminal and write its credential to a new file, once"))

/** The new account's password: AMTOMAT_STAFF_PASSWORD, else standard input (a pipe, not a terminal), never an argument. */
const newPassword = Effect.gen(function*() {
  const fromEnv = yield* Config.option(Config.redacted("AMTOMAT_STAFF_PASSWORD"))
  if (Option.isSome(fromEnv)) return Redacted.value(fromEnv.value)
  if (process.stdin.isTTY) return yield* new CommandError({ reason: "BadInput", message: "pipe the password on standard input or set AMTOMAT_STAFF_PASSWORD" })
  return yield* Effect.try({
    try: () => readFileSync(0, "utf8").replace(/\r?\n$/, ""),
    catch: (e) => new CommandError({ reason: "BadInput", message: `reading the password from standard input: ${String(e)}` })
  })
}).pipe(Effect.mapError((e) => e._tag === "CommandError" ? e : new CommandError({ reason: "BadInput", message: `AMTOMAT_STAFF_PASSWORD: ${String(e)}` })))

const staffAdd = Command.make("add", {
  pg,
  username: Options.text("username").pipe(Options.withDescription("sign-in name")),
  name: Options.text("name").pipe(Options.withDescription("display name")),
  role: Options.choice("role", CountyRole.literals).pipe(Options.withDescription("county (sees every site) or clerk (sees one site)")),
  site: Options.text("site").pipe(Options.optional, Options.withDescription("the clerk's site (as the terminals' --site)"))
}, (opts) =>
  Effect.gen(function*() {
    const url = yield* pgUrl(opts.pg)
    const password = yield* newPassword
    const member = yield* Effect.flatMap(CountyStaff, (staff) =>
      staff.create({ username: opts.username, displayName: opts.name, role: opts.role, site: Option.getOrNull(opts.site), password })).pipe(
        Effect.provide(CountyStaff.Default.pipe(Layer.provide(SecureRandom.layerCrypto), Layer.provide(countyDatabase(url)))),
        Effect.mapError((e) =>
          e._tag === "InvalidInput" || e._tag === "Conflict" ? new CommandError({ reason: "BadOption", message: e.message }) : e
        )
      )
    yield* Console.log(`county staff ${member.username} (${member.role}${member.site === null ? ", every site" : `, site ${member.site}`}) created`)
  })).pipe(Command.withDescription("create a county staff account (password on standard input or AMTOMAT_STAFF_PASSWORD)"))

const staff = Command.make("staff").pipe(Command.withDescription("the county's staff accounts"), Command.withSubcommands([staffAdd]))

const terminal = Command.make("terminal").pipe(Command.withDescription("the county's terminals"), Command.withSubcommands([add]))

export const county = Command.make("county").pipe(
  Command.withDescription("the county server on PostgreSQL: many terminals, one database"),
  Command.withSubcommands([serve, terminal, staff])
)
