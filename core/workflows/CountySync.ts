/**
 * Store-and-forward of the terminal's event log to the county: the rows after
 * the head the county holds, in order, at most MAX_PUSH per push, until the
 * county holds the terminal's head. Run after every appended event (a short
 * pause gathers a burst into one push) and at least every `idle` as a
 * heartbeat; a failed run is retried after 1 s, then longer, up to every
 * `maxBackoff`, jittered so terminals coming back together do not push in
 * step. Nothing here blocks the terminal: the log is the queue, so a county
 * away for a week costs nothing but the catch-up when it is back.
 *
 * No state survives a restart: each run asks the county for its head first,
 * so a push whose answer was lost is simply repeated (the county takes each
 * row once). A refusal (a gap, a fork, a cut log: the county alarms) is logged
 * once per reason and retried at the slow pace, in case staff resolve it.
 */
import { Context, Duration, Effect, Option, Queue, Ref, Schedule, Stream } from "effect"
import { EventLog } from "../persistence/EventLog.ts"
import { CountyGateway, type CountyUnreachable } from "../ports/CountyGateway.ts"
import { type ChainHead, type GridCompartment, MAX_PUSH, type ReplicationRefused } from "../protocols/replication.ts"
import { nowMillis } from "./support.ts"

export interface SyncStatus {
  /** When the county last held the terminal's head (epoch ms). */
  readonly caughtUpAt: Option.Option<number>
  /** The head the county held at the last answer. */
  readonly countyHead: Option.Option<ChainHead>
  /** Why the last run failed, in one sentence; none after a run that caught up. */
  readonly problem: Option.Option<string>
  /** Rows pushed and taken since the start. */
  readonly pushed: number
}

export interface SyncSettings {
  /** Heartbeat: a run at least this often, even with nothing new. */
  readonly idle: Duration.DurationInput
  /** The longest wait between retries of a failed run. */
  readonly maxBackoff: Duration.DurationInput
  /** The pause after an event before pushing, to gather a burst. */
  readonly gather: Duration.DurationInput
}

export const defaultSyncSettings: SyncSettings = { idle: "30 seconds", maxBackoff: "5 minutes", gather: "200 millis" }

export type SyncError = CountyUnreachable | ReplicationRefused

/** Where the sync reads the terminal's compartment grid from, to send with each push (optional: without it no grid is sent). */
export class CountyGridSource extends Context.Tag("amtomat/CountyGridSource")<CountyGridSource, Effect.Effect<ReadonlyArray<GridCompartment>>>() {}

export class CountySync extends Effect.Service<CountySync>()("amtomat/CountySync", {
  effect: Effect.gen(function*() {
    const log = yield* EventLog
    const county = yield* CountyGateway
    const gridSource = yield* Effect.serviceOption(CountyGridSource)
    const status = yield* Ref.make<SyncStatus>({ caughtUpAt: Option.none(), countyHead: Option.none(), problem: Option.none(), pushed: 0 })

    /** One run: pushes until the county holds the head the log had when the run read it; how many rows it took. */
    const syncOnce = Effect.fn("CountySync.syncOnce")(function*() {
      let head = (yield* county.head).head
      let pushed = 0
      for (;;) {
        const through = yield* Effect.orDie(log.head)
        const rows = through.seq > head.seq ? yield* Effect.orDie(log.rows({ afterSeq: head.seq, limit: MAX_PUSH })) : []
        const batch = rows.filter((r) => r.seq <= through.seq)
        const grid = Option.isSome(gridSource) ? yield* gridSource.value : undefined
        const result = yield* county.push(grid === undefined ? { rows: batch, through } : { rows: batch, through, grid })
        head = result.head
        pushed += result.accepted
        yield* Ref.update(status, (s) => ({ ...s, countyHead: Option.some(head), pushed: s.pushed + result.accepted }))
        if (head.seq >= through.seq) break
      }
      const at = yield* nowMillis
      yield* Ref.update(status, (s) => ({ ...s, caughtUpAt: Option.some(at), problem: Option.none() }))
      return pushed
    })

    const describe = (e: SyncError) => e._tag === "ReplicationRefused" ? `the county refused the log (${e.reason}): ${e.message}` : e.message

    /** Runs until interrupted (a scoped fiber of the terminal). */
    const run = (settings: SyncSettings = defaultSyncSettings) =>
      Effect.gen(function*() {
        const wake = yield* Queue.sliding<void>(1)
        yield* log.live.pipe(Stream.runForEach(() => Queue.offer(wake, undefined)), Effect.forkScoped)
        const retrying = Schedule.union(Schedule.exponential("1 second"), Schedule.spaced(settings.maxBackoff)).pipe(Schedule.jittered)
        const attempt = Effect.suspend(() => {
          let failures = 0
          let lastSaid = ""
          return syncOnce().pipe(
            Effect.tapError((e) =>
              Effect.gen(function*() {
                const said = describe(e)
                yield* Ref.update(status, (s) => ({ ...s, problem: Option.some(said) }))
                failures++
                // one line per outage and per new reason, not one per retry
                if (said !== lastSaid && (failures === 1 || e._tag === "ReplicationRefused")) {
                  yield* (e._tag === "ReplicationRefused" ? Effect.logError(`county: ${said}`) : Effect.logWarning(`county: ${said}; retrying`))
                }
                lastSaid = said
              })
            ),
            Effect.retry(retrying),
            Effect.tap(() => failures > 0 ? Effect.logInfo(`county: caught up after ${failures} failed attempts`) : Effect.void)
          )
        })
        for (;;) {
          yield* attempt
          yield* Effect.raceFirst(Queue.take(wake), Effect.sleep(settings.idle))
          yield* Effect.sleep(settings.gather)
        }
      })

    return { syncOnce, run, status: Ref.get(status) } as const
  })
}) {}
