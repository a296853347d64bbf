/**
 * The county's judgement of a push (county/replication/judge.ts): what it takes once,
 * and each way a terminal's log can be wrong that it must refuse.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { GENESIS } from "../../core/persistence/EventLog.ts"
import type { ReplicatedRow } from "../../core/protocols/replication.ts"
import { type Holding, judge } from "../../county/replication/judge.ts"
import { chain, headOf } from "./chain.ts"

/** A county holding `rows`: its head and every stored hash. */
const holding = (rows: ReadonlyArray<ReplicatedRow>): Holding => {
  const last = rows[rows.length - 1]
  return {
    terminal: "T1",
    site: "Mayen",
    head: last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS },
    stored: new Map(rows.map((r) => [r.seq, r.hash]))
  }
}

describe("judge", () => {
  const log = chain(10)

  it("takes the rows after its head, and a repeated push as duplicates", () => {
    const first = judge(holding(log.slice(0, 4)), { rows: log.slice(4, 8), through: headOf(log.slice(0, 8)) })
    expect(first).toMatchObject({ ok: true, duplicates: 0, head: headOf(log.slice(0, 8)) })
    const again = judge(holding(log.slice(0, 8)), { rows: log.slice(2, 10), through: headOf(log) })
    expect(again).toMatchObject({ ok: true, duplicates: 6, head: headOf(log) })
    if (again.ok) expect(again.fresh.map((r) => r.seq)).toEqual([9, 10])
  })

  it("refuses a gap, a fork, a broken row, a cut log, disorder and another terminal's rows", () => {
    const at4 = holding(log.slice(0, 4))
    expect(judge(at4, { rows: log.slice(5, 8), through: headOf(log.slice(0, 8)) })).toMatchObject({ ok: false, reason: "Gap" })
    const other = chain(10, "b")
    expect(judge(at4, { rows: other.slice(2, 6), through: headOf(other.slice(0, 6)) })).toMatchObject({ ok: false, reason: "Fork" })
    expect(judge(at4, { rows: other.slice(4, 6), through: headOf(other.slice(0, 6)) })).toMatchObject({ ok: false, reason: "Fork" })
    const tampered = log.slice(4, 8).map((r) => r.seq === 6 ? { ...r, data: `{"n":6,"v":"x"}` } : r)
    expect(judge(at4, { rows: tampered, through: headOf(log.slice(0, 8)) })).toMatchObject({ ok: false, reason: "Broken" })
    expect(judge(holding(log.slice(0, 8)), { rows: [], through: headOf(log.slice(0, 5)) })).toMatchObject({ ok: false, reason: "Cut" })
    expect(judge(holding(log.slice(0, 8)), { rows: [], through: { seq: 0, hash: GENESIS } })).toMatchObject({ ok: false, reason: "Cut" })
    expect(judge(at4, { rows: [log[4]!, log[6]!], through: headOf(log.slice(0, 7)) })).toMatchObject({ ok: false, reason: "Disordered" })
    expect(judge(at4, { rows: log.slice(4, 6).map((r) => ({ ...r, terminal: "T2" })), through: headOf(log.slice(0, 6)) })).toMatchObject({
      ok: false,
      reason: "WrongTerminal"
    })
  })

  it("property: pushes of any overlapping batches, repeated, leave the county with every row once, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.integer({ min: 1, max: 12 })), { minLength: 1, maxLength: 40 }), (pushes) => {
        const full = chain(30)
        let held: Array<ReplicatedRow> = []
        for (const [from, size] of pushes) {
          // a terminal re-reading from any point at or below the county's head (a lost answer, a restart)
          const start = Math.min(from, held.length)
          const rows = full.slice(start, start + size)
          if (rows.length === 0) continue
          const verdict = judge(holding(held), { rows, through: headOf(full) })
          if (!verdict.ok) return false
          held = [...held, ...verdict.fresh]
        }
        return held.every((r, i) => r.seq === i + 1 && r.hash === full[i]!.hash)
      })
    )
  })

  it("the property fails for a county that would take a gap", () => {
    // the check above is not vacuous: skipping rows leaves a replica the final assertion rejects
    const full = chain(6)
    const held = [...full.slice(0, 2), ...full.slice(3)]
    expect(held.every((r, i) => r.seq === i + 1)).toBe(false)
    expect(judge(holding(full.slice(0, 2)), { rows: full.slice(3), through: headOf(full) })).toMatchObject({ ok: false, reason: "Gap" })
  })
})
