/**
 * `county_alarms`: what the county raises about a terminal (a refused push: a
 * gap, a fork, a cut log) until someone at the county acknowledges it. At
 * most one open alarm per terminal and kind (a unique index), so a terminal
 * retrying the same refused push raises it once.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsOrDie } from "../../core/persistence/rows.ts"

export const CountyAlarmRow = Schema.Struct({
  id: Schema.String,
  terminal: Schema.String,
  kind: Schema.String,
  message: Schema.String,
  raised_at: Schema.String,
  acknowledged_at: Schema.NullOr(Schema.String),
  acknowledged_by: Schema.NullOr(Schema.String)
})
export type CountyAlarmRow = typeof CountyAlarmRow.Type

export class CountyAlarmsRepo extends Effect.Service<CountyAlarmsRepo>()("amtomat/county/CountyAlarmsRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** Raises the alarm unless one of its terminal and kind is open; true if it raised one. */
    const raise = (r: { readonly id: string; readonly terminal: string; readonly kind: string; readonly message: string; readonly at: string }) =>
      Effect.map(
        sql`INSERT INTO county_alarms ${sql.insert({ id: r.id, terminal: r.terminal, kind: r.kind, message: r.message, raised_at: r.at })}
          ON CONFLICT (terminal, kind) WHERE acknowledged_at IS NULL DO NOTHING RETURNING id`,
        (rows) => rows.length > 0
      )

    const open = SqlSchema.findAll({
      Request: Schema.Void,
      Result: CountyAlarmRow,
      execute: () => sql`SELECT * FROM county_alarms WHERE acknowledged_at IS NULL ORDER BY raised_at, id`
    })

    const ofTerminal = SqlSchema.findAll({
      Request: Schema.String,
      Result: CountyAlarmRow,
      execute: (terminal) => sql`SELECT * FROM county_alarms WHERE terminal = ${terminal} ORDER BY raised_at, id`
    })

    const byId = SqlSchema.findOne({ Request: Schema.String, Result: CountyAlarmRow, execute: (id) => sql`SELECT * FROM county_alarms WHERE id = ${id}` })

    /** Acknowledges the alarm if it is still open: the row this call acknowledged, none if it was not open (another was first). */
    const acknowledge = SqlSchema.findOne({
      Request: Schema.Struct({ id: Schema.String, by: Schema.String, at: Schema.String }),
      Result: CountyAlarmRow,
      execute: (r) =>
        sql`UPDATE county_alarms SET acknowledged_at = ${r.at}, acknowledged_by = ${r.by} WHERE id = ${r.id} AND acknowledged_at IS NULL RETURNING *`
    })

    return {
      raise,
      open: rowsOrDie(open(undefined)),
      ofTerminal: (t: string) => rowsOrDie(ofTerminal(t)),
      byId: (id: string) => rowsOrDie(byId(id)),
      acknowledge: (r: { readonly id: string; readonly by: string; readonly at: string }) => rowsOrDie(acknowledge(r))
    } as const
  })
}) {}
