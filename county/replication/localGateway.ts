/**
 * A terminal's CountyGateway that calls the county's Replication in the same
 * process, with no HTTP between them: the scenario engine's county and the
 * replication tests, which put their own faults around it. A database failure
 * at the county is what the terminal would see over HTTP: the county unreachable.
 */
import { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import { CountyGateway, CountyUnreachable } from "../../core/ports/CountyGateway.ts"
import { CountyInbox } from "../../core/ports/CountyInbox.ts"
import { OrderDesk } from "../OrderDesk.ts"
import { Replication } from "./Replication.ts"

const unreachable = (e: SqlError) => new CountyUnreachable({ reason: "Network", message: `the county's database failed: ${e.message}` })

export const localGateway = (terminal: string) =>
  Effect.map(Replication, (replication) =>
    CountyGateway.of({
      head: replication.head(terminal).pipe(Effect.catchIf((e): e is SqlError => e instanceof SqlError, (e) => Effect.fail(unreachable(e)))),
      push: (request) =>
        replication.push(terminal, request).pipe(Effect.catchIf((e): e is SqlError => e instanceof SqlError, (e) => Effect.fail(unreachable(e))))
    }))

/** The terminal's CountyInbox on the county's OrderDesk in the same process, with the same mapping of a failing database. */
export const localInbox = (terminal: string) =>
  Effect.map(OrderDesk, (desk) =>
    CountyInbox.of({
      fetch: desk.inbox(terminal).pipe(Effect.catchIf((e): e is SqlError => e instanceof SqlError, (e) => Effect.fail(unreachable(e)))),
      answer: (answers) =>
        Effect.asVoid(desk.answer(terminal, answers)).pipe(Effect.catchIf((e): e is SqlError => e instanceof SqlError, (e) => Effect.fail(unreachable(e))))
    }))
