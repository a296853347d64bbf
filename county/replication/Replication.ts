/**
 * Event replication at the county: a terminal's push judged (./judge.ts) and
 * stored in one transaction with the terminal's row locked, so pushes of one
 * terminal take turns and a push is stored whole or not at all. A refused push
 * changes no event, records the refusal on the terminal and raises one county
 * alarm per terminal and kind until it is acknowledged.
 */
import { Clock, DateTime, Effect } from "effect"
import { withTransaction } from "../../core/persistence/transactions.ts"
import { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { type PushRequest, type PushResult, ReplicationRefused } from "../../core/protocols/replication.ts"
import { CountyAlarmsRepo } from "../persistence/CountyAlarmsRepo.ts"
import { OrderQueueRepo } from "../persistence/OrderQueueRepo.ts"
import { ReplicaRepo } from "../persistence/ReplicaRepo.ts"
import { TerminalsRepo } from "../persistence/TerminalsRepo.ts"
import { judge, seqsToCompare } from "./judge.ts"

export const isoNow = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.formatIso(DateTime.unsafeMake(ms)))

/** The county alarm kind of a refusal: `replication-gap`, `replication-fork` … */
export const refusalAlarm = (reason: string) => `replication-${reason.toLowerCase()}`

export class Replication extends Effect.Service<Replication>()("amtomat/county/Replication", {
  effect: Effect.gen(function*() {
    const inTransaction = yield* withTransaction
    const terminals = yield* TerminalsRepo
    const replica = yield* ReplicaRepo
    const alarms = yield* CountyAlarmsRepo
    const queue = yield* OrderQueueRepo
    const random = yield* SecureRandom

    /** Stores what is new of the push, or refuses it with the reason; `terminal` is the credential's (already authenticated). */
    const push = Effect.fn("Replication.push")(function*(terminal: string, request: PushRequest) {
      const at = yield* isoNow
      const alarmId = yield* random.id("calarm")
      const outcome = yield* inTransaction(Effect.gen(function*() {
        const registered = yield* terminals.lock(terminal)
        if (registered._tag === "None") return yield* Effect.dieMessage(`terminal ${terminal} was authenticated but is not registered`)
        const row = registered.value
        const head = terminals.head(row)
        const stored = yield* replica.hashesAt(terminal, seqsToCompare(head, request))
        const verdict = judge({ terminal, site: row.site, head, stored }, request)
        if (!verdict.ok) {
          // the reported head counts only from a push whose rows are this terminal's own log: a gap, a fork or a
          // cut; another terminal's rows or a broken chain say nothing about how long this terminal's log is
          const own = verdict.reason === "Gap" || verdict.reason === "Fork" || verdict.reason === "Cut"
          yield* terminals.contact({ terminal, head, reportedSeq: own ? request.through.seq : 0, at, refusal: verdict.reason })
          const raised = yield* alarms.raise({ id: alarmId, terminal, kind: refusalAlarm(verdict.reason), message: verdict.message, at })
          return { verdict, head, raised } as const
        }
        yield* replica.insert(terminal, verdict.fresh, at)
        // how far the terminal got with the orders the office announced at the county
        yield* queue.progress(terminal, verdict.fresh)
        yield* terminals.contact({ terminal, head: verdict.head, reportedSeq: request.through.seq, at, refusal: null })
        // only a taken push's grid: a refused one may be another terminal's or a rewritten log's
        if (request.grid !== undefined) yield* terminals.grid({ terminal, grid: JSON.stringify(request.grid), at })
        return { verdict, head: verdict.head, raised: false } as const
      }))
      const { verdict } = outcome
      if (!verdict.ok) {
        if (outcome.raised) yield* Effect.logWarning(`county: a push of terminal ${terminal} was refused (${verdict.reason}): ${verdict.message}`)
        return yield* new ReplicationRefused({ reason: verdict.reason, message: verdict.message, head: outcome.head })
      }
      return { accepted: verdict.fresh.length, duplicates: verdict.duplicates, head: verdict.head } satisfies PushResult
    })

    /** The head the county holds for the terminal, and how many of its rows. */
    const head = Effect.fn("Replication.head")(function*(terminal: string) {
      const row = yield* terminals.byId(terminal)
      if (row._tag === "None") return yield* Effect.dieMessage(`terminal ${terminal} was authenticated but is not registered`)
      return { terminal, site: row.value.site, head: terminals.head(row.value), events: yield* replica.count(terminal), reported: row.value.reported_seq }
    })

    return { push, head } as const
  }),
  dependencies: [TerminalsRepo.Default, ReplicaRepo.Default, CountyAlarmsRepo.Default, OrderQueueRepo.Default]
}) {}
