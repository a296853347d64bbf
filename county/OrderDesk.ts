/**
 * Orders from the citizens' office, at the county. A clerk at any site
 * announces an order for a chosen terminal, or for a site's counter; a
 * terminal's orders wait in the queue until the terminal fetches its inbox
 * (core/protocols/countyOrders.ts) and answers that it took them; then loading
 * proceeds there as for any order, and the terminal's replicated events tell
 * the county how far it got (`progress`).
 *
 * The phone number goes to that terminal only, in its inbox, and the county
 * forgets it once the terminal has taken the order (or refused it, or the
 * counter handed it over, or it was cancelled before it left). Lists show it
 * masked.
 *
 * Cancelling: an order still queued is cancelled at once and never reaches a
 * terminal. One the terminal took is `cancelling` until the terminal settles
 * it (see the protocol's outcomes): cancelled, recalled (staff there take the
 * document back), or too late. A terminal that took an order in the moment it
 * was cancelled at the county gets the cancellation with its next fetch.
 */
import { Effect, Option, Schema } from "effect"
import { Conflict, InvalidInput, NotFound } from "../core/domain/errors.ts"
import { DocumentKind, HeightBand, maskPhone, PhoneNumber, SizeClass, SmsPhoneInput } from "../core/domain/values.ts"
import { withTransaction } from "../core/persistence/transactions.ts"
import { SecureRandom } from "../core/ports/SecureRandom.ts"
import { type Answers, CountyOrderId, type Inbox, MAX_INBOX } from "../core/protocols/countyOrders.ts"
import { type CountyMember, sees } from "./CountyStaff.ts"
import { OrderQueueRepo, progressIn, progressTypes, type QueuedOrderRow, QueueStatus } from "./persistence/OrderQueueRepo.ts"
import { ReplicaRepo } from "./persistence/ReplicaRepo.ts"
import { TerminalsRepo } from "./persistence/TerminalsRepo.ts"
import { isoNow } from "./replication/Replication.ts"

/** What a clerk sends to announce an order at the county. */
export const AnnounceAtCounty = Schema.Struct({
  to: Schema.Union(
    Schema.Struct({ terminal: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)) }),
    Schema.Struct({ counter: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)) })
  ),
  documentKind: DocumentKind,
  phone: SmsPhoneInput,
  requiresOldDocument: Schema.Boolean,
  size: Schema.optionalWith(SizeClass, { default: () => "S" as const }),
  preferBand: Schema.optionalWith(Schema.NullOr(HeightBand), { default: () => null })
})
export type AnnounceAtCounty = typeof AnnounceAtCounty.Type

/** An order as county staff see it: the phone masked. */
export const CountyOrderView = Schema.Struct({
  id: Schema.String,
  destination: Schema.Literal("terminal", "counter"),
  terminal: Schema.NullOr(Schema.String),
  site: Schema.String,
  originSite: Schema.NullOr(Schema.String),
  announcedBy: Schema.String,
  documentKind: Schema.String,
  /** The last digits only, while the county still holds the number; null once it forgot it. */
  phone: Schema.NullOr(Schema.String),
  requiresOldDocument: Schema.Boolean,
  size: Schema.String,
  preferBand: Schema.NullOr(Schema.String),
  status: QueueStatus,
  /** The terminal's status of the order (announced, loaded, collected …), from its replicated events. */
  progress: Schema.NullOr(Schema.String),
  terminalOrder: Schema.NullOr(Schema.String),
  note: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  takenAt: Schema.NullOr(Schema.String),
  closedAt: Schema.NullOr(Schema.String)
})
export type CountyOrderView = typeof CountyOrderView.Type

const viewOf = (r: QueuedOrderRow): CountyOrderView => ({
  id: r.id,
  destination: r.destination,
  terminal: r.terminal,
  site: r.site,
  originSite: r.origin_site,
  announcedBy: r.announced_by,
  documentKind: r.document_kind,
  phone: r.phone === null ? null : maskPhone(r.phone),
  requiresOldDocument: Number(r.requires_old_document) === 1,
  size: r.size,
  preferBand: r.prefer_band,
  status: r.status,
  progress: r.progress,
  terminalOrder: r.terminal_order,
  note: r.note,
  createdAt: r.created_at,
  takenAt: r.taken_at,
  closedAt: r.closed_at
})

/** Whether the member may see and act on the order: their site is its destination or where it was announced. */
const mayHandle = (member: CountyMember, r: QueuedOrderRow) => sees(member, r.site) || (member.site !== null && r.origin_site === member.site)

