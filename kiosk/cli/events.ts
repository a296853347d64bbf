/**
 * `amtomat events`: prints or exports the event log as NDJSON, one event per
 * line, filtered by type and time. `--verify` checks the hash chain.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Layer, Option } from "effect"
import { createWriteStream } from "node:fs"
import { resolve } from "node:path"
import { defaultPolicy, TerminalPolicy } from "../../core/domain/config.ts"
import { CommandError } from "../../core/domain/errors.ts"
import { eventTypes } from "../../core/domain/events.ts"
import { AuditKey, EventLog } from "../../core/persistence/EventLog.ts"
import { readOnlyDatabaseLayer } from "../databaseReadOnly.ts"
import { existingDatabase, existingDb } from "./serve.ts"

const type = Options.text("type").pipe(
  Options.repeated,
  Options.withDescription(`event types to keep (repeat or comma-separate), e.g. PickupCompleted`)
)
const since = Options.text("since").pipe(Options.optional, Options.withDescription("only events at or after this UTC time (ISO 8601)"))
const until = Options.text("until").pipe(Options.optional, Options.withDescription("only events before this UTC time (ISO 8601)"))
const out = Options.file("out").pipe(Options.optional, Options.withDescription("write NDJSON to this file instead of standard output"))
const verify = Options.boolean("verify").pipe(Options.withDescription("check the hash chain and report the first broken link"))

const isoTime = (label: string, v: Option.Option<string>) =>
  Option.match(v, {
    onNone: () => Effect.succeed(undefined),
    onSome: (s) =>
      isNaN(Date.parse(s))
        ? Effect.fail(new CommandError({ reason: "BadOption", message: `--${label}: "${s}" is not a date or time (use ISO 8601, e.g. 2026-11-21T08:00:00Z)` }))
        : Effect.succeed(new Date(Date.parse(s)).toISOString())
  })

export const events = Command.make("events", { db: existingDb, type, since, until, out, verify }, (opts) =>
  Effect.gen(function*() {
    const file = yield* existingDatabase(opts.db)
    const types = opts.type.flatMap((t) => t.split(",")).map((t) => t.trim()).filter((t) => t.length > 0)
    const unknown = types.filter((t) => !(eventTypes as ReadonlyArray<string>).includes(t))
    if (unknown.length > 0) {
      return yield* Effect.fail(
        new CommandError({ reason: "BadOption", message: `--type: unknown event type ${unknown.join(", ")}; known: ${eventTypes.join(", ")}` })
      )
    }
    const from = yield* isoTime("since", opts.since)
    const to = yield* isoTime("until", opts.until)
    const program = Effect.gen(function*() {
      const log = yield* EventLog
      if (opts.verify) {
        const check = yield* log.verify
        if (check.ok) return yield* Console.log(`chain intact: ${check.count} events, head ${check.head}`)
        return yield* Effect.fail(
          new CommandError({ reason: "Failed", message: `chain broken at seq ${check.brokenAt}: ${check.problem} (${check.count} events checked)` })
        )
      }
      const rows = yield* log.read({ types, since: from, until: to })
      const lines = rows.map(({ event: { _tag, ...data }, ...e }) =>
        JSON.stringify({ seq: e.seq, at: e.at, site: e.site, terminal: e.terminal, type: _tag, ...data, hash: e.hash })
      )
      if (Option.isSome(opts.out)) {
        const target = resolve(opts.out.value)
        yield* Effect.async<void, Error>((resume) => {
          const stream = createWriteStream(target)
          stream.on("error", (err) => resume(Effect.fail(err)))
          stream.end(lines.map((l) => l + "\n").join(""), () => resume(Effect.void))
        })
        yield* Console.error(`${lines.length} events written to ${target}`)
      } else {
        for (const l of lines) yield* Console.log(l)
      }
    })
    const log = EventLog.Default.pipe(
      Layer.provide(Layer.mergeAll(
        AuditKey.forReading,
        Layer.succeed(TerminalPolicy, defaultPolicy),
        // never written or migrated: also a copy on read-only media, beside a running serve, or of another version
        readOnlyDatabaseLayer(file)
      ))
    )
    return yield* Effect.provide(program, log)
  })).pipe(Command.withDescription("print or export the event log as NDJSON"))
