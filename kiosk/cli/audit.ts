/**
 * `amtomat audit verify --db F [--anchor FILE] [--key-file F] [--county URL --county-credential FILE]`:
 * the event log checked up to five ways — its hash chain, the rows' MACs under the audit key, the
 * signed head checkpoints of an anchor file (a cut tail, rewritten rows), the orders and
 * compartments tables against what the log says happened, and the head the county holds
 * (./auditCounty.ts). One line per finding, exit status 1 if any.
 *
 * `amtomat audit checkpoint --db F --out FILE [--key-file F]`: checks the log
 * and appends one signed checkpoint of its head to FILE now.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Either, Layer, Option } from "effect"
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { CommandError } from "../../core/domain/errors.ts"
import { parseAnchorFile, verifyAnchors } from "../../core/persistence/anchor.ts"
import { CompartmentsRepo } from "../../core/persistence/CompartmentsRepo.ts"
import { AuditKey, EventLog, type EventRow, GENESIS, verifyMacs, verifyRows } from "../../core/persistence/EventLog.ts"
import { OrdersRepo } from "../../core/persistence/OrdersRepo.ts"
import { checkState, readStateTables, type StateTables } from "../../core/persistence/stateCheck.ts"
import { appendCheckpoint, checkpointOf } from "../anchorJob.ts"
import { auditKeyFileFor, auditKeyFrom } from "../auditKey.ts"
import { readOnlyDatabaseLayer } from "../databaseReadOnly.ts"
import { askCounty, countyFindings } from "./auditCounty.ts"
import { countyCredentialOption, existingDatabase, existingDb } from "./serve.ts"

const keyFile = Options.file("key-file").pipe(
  Options.optional,
  Options.withDescription("file holding the audit key (hex); default: audit.key beside the database (AMTOMAT_AUDIT_KEY wins over both)")
)
const anchor = Options.file("anchor").pipe(
  Options.optional,
  Options.withDescription("anchor file of signed head checkpoints (serve --anchor, audit checkpoint) to check the log against")
)
const out = Options.file("out").pipe(Options.withDescription("anchor file to append the checkpoint to (created if missing)"))

/** The database's log and tables; the log is only read (a key nobody has stands in for writing). */
const offline = (file: string) =>
  Layer.mergeAll(EventLog.Default, OrdersRepo.Default, CompartmentsRepo.Default).pipe(
    Layer.provide(AuditKey.forReading),
    Layer.provideMerge(Layer.merge(readOnlyDatabaseLayer(file), Layer.succeed(TerminalPolicy, defaultPolicy)))
  )

/** The log's rows and the state tables of a database file, opened read-only (it may sit on read-only media). */
export const readLog = (file: string) =>
  Effect.gen(function*() {
    return { rows: yield* (yield* EventLog).rows(), tables: yield* readStateTables }
  }).pipe(Effect.provide(offline(file)))

export interface AuditInput {
  readonly rows: ReadonlyArray<EventRow>
  readonly tables: StateTables
  /** The audit key, or why there is none. */
  readonly key: Either.Either<Uint8Array, { readonly message: string }>
  /** The anchor file's name and text, if one was given. */
  readonly anchor: Option.Option<{ readonly file: string; readonly text: string }>
}

/**
 * Everything `audit verify` checks, over what was read: one sentence per finding (chain, MACs,
 * checkpoints, state against log, in that order), and the summary line when there is none.
 */
export const auditFindings = (input: AuditInput): { readonly findings: ReadonlyArray<string>; readonly summary: string } => {
  const { rows, key } = input
  const findings: Array<string> = []
  const chain = verifyRows(rows)
  if (!chain.ok) findings.push(`the chain is broken at seq ${chain.brokenAt}: ${chain.problem} (${chain.count} events checked)`)
  let unkeyedBefore: number | null = null
  if (Either.isLeft(key)) {
    findings.push(key.left.message)
  } else {
    const macs = verifyMacs(rows, key.right)
    if (macs.ok) unkeyedBefore = macs.unkeyedBefore
    else findings.push(macs.problem)
  }
  let anchored = "not anchored (no --anchor given)"
  if (Option.isSome(input.anchor)) {
    const parsed = parseAnchorFile(input.anchor.value.text)
    findings.push(...parsed.problems)
    if (parsed.anchors.length === 0 && parsed.problems.length === 0) findings.push(`the anchor file ${input.anchor.value.file} holds no checkpoint`)
    if (Either.isRight(key)) {
      const check = verifyAnchors(rows, parsed.anchors, key.right)
      findings.push(...check.findings)
      if (check.anchoredUpTo !== null) anchored = `anchored up to seq ${check.anchoredUpTo.seq} (${check.anchoredUpTo.at})`
    } else if (parsed.anchors.length > 0) {
      findings.push("the checkpoints cannot be checked without the audit key")
    }
  }
  findings.push(...checkState(input.tables, rows))
  const head = rows.length > 0 ? rows[rows.length - 1]!.hash : GENESIS
  const macs = unkeyedBefore === null ? "MACs ok" : `MACs ok (unkeyed before seq ${unkeyedBefore}: written before the audit key)`
  return { findings, summary: `audit chain intact: ${rows.length} events, head ${head}, ${macs}, ${anchored}` }
}

