/**
 * `county_terminals`: its only reader and writer. A terminal's registration
 * (site, the SHA-256 of its credential — never the credential), the chain head
 * the county holds for it, the head it last reported, its last contact and
 * the last refusal of its pushes.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { GENESIS } from "../../core/persistence/EventLog.ts"
import { rowsOrDie } from "../../core/persistence/rows.ts"
import { ChainHead } from "../../core/protocols/replication.ts"

export const TerminalRow = Schema.Struct({
  terminal: Schema.String,
  site: Schema.String,
  credential_hash: Schema.String,
  added_at: Schema.String,
  head_seq: Schema.NonNegativeInt,
  head_hash: Schema.String,
  reported_seq: Schema.NonNegativeInt,
  last_contact: Schema.NullOr(Schema.String),
  last_refusal: Schema.NullOr(Schema.String),
  /** The compartment grid of the last taken push that carried one (JSON of GridCompartment[]), and when. */
  grid: Schema.NullOr(Schema.String),
  grid_at: Schema.NullOr(Schema.String)
})
export type TerminalRow = typeof TerminalRow.Type

export class TerminalsRepo extends Effect.Service<TerminalsRepo>()("amtomat/county/TerminalsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const add = (r: { readonly terminal: string; readonly site: string; readonly credentialHash: string; readonly at: string }) =>
      sql`INSERT INTO county_terminals ${
        sql.insert({ terminal: r.terminal, site: r.site, credential_hash: r.credentialHash, added_at: r.at, head_hash: GENESIS })
      }`

    const byId = SqlSchema.findOne({ Request: Schema.String, Result: TerminalRow, execute: (id) => sql`SELECT * FROM county_terminals WHERE terminal = ${id}` })

    /** The terminal's row, locked until the transaction ends on PostgreSQL (SQLite has one writer anyway): one push per terminal at a time. */
    const lock = SqlSchema.findOne({
      Request: Schema.String,
      Result: TerminalRow,
      execute: (id) =>
        sql.onDialectOrElse({
          pg: () => sql`SELECT * FROM county_terminals WHERE terminal = ${id} FOR UPDATE`,
          orElse: () => sql`SELECT * FROM county_terminals WHERE terminal = ${id}`
        })
    })

    const byCredentialHash = SqlSchema.findOne({
      Request: Schema.String,
      Result: TerminalRow,
      execute: (hash) => sql`SELECT * FROM county_terminals WHERE credential_hash = ${hash}`
    })

    const all = SqlSchema.findAll({ Request: Schema.Void, Result: TerminalRow, execute: () => sql`SELECT * FROM county_terminals ORDER BY site, terminal` })

    /**
     * After a push: the new head, when, the refusal if it was refused (NULL when taken), and the
     * highest seq the terminal ever reported — it never goes down, so a log cut below it shows.
     */
    const contact = (r: {
      readonly terminal: string
      readonly head: ChainHead
      readonly reportedSeq: number
      readonly at: string
      readonly refusal: string | null
    }) =>
      sql`UPDATE county_terminals SET head_seq = ${r.head.seq}, head_hash = ${r.head.hash}, reported_seq = CASE WHEN reported_seq > ${r.reportedSeq} THEN reported_seq ELSE ${r.reportedSeq} END,
        last_contact = ${r.at}, last_refusal = ${r.refusal} WHERE terminal = ${r.terminal}`

    /** A taken push's compartment grid (the terminal's own table as it was), kept until the next one. */
    const grid = (r: { readonly terminal: string; readonly grid: string; readonly at: string }) =>
      sql`UPDATE county_terminals SET grid = ${r.grid}, grid_at = ${r.at} WHERE terminal = ${r.terminal}`

    return {
      add,
      grid,
      byId: (id: string) => rowsOrDie(byId(id)),
      lock: (id: string) => rowsOrDie(lock(id)),
      byCredentialHash: (hash: string) => rowsOrDie(byCredentialHash(hash)),
      all: rowsOrDie(all(undefined)),
      contact,
      head: (row: TerminalRow): ChainHead => ({ seq: row.head_seq, hash: row.head_hash })
    } as const
  })
}) {}

export const headOf = (row: Option.Option<TerminalRow>): ChainHead =>
  Option.match(row, { onNone: () => ({ seq: 0, hash: GENESIS }), onSome: (r) => ({ seq: r.head_seq, hash: r.head_hash }) })
