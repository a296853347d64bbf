/**
 * Full fidelity: each interaction played through the real workflows against
 * the behavioural twins — staff load and take back through Loading, the
 * citizen's hands through the twins' control handles, codes read from the
 * twin phone — under the virtual clock (SimClock), so months run in seconds.
 */
import { Effect, Fiber, Option } from "effect"
import { Layout } from "../../core/domain/compartment.ts"
import { TerminalPolicy } from "../../core/domain/config.ts"
import type { CompartmentId, OrderId, StaffId } from "../../core/domain/ids.ts"
import { lastCodeIn } from "../../core/domain/rules.ts"
import { DocumentKind, PhoneNumber } from "../../core/domain/values.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { Applications } from "../../core/workflows/Applications.ts"
import { CardSessions } from "../../core/workflows/CardSessions.ts"
import { Feedback } from "../../core/workflows/Feedback.ts"
import { Loading } from "../../core/workflows/Loading.ts"
import { Maintenance } from "../../core/workflows/Maintenance.ts"
import { Pickup } from "../../core/workflows/Pickup.ts"
import { CardTwin, LockerTwin, ScannerTwin, SmsTwin } from "../../hardware-sim/behavioural/index.ts"
import type { Interaction, Outcome } from "../engine/interactions.ts"
import { SimClock } from "./clock.ts"
import { formValues } from "./forms.ts"

export interface Placed {
  readonly orderId: OrderId
  readonly pickupNumber: string
  readonly phone: PhoneNumber
  readonly requiresOldDocument: boolean
}

/** What the driver remembers of one site: its orders and the staff member on duty. */
export interface SiteBook {
  readonly orders: Map<number, Placed>
  readonly staff: StaffId
}

const reasonOf = (e: { readonly _tag: string }) => (e._tag === "PickupFailed" && "reason" in e && typeof e.reason === "string" ? e.reason : e._tag)
const tick = (seconds: number) => Effect.flatMap(SimClock, (clock) => clock.adjust(seconds * 1000))
const phoneOf = (doc: number) => PhoneNumber.make(`+49151${String(doc % 100_000_000).padStart(8, "0")}`)

const announce = (book: SiteBook, doc: number, documentKind: string, requiresOldDocument: boolean) =>
  Effect.gen(function*() {
    const known = book.orders.get(doc)
    if (known !== undefined) return known
    const phone = phoneOf(doc)
    const order = yield* (yield* Loading).announce({ documentKind: DocumentKind.make(documentKind), phone, requiresOldDocument, size: "S", preferBand: null })
    const placed = { orderId: order.id, pickupNumber: order.pickupNumber, phone, requiresOldDocument }
    book.orders.set(doc, placed)
    return placed
  })

/** The last one-time code on the citizen's (twin) phone. */
const lastCode = (phone: string) =>
  Effect.gen(function*() {
    return lastCodeIn((yield* (yield* SmsTwin.SmsTwin).inbox(phone)).map((m) => m.text)) ?? ""
  })

const load = (book: SiteBook, i: Extract<Interaction, { kind: "load" }>) =>
  Effect.gen(function*() {
    const loading = yield* Loading
    const hands = yield* LockerTwin.LockerTwin
    const placed = yield* announce(book, i.doc, i.documentKind, i.requiresOldDocument)
    const started = yield* Effect.either(loading.startLoad(placed.orderId))
    if (started._tag === "Left") {
      const e = started.left
      if (e._tag === "Conflict" && e.reason === "NoFreeCompartment") return "full" as Outcome
      const aborted = yield* (yield* EventLog).last("LoadAborted")
      const offline = (yield* hands.boardsOffline).length > 0
      if (!offline && Option.isSome(aborted) && aborted.value.event._tag === "LoadAborted") {
        yield* (yield* Maintenance).outOfService(aborted.value.event.compartmentId, "lock jammed while loading", book.staff).pipe(Effect.ignore)
      }
      return (offline ? "offline" : "jam") as Outcome
    }
    yield* hands.putItem(started.right.channel)
    yield* hands.close(started.right.channel)
    yield* loading.confirmLoad(placed.orderId, book.staff)
    return "ok" as Outcome
  })

const pickup = (book: SiteBook, i: Extract<Interaction, { kind: "pickup" }>) =>
  Effect.gen(function*() {
    const placed = book.orders.get(i.doc)
    if (placed === undefined) return "failed" as Outcome
    const flow = yield* Pickup
    const sessions = yield* CardSessions
    const hands = yield* LockerTwin.LockerTwin
    const layout = yield* Layout
    const config = yield* TerminalPolicy
    yield* (yield* CardTwin.CardTwin).insert(i.card)
    const started = yield* Effect.either(sessions.start())
    if (started._tag === "Left") return "card" as Outcome
    const session = started.right.sessionId
    const give = (outcome: Outcome) => Effect.as(Effect.ignore(sessions.end(session, outcome === "ok" ? "finished" : "cancelled")), outcome)
    const identified = yield* Effect.either(flow.identify(session, placed.pickupNumber))
    if (identified._tag === "Left") return yield* give(reasonOf(identified.left) === "SmsNotSent" ? "sms" : "failed")
    const code = yield* lastCode(placed.phone)
    yield* (yield* SmsTwin.SmsTwin).clear
    if (i.mistypesCode) yield* Effect.ignore(flow.verify(session, code === "000000" ? "111111" : "000000"))
    const verified = yield* Effect.either(flow.verify(session, code))
    if (verified._tag === "Left") return yield* give("failed")
    if (placed.requiresOldDocument) {
      const intake = yield* Effect.fork(Effect.either(flow.handInOld(session)))
      yield* tick(2)
      if (i.forgetsOldDocument) yield* tick(config.intakeSeconds + 1)
      else {
        yield* Effect.ignore(hands.putItem(layout.intake))
        yield* tick(1)
        yield* Effect.ignore(hands.close(layout.intake))
      }
      const received = yield* Fiber.join(intake)
      if (received._tag === "Left") return yield* give(reasonOf(received.left) === "NoOldDocument" ? "no-old-document" : "offline")
    }
    const opened = yield* Effect.either(flow.open(session))
    if (opened._tag === "Left") return yield* give(reasonOf(opened.left) === "DoorDidNotOpen" ? "jam" : "offline")
    const channel = layout.compartments.find((c) => c.id === opened.right.compartmentId)!.channel
    const completing = yield* Effect.fork(Effect.either(flow.complete(session)))
    yield* tick(1)
    yield* Effect.ignore(hands.takeItem(channel))
    yield* Effect.ignore(hands.close(channel))
    yield* tick(1)
    const done = yield* Fiber.join(completing)
    if (done._tag === "Left") return yield* give("failed")
    if (i.feedback !== null) yield* Effect.ignore((yield* Feedback).give(session, "pickup", i.feedback.rating, i.feedback.recommend))
    book.orders.delete(i.doc)
    return yield* give("ok")
  })

