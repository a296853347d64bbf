/**
 * Where a terminal finds the orders the citizens' office announced for it at
 * the county (core/protocols/countyOrders.ts). Pulled by the terminal when it
 * can reach the county; without it the terminal goes on with what it has.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { Answers, Inbox } from "../protocols/countyOrders.ts"
import type { CountyUnreachable } from "./CountyGateway.ts"

export class CountyInbox extends Context.Tag("amtomat/CountyInbox")<CountyInbox, {
  /** The orders for this terminal not yet taken, and the cancellations not yet settled. */
  readonly fetch: Effect.Effect<Inbox, CountyUnreachable>
  /** What the terminal did with them; repeating an answer changes nothing. */
  readonly answer: (answers: Answers) => Effect.Effect<void, CountyUnreachable>
}>() {}
