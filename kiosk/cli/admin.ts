/**
 * Administration on the terminal's database: `amtomat retention run [--dry-run]`,
 * `amtomat staff add|list` (`amtomat audit …` is in audit.ts).
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { CommandError } from "../../core/domain/errors.ts"
import { Role } from "../../core/domain/staff.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { StaffRepo } from "../../core/persistence/StaffRepo.ts"
import { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { Retention } from "../../core/workflows/Retention.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { auditKeyFileFor, auditKeyLayer } from "../auditKey.ts"
import { databaseLayer } from "../composition.ts"
import { db, existingDatabase, existingDb } from "./serve.ts"

/** The services that need only the database: no devices are opened. Their events carry MACs under the terminal's audit key. */
const offline = (file: string) =>
  Layer.mergeAll(EventLog.Default, Retention.Default, StaffAuth.Default, StaffRepo.Default).pipe(
    Layer.provideMerge(auditKeyLayer(auditKeyFileFor(file))),
    Layer.provideMerge(Layer.mergeAll(databaseLayer(file), Layer.succeed(TerminalPolicy, defaultPolicy), SecureRandom.layerCrypto))
  )

const dryRun = Options.boolean("dry-run").pipe(Options.withDescription("only count what is due"))
const retentionRun = Command.make("run", { db: existingDb, dryRun }, (opts) =>
  Effect.gen(function*() {
    const file = yield* existingDatabase(opts.db)
    const counts = yield* Effect.flatMap(Retention, (r) => r.run({ dryRun: opts.dryRun })).pipe(Effect.provide(offline(file)))
    for (const c of counts) yield* Console.log(`${opts.dryRun ? "due" : "erased"}\t${c.kind}\t${c.count}`)
  })).pipe(Command.withDescription("erase personal data past its retention period (docs/privacy.md)"))

export const retention = Command.make("retention").pipe(
  Command.withDescription("storage limitation"),
  Command.withSubcommands([retentionRun])
)

const username = Options.text("username").pipe(Options.withDescription("sign-in name"))
const displayName = Options.text("name").pipe(Options.withDescription("display name"))
const role = Options.choice("role", Role.literals).pipe(Options.withDescription("clerk, supervisor or technician"))

/** The password comes from AMTOMAT_STAFF_PASSWORD or standard input, never from the command line. */
const readPassword = Effect.suspend(() => {
  const env = process.env["AMTOMAT_STAFF_PASSWORD"]
  if (env !== undefined) return Effect.succeed(env)
  if (process.stdin.isTTY) {
    return Effect.fail(new CommandError({ reason: "BadInput", message: "pipe the password on standard input or set AMTOMAT_STAFF_PASSWORD" }))
  }
  return Effect.try({
    try: () => readFileSync(0, "utf8").replace(/\r?\n$/, ""),
    catch: (e) => new CommandError({ reason: "BadInput", message: `reading the password: ${String(e)}` })
  })
})

const staffAdd = Command.make("add", { db, username, displayName, role }, (opts) =>
  Effect.gen(function*() {
    const password = yield* readPassword
    // logged like an account a supervisor creates in the back office, by nobody (the command line)
    const member = yield* Effect.gen(function*() {
      const created = yield* Effect.flatMap(StaffAuth, (auth) => auth.create(opts.username, opts.displayName, opts.role, password))
      yield* Effect.flatMap(EventLog, (log) => log.append({ _tag: "StaffAccountCreated", staffId: created.id, role: created.role, by: null }))
      return created
    }).pipe(Effect.provide(offline(resolve(opts.db))))
    yield* Console.log(`staff account ${member.username} (${member.role}) created: ${member.id}`)
  })).pipe(Command.withDescription("create a staff account (password on standard input or AMTOMAT_STAFF_PASSWORD)"))

const staffList = Command.make("list", { db: existingDb }, (opts) =>
  Effect.gen(function*() {
    const file = yield* existingDatabase(opts.db)
    const accounts = yield* Effect.flatMap(StaffRepo, (repo) => repo.list).pipe(Effect.provide(offline(file)))
    for (const a of accounts) {
      yield* Console.log(`${a.username}\t${a.role}\t${a.displayName}${a.disabled ? "\tdisabled" : ""}`)
    }
  })).pipe(Command.withDescription("list staff accounts"))

export const staff = Command.make("staff").pipe(
  Command.withDescription("staff accounts"),
  Command.withSubcommands([staffAdd, staffList])
)