const county = Options.text("county").pipe(
  Options.withPseudoName("url"),
  Options.optional,
  Options.withDescription("also check the log against the head this county server holds of it (needs --county-credential)")
)

const verify = Command.make("verify", { db: existingDb, anchor, keyFile, county, countyCredential: countyCredentialOption }, (opts) =>
  Effect.gen(function*() {
    const file = yield* existingDatabase(opts.db)
    if (Option.isSome(opts.county) !== Option.isSome(opts.countyCredential)) {
      return yield* new CommandError({
        reason: "BadOption",
        message: "--county and --county-credential go together (the county server and this terminal's credential file)"
      })
    }
    const key = yield* Effect.either(auditKeyFrom(Option.getOrElse(opts.keyFile, () => auditKeyFileFor(file)), { create: false }))
    const anchorFile = Option.map(opts.anchor, (a) => resolve(a))
    const anchorText = yield* Option.match(anchorFile, {
      onNone: () => Effect.succeed(Option.none<{ readonly file: string; readonly text: string }>()),
      onSome: (a) =>
        Effect.try({
          try: () => Option.some({ file: a, text: readFileSync(a, "utf8") }),
          catch: (e) => new CommandError({ reason: "BadOption", message: `--anchor: cannot read ${a}: ${e instanceof Error ? e.message : String(e)}` })
        })
    })
    const { rows, tables } = yield* readLog(file)
    const local = auditFindings({ rows, tables, key, anchor: anchorText })
    const findings = [...local.findings]
    const summaries = [local.summary]
    if (Option.isSome(opts.county) && Option.isSome(opts.countyCredential)) {
      const asked = yield* askCounty({ county: opts.county.value, credentialFile: resolve(opts.countyCredential.value) })
      if (Either.isLeft(asked)) findings.push(`not checked against the county: ${asked.left.message}`)
      else {
        const against = countyFindings(rows, asked.right)
        findings.push(...against.findings)
        summaries.push(against.summary)
      }
    }
    if (findings.length === 0) return yield* Console.log(summaries.join("\n"))
    for (const f of findings) yield* Console.error(f)
    yield* Effect.sync(() => {
      process.exitCode = 1
    })
  })).pipe(Command.withDescription(
    "check the event log: hash chain, MACs under the audit key, the checkpoints of an anchor file (cut tail, rewritten rows), the orders and compartments against the log, the head the county holds (--county); one line per finding, exit status 1 if any"
  ))

const checkpoint = Command.make("checkpoint", { db: existingDb, out, keyFile }, (opts) =>
  Effect.gen(function*() {
    const file = yield* existingDatabase(opts.db)
    const target = resolve(opts.out)
    const key = yield* auditKeyFrom(Option.getOrElse(opts.keyFile, () => auditKeyFileFor(file)), { create: false })
    const made = yield* checkpointOf().pipe(
      Effect.provide(EventLog.Default.pipe(
        Layer.provideMerge(Layer.mergeAll(readOnlyDatabaseLayer(file), Layer.succeed(TerminalPolicy, defaultPolicy), Layer.succeed(AuditKey, key)))
      ))
    )
    yield* appendCheckpoint(target, made)
    yield* Console.log(`checkpoint at seq ${made.seq} (head ${made.hash}, ${made.count} events) appended to ${target}`)
  })).pipe(
    Command.withDescription("check the event log and append a signed checkpoint of its head to an anchor file (keep that file off this machine or append-only)")
  )

export const audit = Command.make("audit").pipe(
  Command.withDescription("the audit trail"),
  Command.withSubcommands([verify, checkpoint])
)
