/**
 * The terminal's side of orders from the citizens' office (core/protocols/
 * countyOrders.ts): fetch the inbox at the county, announce each new order
 * here exactly as staff would (loading then proceeds as for any order), apply
 * each cancellation, and answer. Run beside the event log's sync; nothing here
 * is on the path of a door, and a county out of reach only means no new
 * orders until it is back (they wait in its queue).
 *
 * An order is taken once: its announcement and the link to the county's id
 * commit together, so a fetch repeated after a lost answer finds the link and
 * answers with the same order.
 */
import { Duration, Effect, Either, Option, Schedule } from "effect"
import { OrderId } from "../domain/ids.ts"
import { CountyOrdersRepo } from "../persistence/CountyOrdersRepo.ts"
import { withTransaction } from "../persistence/transactions.ts"
import { CountyInbox } from "../ports/CountyInbox.ts"
import type { Answers, CancelOutcome, InboxOrder } from "../protocols/countyOrders.ts"
import { Loading } from "./Loading.ts"

export interface InboxSettings {
  /** How often the inbox is fetched when all is well. */
  readonly every: Duration.DurationInput
  /** The longest wait between retries of a failed fetch. */
  readonly maxBackoff: Duration.DurationInput
}

export const defaultInboxSettings: InboxSettings = { every: "15 seconds", maxBackoff: "5 minutes" }

export class CountyOrders extends Effect.Service<CountyOrders>()("amtomat/CountyOrders", {
  effect: Effect.gen(function*() {
    const inbox = yield* CountyInbox
    const loading = yield* Loading
    const links = yield* CountyOrdersRepo
    const transaction = yield* withTransaction

    /** The terminal's order for it (announced now, or found from an earlier fetch); Left: why it cannot be taken. */
    const take = (o: InboxOrder) =>
      Effect.gen(function*() {
        const known = yield* links.byCountyOrder(o.countyOrder)
        if (Option.isSome(known)) return Either.right(known.value.orderId)
        return yield* transaction(Effect.gen(function*() {
          const order = yield* loading.announce({
            documentKind: o.documentKind,
            phone: o.phone,
            requiresOldDocument: o.requiresOldDocument,
            size: o.size,
            preferBand: o.preferBand
          })
          yield* links.link(o.countyOrder, order.id)
          return Either.right(order.id)
        })).pipe(Effect.catchTag("InvalidInput", (e) => Effect.succeed(Either.left(`this terminal cannot take it: ${e.message}`))))
      })

    const cancel = (countyOrder: string) =>
      Effect.gen(function*() {
        const known = yield* links.byCountyOrder(countyOrder)
        // a cancellation of an order this terminal never took (a restored database): nothing of it is here
        if (Option.isNone(known)) return "cancelled" as CancelOutcome
        return yield* loading.cancelFromOffice(OrderId.make(known.value.orderId))
      })

    /** One fetch: takes the new orders, applies the cancellations, answers; what it did. */
    const pullOnce = Effect.fn("CountyOrders.pullOnce")(function*() {
      const box = yield* inbox.fetch
      const answers: { taken: Array<Answers["taken"][number]>; refused: Array<Answers["refused"][number]>; cancels: Array<Answers["cancels"][number]> } = {
        taken: [],
        refused: [],
        cancels: []
      }
      for (const o of box.orders) {
        const taken = yield* take(o)
        if (Either.isRight(taken)) answers.taken.push({ countyOrder: o.countyOrder, order: taken.right })
        else answers.refused.push({ countyOrder: o.countyOrder, reason: taken.left })
      }
      for (const c of box.cancels) answers.cancels.push({ countyOrder: c, outcome: yield* cancel(c) })
      if (answers.taken.length + answers.refused.length + answers.cancels.length > 0) yield* inbox.answer(answers)
      return answers
    })

    /** Runs until interrupted: a fetch every `every`, retried with back-off while the county is away. */
    const run = (settings: InboxSettings = defaultInboxSettings) =>
      Effect.gen(function*() {
        const retrying = Schedule.union(Schedule.exponential("1 second"), Schedule.spaced(settings.maxBackoff)).pipe(Schedule.jittered)
        let warned = false
        const attempt = pullOnce().pipe(
          // the county away, or this terminal's database failing: tried again, said once per outage
          Effect.tapError((e) =>
            warned ? Effect.void : Effect.zipRight(Effect.sync(() => (warned = true)), Effect.logWarning(`county orders: ${e.message}; retrying`))
          ),
          Effect.retry(retrying),
          Effect.tap(() => Effect.sync(() => (warned = false)))
        )
        for (;;) {
          yield* attempt
          yield* Effect.sleep(settings.every)
        }
      })

    return { pullOnce, run } as const
  })
}) {}
