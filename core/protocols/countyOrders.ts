/**
 * Orders from the citizens' office, between the county and a terminal, as
 * data. A clerk announces an order at the county for a terminal; the terminal
 * pulls its inbox when it can reach the county (the orders for it, and the
 * cancellations of orders it took), acts on each and answers. The county
 * hands an order, phone number included, only to the terminal it is for, and
 * forgets the number once that terminal has taken it.
 *
 * Everything is idempotent by the county's order id: an inbox fetched twice
 * (an answer lost on the way) makes the terminal take nothing twice, and an
 * answer repeated changes nothing at the county.
 *
 * A cancellation's outcome at the terminal:
 * - `cancelled`: not yet in a compartment; the order is closed.
 * - `pending`: a load is under way; decided when its door is shut (the
 *   document in: recalled; none: cancelled). The county asks again.
 * - `recalled`: the document is in a compartment; it can no longer be picked
 *   up and staff take it back (an alarm at the terminal says so).
 * - `collected`, `returned`, `counter`: too late, the document is gone.
 */
import { Schema } from "effect"
import { DocumentKind, HeightBand, PhoneNumber, SizeClass } from "../domain/values.ts"

/** At most this many orders and cancellations in one inbox: the rest come with the next fetch. */
export const MAX_INBOX = 100

/** The county's id of an order (not the terminal's: a terminal gives it its own when it takes it). */
export const CountyOrderId = Schema.String.pipe(Schema.pattern(/^cor_[A-Za-z0-9_-]{8,64}$/), Schema.brand("CountyOrderId"))
export type CountyOrderId = typeof CountyOrderId.Type

/** An order for the terminal to take: what the terminal's own announcement needs, no name, no address. */
export const InboxOrder = Schema.Struct({
  countyOrder: CountyOrderId,
  documentKind: DocumentKind,
  phone: PhoneNumber,
  requiresOldDocument: Schema.Boolean,
  size: SizeClass,
  preferBand: Schema.NullOr(HeightBand)
})
export type InboxOrder = typeof InboxOrder.Type

export const Inbox = Schema.Struct({
  orders: Schema.Array(InboxOrder).pipe(Schema.maxItems(MAX_INBOX)),
  /** County orders this terminal took that the office cancelled since. */
  cancels: Schema.Array(CountyOrderId).pipe(Schema.maxItems(MAX_INBOX))
})
export type Inbox = typeof Inbox.Type

export const CancelOutcome = Schema.Literal("cancelled", "pending", "recalled", "collected", "returned", "counter")
export type CancelOutcome = typeof CancelOutcome.Type

export const Answers = Schema.Struct({
  /** Orders the terminal took, under its own order id. */
  taken: Schema.Array(Schema.Struct({ countyOrder: CountyOrderId, order: Schema.String.pipe(Schema.maxLength(80)) })).pipe(
    Schema.maxItems(MAX_INBOX)
  ),
  /** Orders the terminal cannot take, and why in one sentence (a document kind it does not hold). */
  refused: Schema.Array(Schema.Struct({ countyOrder: CountyOrderId, reason: Schema.String.pipe(Schema.maxLength(300)) })).pipe(
    Schema.maxItems(MAX_INBOX)
  ),
  /** What became of each cancellation. */
  cancels: Schema.Array(Schema.Struct({ countyOrder: CountyOrderId, outcome: CancelOutcome })).pipe(Schema.maxItems(MAX_INBOX))
})
export type Answers = typeof Answers.Type

export const noAnswers: Answers = { taken: [], refused: [], cancels: [] }