export class OrderDesk extends Effect.Service<OrderDesk>()("amtomat/county/OrderDesk", {
  effect: Effect.gen(function*() {
    const queue = yield* OrderQueueRepo
    const terminals = yield* TerminalsRepo
    const replica = yield* ReplicaRepo
    const random = yield* SecureRandom
    const inTransaction = yield* withTransaction

    const invalid = (field: string, problem: string) => new InvalidInput({ field, problem, message: `${field}: ${problem}` })

    const announce = Effect.fn("OrderDesk.announce")(function*(member: CountyMember, input: AnnounceAtCounty) {
      const all = yield* terminals.all
      let terminal: string | null = null
      let site: string
      if ("terminal" in input.to) {
        const wanted = input.to.terminal
        const found = all.find((t) => t.terminal === wanted)
        if (found === undefined) return yield* invalid("to.terminal", `the county has no terminal ${wanted}`)
        terminal = found.terminal
        site = found.site
      } else {
        const wanted = input.to.counter
        if (!all.some((t) => t.site === wanted) && member.site !== wanted) return yield* invalid("to.counter", `the county knows no site ${wanted}`)
        site = wanted
      }
      const id = CountyOrderId.make(yield* random.id("cor"))
      yield* queue.insert({
        id,
        destination: terminal === null ? "counter" : "terminal",
        terminal,
        site,
        originSite: member.site,
        announcedBy: member.username,
        documentKind: input.documentKind,
        phone: input.phone,
        requiresOldDocument: input.requiresOldDocument,
        size: input.size,
        preferBand: input.preferBand,
        at: yield* isoNow
      })
      return viewOf(Option.getOrThrow(yield* queue.byId(id)))
    })

    const list = Effect.fn("OrderDesk.list")(function*(member: CountyMember) {
      const rows = yield* queue.list(member.role === "county" ? null : member.site)
      return rows.filter((r) => mayHandle(member, r)).map(viewOf)
    })

    /** The order if the member may handle it; another site's is not found, like one that does not exist. */
    const handled = (member: CountyMember, id: string) =>
      Effect.flatMap(queue.byId(id), (found) =>
        Option.isSome(found) && mayHandle(member, found.value)
          ? Effect.succeed(found.value)
          : Effect.fail(new NotFound({ resource: "order", id, message: `there is no order ${id}` })))

    const cancel = Effect.fn("OrderDesk.cancel")(function*(member: CountyMember, id: string) {
      const before = yield* handled(member, id)
      if (!(yield* queue.cancel({ id, by: member.username, at: yield* isoNow }))) {
        const now = Option.getOrElse(yield* queue.byId(id), () => before)
        return yield* new Conflict({ reason: "WrongState", message: `order ${id} is ${now.status.replace("_", " ")}; it cannot be cancelled now` })
      }
      return viewOf(Option.getOrThrow(yield* queue.byId(id)))
    })

    const handOver = Effect.fn("OrderDesk.handOver")(function*(member: CountyMember, id: string) {
      const before = yield* handled(member, id)
      if (!(yield* queue.handedOver({ id, by: member.username, at: yield* isoNow }))) {
        return yield* new Conflict({ reason: "WrongState", message: `order ${id} is ${before.status.replace("_", " ")}, not waiting at a counter` })
      }
      return viewOf(Option.getOrThrow(yield* queue.byId(id)))
    })

    /** The calling terminal's inbox: its queued orders, phone included, and the cancellations to settle. */
    const inbox = Effect.fn("OrderDesk.inbox")(function*(terminal: string) {
      const orders = yield* queue.ofTerminal(terminal, "queued", MAX_INBOX)
      const cancels = yield* queue.ofTerminal(terminal, "cancelling", MAX_INBOX)
      return {
        orders: orders.flatMap((o) =>
          o.phone === null ? [] : [{
            countyOrder: CountyOrderId.make(o.id),
            documentKind: DocumentKind.make(o.document_kind),
            phone: PhoneNumber.make(o.phone),
            requiresOldDocument: Number(o.requires_old_document) === 1,
            size: o.size,
            preferBand: o.prefer_band
          }]
        ),
        cancels: cancels.map((o) => CountyOrderId.make(o.id))
      } satisfies Inbox
    })

    /** What the calling terminal did; only its own orders change, and a repeated answer changes nothing. */
    const answer = Effect.fn("OrderDesk.answer")(function*(terminal: string, answers: Answers) {
      const at = yield* isoNow
      let changed = 0
      yield* inTransaction(Effect.gen(function*() {
        for (const t of answers.taken) {
          if (!(yield* queue.taken({ id: t.countyOrder, terminal, order: t.order, at }))) continue
          changed++
          // events of the order that arrived before this answer
          const story = progressIn(yield* replica.ofOrder(terminal, t.order, progressTypes)).get(t.order)
          if (story !== undefined) yield* queue.setProgress(terminal, t.order, story)
        }
        for (const r of answers.refused) if (yield* queue.refused({ id: r.countyOrder, terminal, reason: r.reason, at })) changed++
        for (const c of answers.cancels) {
          if (c.outcome === "pending") continue
          const status = c.outcome === "cancelled" || c.outcome === "recalled" ? c.outcome : "too_late"
          const note = status === "too_late"
            ? `cancelled too late: the document was ${c.outcome === "counter" ? "handed over at the counter" : c.outcome}`
            : null
          if (yield* queue.cancelSettled({ id: c.countyOrder, terminal, status, note, at })) changed++
        }
      }))
      return { changed }
    })

    return { announce, list, cancel, handOver, inbox, answer } as const
  }),
  dependencies: [OrderQueueRepo.Default, TerminalsRepo.Default, ReplicaRepo.Default]
}) {}
