/**
 * The county's judgement of one push (core/protocols/replication.ts), pure:
 * given what the county holds of a terminal — its registration, its head and
 * the hashes it stored at the pushed rows' seqs — which rows are new, which it
 * holds already, or why the push is refused. Nothing here reads or writes.
 */
import { verifyRows } from "../../core/persistence/EventLog.ts"
import { type ChainHead, type PushRequest, type RefusalReason, type ReplicatedRow } from "../../core/protocols/replication.ts"

export interface Holding {
  readonly terminal: string
  readonly site: string
  readonly head: ChainHead
  /** The hashes the county holds at the seqs of the pushed rows that are not after its head (and at `through.seq`). */
  readonly stored: ReadonlyMap<number, string>
}

export type Verdict =
  | {
    readonly ok: true
    /** The rows to store, in order. */
    readonly fresh: ReadonlyArray<ReplicatedRow>
    readonly duplicates: number
    readonly head: ChainHead
  }
  | { readonly ok: false; readonly reason: RefusalReason; readonly message: string }

const refuse = (reason: RefusalReason, message: string): Verdict => ({ ok: false, reason, message })

/** The seqs whose stored hashes `judge` needs: the pushed rows at or below the head, and `through` if it is. */
export const seqsToCompare = (head: ChainHead, request: PushRequest): ReadonlyArray<number> => {
  const seqs = request.rows.filter((r) => r.seq <= head.seq).map((r) => r.seq)
  if (request.through.seq > 0 && request.through.seq <= head.seq) seqs.push(request.through.seq)
  return [...new Set(seqs)]
}

export const judge = (holding: Holding, request: PushRequest): Verdict => {
  const { head, stored } = holding
  const { rows, through } = request
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    if (row.terminal !== holding.terminal || row.site !== holding.site) {
      return refuse(
        "WrongTerminal",
        `row ${row.seq} is of terminal ${row.terminal} at ${row.site}, but this credential is terminal ${holding.terminal}'s at ${holding.site}`
      )
    }
    if (i > 0 && row.seq !== rows[i - 1]!.seq + 1) {
      return refuse("Disordered", `the rows must be consecutive and ascending: seq ${row.seq} follows seq ${rows[i - 1]!.seq}`)
    }
  }
  const last = rows[rows.length - 1]
  if (last !== undefined && through.seq < last.seq) {
    return refuse("Disordered", `the push names its head at seq ${through.seq}, below its own last row ${last.seq}`)
  }
  let duplicates = 0
  for (const row of rows) {
    if (row.seq > head.seq) break
    if (stored.get(row.seq) !== row.hash) {
      return refuse(
        "Fork",
        `row ${row.seq} differs from the row ${row.seq} the county holds: the terminal's log forked (restored from a backup?) or was rewritten`
      )
    }
    duplicates++
  }
  const fresh = rows.slice(duplicates)
  const first = fresh[0]
  if (first !== undefined) {
    if (first.seq !== head.seq + 1) {
      return refuse("Gap", `the county holds up to seq ${head.seq}, the push goes on at seq ${first.seq}: rows ${head.seq + 1} to ${first.seq - 1} are missing`)
    }
    const chain = verifyRows(fresh, head)
    if (!chain.ok) {
      return chain.brokenAt === first.seq && first.prev_hash !== head.hash
        ? refuse(
          "Fork",
          `row ${first.seq} does not follow the row ${head.seq} the county holds: the terminal's log forked (restored from a backup?) or was rewritten`
        )
        : refuse("Broken", `row ${chain.brokenAt} ${chain.problem}`)
    }
  }
  const newHead = last !== undefined && last.seq > head.seq ? { seq: last.seq, hash: last.hash } : head
  if (through.seq < newHead.seq) {
    const known = stored.get(through.seq)
    if (through.seq > 0 && known !== through.hash) {
      return refuse("Fork", `the terminal's head at seq ${through.seq} differs from the row ${through.seq} the county holds: its log forked or was rewritten`)
    }
    return refuse("Cut", `the terminal's log ends at seq ${through.seq}, but the county holds its rows up to seq ${newHead.seq}: the log was cut`)
  }
  if (through.seq === newHead.seq && through.hash !== newHead.hash) {
    return refuse("Fork", `the terminal's head at seq ${through.seq} differs from the row ${through.seq} the county holds: its log forked or was rewritten`)
  }
  return { ok: true, fresh, duplicates, head: newHead }
}