const takeBack = (book: SiteBook, doc: number) =>
  Effect.gen(function*() {
    const placed = book.orders.get(doc)
    if (placed === undefined) return "ok" as Outcome
    const loading = yield* Loading
    const hands = yield* LockerTwin.LockerTwin
    book.orders.delete(doc)
    const opened = yield* Effect.either(loading.startReturn(placed.orderId, { id: book.staff, role: "supervisor" }, "uncollected at the end of its shelf life"))
    if (opened._tag === "Left") return "failed" as Outcome
    yield* Effect.ignore(hands.takeItem(opened.right.channel))
    yield* Effect.ignore(hands.close(opened.right.channel))
    return (yield* Effect.either(loading.confirmReturn(placed.orderId, book.staff)))._tag === "Right" ? "ok" as Outcome : "failed" as Outcome
  })

const application = (i: Extract<Interaction, { kind: "application" }>) =>
  Effect.gen(function*() {
    const apps = yield* Applications
    const sessions = yield* CardSessions
    yield* (yield* CardTwin.CardTwin).insert(i.card)
    const started = yield* Effect.either(sessions.start())
    if (started._tag === "Left") return "card" as Outcome
    const session = started.right.sessionId
    const service = yield* Effect.either(apps.service(i.serviceId))
    if (service._tag === "Left") return "failed" as Outcome
    const attachments = []
    for (const spec of service.right.attachments.filter((a) => a.required)) {
      yield* (yield* ScannerTwin.ScannerTwin).place(1)
      const scan = yield* Effect.either(apps.scan(session))
      if (scan._tag === "Left") return "failed" as Outcome
      attachments.push({ name: spec.name, attachmentId: scan.right.attachmentId })
    }
    const filed = yield* Effect.either(apps.submit(session, i.serviceId, formValues(service.right), attachments))
    yield* Effect.ignore(sessions.end(session, "finished"))
    return filed._tag === "Right" ? "ok" as Outcome : "failed" as Outcome
  })

const fault = (book: SiteBook, i: Extract<Interaction, { kind: "fault" }>) =>
  Effect.gen(function*() {
    const layout = yield* Layout
    if (i.fault === "jam") {
      const c = layout.compartments[i.slot % layout.compartments.length]!
      yield* Effect.ignore((yield* LockerTwin.LockerTwin).jam(c.channel, i.on))
      if (!i.on) yield* Effect.ignore((yield* Maintenance).backInService(c.id as CompartmentId, book.staff))
    } else if (i.fault === "locker-offline") {
      const boards = [...new Set([layout.intake.board, ...layout.compartments.map((c) => c.channel.board)])]
      for (const b of boards) yield* (yield* LockerTwin.LockerTwin).setBoardOnline(b, !i.on)
    } else if (i.fault === "sms-outage") yield* (yield* SmsTwin.SmsTwin).setFault(i.on ? "network" : "none")
    else yield* (yield* CardTwin.CardTwin).setFault(i.on ? "offline" : "none")
    return "ok" as Outcome
  })

const daily = Effect.gen(function*() {
  yield* Effect.ignore((yield* Loading).runPolicies())
  yield* Effect.ignore((yield* Applications).deliverDue())
  yield* Effect.ignore((yield* CardSessions).sweep)
  return "ok" as Outcome
})

/** Plays one interaction at its site's terminal; the outcome as the workflows decided it. */
export const play = (book: SiteBook, i: Interaction) =>
  Effect.gen(function*() {
    switch (i.kind) {
      case "counter": {
        const placed = yield* announce(book, i.doc, i.documentKind, true)
        yield* (yield* Loading).counterHandover(placed.orderId)
        book.orders.delete(i.doc)
        return "ok" as Outcome
      }
      case "load":
        return yield* load(book, i)
      case "pickup":
        return yield* pickup(book, i)
      case "return":
        return yield* takeBack(book, i.doc)
      case "application":
        return yield* application(i)
      case "fault":
        return yield* fault(book, i)
      case "daily":
        return yield* daily
    }
  }).pipe(Effect.catchAll((e) => Effect.as(Effect.logWarning(`${i.kind} at ${i.t}: ${e._tag}`), "failed" as Outcome)))
