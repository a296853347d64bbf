/**
 * A valid hash chain of test rows of terminal T1 at Mayen (variant: a different history).
 */
import { GENESIS, hashRow } from "../../core/persistence/EventLog.ts"
import type { ReplicatedRow } from "../../core/protocols/replication.ts"

export const chain = (n: number, variant = "a"): Array<ReplicatedRow> => {
  const rows: Array<ReplicatedRow> = []
  let prev = GENESIS
  for (let seq = 1; seq <= n; seq++) {
    const base = {
      seq,
      at: `2026-01-01T00:00:${String(seq % 60).padStart(2, "0")}.000Z`,
      site: "Mayen",
      terminal: "T1",
      type: "Test",
      data: `{"n":${seq},"v":"${variant}"}`,
      prev_hash: prev
    }
    const hash = hashRow(base)
    rows.push({ ...base, hash, mac: null })
    prev = hash
  }
  return rows
}

export const headOf = (rows: ReadonlyArray<ReplicatedRow>) => ({ seq: rows[rows.length - 1]!.seq, hash: rows[rows.length - 1]!.hash })
