/**
 * Anchoring the running terminal's event log: a signed checkpoint of the head
 * (core/persistence/anchor.ts) appended to an anchor file now and then, so a
 * tail cut off the log later — or a log rewritten with the key — shows against
 * checkpoints the database cannot change.
 *
 * The file is opened with O_APPEND and synced after each line. It is only
 * worth something where whoever can write the database cannot rewrite it:
 * another medium (a USB stick, a second disk mounted elsewhere), a file made
 * append-only with `chattr +a FILE` (root only can lift that), or a file
 * shipped off the machine (rsync, syslog, the county server) as it grows.
 */
import { Clock, Data, Duration, Effect, Ref, Schedule } from "effect"
import { open } from "node:fs/promises"
import { TerminalPolicy } from "../core/domain/config.ts"
import { type Checkpoint, encodeCheckpoint, signCheckpoint } from "../core/persistence/anchor.ts"
import { AuditKey, EventLog, GENESIS, verifyMacs, verifyRows } from "../core/persistence/EventLog.ts"
import { explain } from "./databaseFile.ts"

export class AnchorError extends Data.TaggedError("AnchorError")<{
  readonly reason: "Unwritable" | "LogBroken"
  readonly message: string
}> {}

/**
 * A signed checkpoint of the head, after checking the rows since `after` (a checkpoint made
 * before; all rows when absent): a broken chain or a MAC that does not match is refused, never
 * signed. Names the log's own site and terminal (the configured ones for an empty log).
 */
export const checkpointOf = Effect.fn("Anchor.checkpoint")(function*(after?: Checkpoint) {
  const log = yield* EventLog
  const key = yield* AuditKey
  const config = yield* TerminalPolicy
  const at = new Date(yield* Clock.currentTimeMillis).toISOString()
  const rows = yield* log.rows(after === undefined ? {} : { afterSeq: after.seq })
  const refuse = (problem: string) => new AnchorError({ reason: "LogBroken", message: `refusing to checkpoint the event log: ${problem}` })
  const chain = verifyRows(rows, after === undefined ? undefined : { seq: after.seq, hash: after.hash })
  if (!chain.ok) return yield* refuse(`the chain is broken at seq ${chain.brokenAt}: ${chain.problem}`)
  const macs = verifyMacs(rows, key)
  if (!macs.ok) return yield* refuse(macs.problem)
  // rows after a checkpoint were all written with the key: none may lack a MAC
  if (after !== undefined && macs.unkeyedBefore !== null) {
    return yield* refuse(`rows before seq ${macs.unkeyedBefore} have no MAC, though written after the checkpoint at seq ${after.seq}`)
  }
  const head = rows[rows.length - 1]
  return signCheckpoint(
    key,
    head !== undefined
      ? { seq: head.seq, hash: head.hash, at, site: head.site, terminal: head.terminal, count: (after?.count ?? 0) + rows.length }
      : after !== undefined
      ? { seq: after.seq, hash: after.hash, at, site: after.site, terminal: after.terminal, count: after.count }
      : { seq: 0, hash: GENESIS, at, site: config.site, terminal: config.terminalId, count: 0 }
  )
})

/** Appends the checkpoint as one line (O_APPEND) and syncs it to the medium. */
export const appendCheckpoint = (file: string, checkpoint: Checkpoint) =>
  Effect.tryPromise({
    try: async () => {
      const handle = await open(file, "a")
      try {
        await handle.appendFile(encodeCheckpoint(checkpoint) + "\n")
        await handle.datasync()
      } finally {
        await handle.close()
      }
    },
    catch: (e) => new AnchorError({ reason: "Unwritable", message: `cannot append to the anchor file ${file}: ${explain(e)}` })
  })

/**
 * The periodic job: a checkpoint now and then every `every`, each checking only the rows since
 * the one before. A failed run (the file unwritable, the log found broken) is logged and the
 * next run tries again; a broken log is never signed, so the anchor file stops growing.
 */
export const anchorJob = (options: { readonly file: string; readonly every: Duration.DurationInput }) =>
  Effect.gen(function*() {
    const last = yield* Ref.make<Checkpoint | undefined>(undefined)
    const once = Effect.gen(function*() {
      const checkpoint = yield* checkpointOf(yield* Ref.get(last))
      yield* appendCheckpoint(options.file, checkpoint)
      yield* Ref.set(last, checkpoint)
    }).pipe(Effect.catchAllCause((cause) => Effect.logError(`anchor to ${options.file} failed`, cause)))
    yield* once.pipe(Effect.repeat(Schedule.spaced(Duration.decode(options.every))), Effect.forkScoped)
  })
