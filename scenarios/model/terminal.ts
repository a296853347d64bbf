/**
 * Model fidelity: one terminal reduced to its state (compartments, jammed
 * locks, devices offline) and the workflows' rules, giving each interaction
 * its outcome and — when a sink listens — the events the real workflows
 * would have appended, in the same order.
 */
import type { AbandonReason, TerminalEvent } from "../../core/domain/events.ts"
import { type CompartmentId, type OrderId, type SessionId, type StaffId } from "../../core/domain/ids.ts"
import type { Calendar } from "../engine/calendar.ts"
import type { Interaction, Outcome } from "../engine/interactions.ts"
import type { Rng } from "../engine/rng.ts"
import type { EventSink } from "../output/eventlog.ts"
import { cardKeyOf, makeId } from "./ids.ts"

const DAY_MS = 86_400_000
const FREE = -1
const OUT = -2

interface Loaded {
  readonly order: OrderId
  readonly documentKind: string
  readonly requiresOldDocument: boolean
  readonly slot: number
  readonly at: number
  reminded: boolean
  expired: boolean
}

export class ModelTerminal {
  private readonly slots: Int32Array
  private readonly jammed: Uint8Array
  private lockerOffline = false
  private smsOutage = false
  private cardOffline = false
  private readonly announced = new Map<number, OrderId>()
  private readonly loaded = new Map<number, Loaded>()
  private readonly pendingApplications: Array<string> = []
  private readonly staff: StaffId
  private at = 0
  private started = false

  constructor(
    readonly site: number,
    compartments: number,
    private readonly calendar: Calendar,
    private readonly rng: Rng,
    private readonly sink: EventSink | undefined,
    private readonly cardKey: Uint8Array,
    private readonly intakeSeconds: number
  ) {
    this.slots = new Int32Array(compartments).fill(FREE)
    this.jammed = new Uint8Array(compartments)
    this.staff = makeId(rng, "stf") as StaffId
  }

  private log(offsetSeconds: number, event: TerminalEvent): void {
    if (this.sink !== undefined) this.sink.emit(this.at + offsetSeconds * 1000, this.site, event)
  }
  private id<P extends string>(prefix: P): string {
    return this.sink === undefined ? prefix : makeId(this.rng, prefix)
  }
  private orderOf(doc: number): OrderId {
    let order = this.announced.get(doc)
    if (order === undefined) {
      order = this.id("ord") as OrderId
      this.announced.set(doc, order)
    }
    return order
  }
  private alarm(s: number, kind: "jam" | "device_offline", slot: number | null, detail: string): void {
    this.log(s, { _tag: "AlarmRaised", alarmId: this.id("alm") as never, kind, compartmentId: slot === null ? null : (slot + 1) as CompartmentId, detail })
  }

  play(i: Interaction): Outcome {
    this.at = this.calendar.epochMs(i.t)
    if (!this.started) {
      this.started = true
      this.log(0, { _tag: "TerminalStarted", version: "0.1.0", devices: "model (scenario, model fidelity)" })
    }
    switch (i.kind) {
      case "counter": {
        const known = this.announced.has(i.doc)
        const orderId = this.orderOf(i.doc)
        if (!known) this.log(0, { _tag: "OrderAnnounced", orderId, documentKind: i.documentKind, requiresOldDocument: true, size: "S" })
        this.log(60, { _tag: "CounterHandover", orderId, documentKind: i.documentKind })
        this.announced.delete(i.doc)
        return "ok"
      }
      case "load":
        return this.load(i.doc, i.documentKind, i.requiresOldDocument)
      case "pickup":
        return this.pickup(i)
      case "return": {
        const l = this.loaded.get(i.doc)
        if (l === undefined) return "ok"
        this.log(0, { _tag: "CompartmentOpened", compartmentId: (l.slot + 1) as CompartmentId, orderId: l.order, purpose: "return" })
        this.log(30, { _tag: "OrderReturned", orderId: l.order, by: this.staff })
        if (this.slots[l.slot] !== OUT) this.slots[l.slot] = FREE
        this.loaded.delete(i.doc)
        this.announced.delete(i.doc)
        return "ok"
      }
      case "application":
        return this.application(i.card, i.serviceId)
      case "fault":
        return this.fault(i.fault, i.on, i.slot)
      case "daily":
        return this.daily()
    }
  }

  private load(doc: number, documentKind: string, requiresOldDocument: boolean): Outcome {
    const orderId = this.orderOf(doc)
    this.log(0, { _tag: "OrderAnnounced", orderId, documentKind, requiresOldDocument, size: "S" })
    const slot = this.slots.indexOf(FREE)
    if (slot < 0) return "full"
    const compartmentId = (slot + 1) as CompartmentId
    this.log(1, { _tag: "CompartmentAssigned", orderId, compartmentId })
    if (this.lockerOffline || this.jammed[slot] === 1) {
      const reason = this.lockerOffline ? "Offline" : "Jammed"
      const attempts = this.lockerOffline ? 1 : 3
      for (let a = 1; a <= attempts; a++) this.log(1 + a, { _tag: "CompartmentOpenFailed", compartmentId, attempt: a, reason })
      this.alarm(5, this.lockerOffline ? "device_offline" : "jam", slot, `compartment ${slot + 1}: did not open`)
      this.log(5, { _tag: "LoadAborted", orderId, compartmentId, reason: "door did not open" })
      if (!this.lockerOffline) {
        this.slots[slot] = OUT
        this.log(60, { _tag: "CompartmentOutOfService", compartmentId, reason: "lock jammed while loading", by: this.staff })
      }
      return this.lockerOffline ? "offline" : "jam"
    }
    this.slots[slot] = doc
    this.log(2, { _tag: "CompartmentOpened", compartmentId, orderId, purpose: "load" })
    this.log(40, { _tag: "OrderLoaded", orderId, compartmentId, by: this.staff })
    this.log(
      41,
      this.smsOutage
        ? { _tag: "NotificationFailed", orderId, kind: "ready", reason: "RetryLater" }
        : { _tag: "NotificationSent", orderId, kind: "ready" }
    )
    this.loaded.set(doc, { order: orderId, documentKind, requiresOldDocument, slot, at: this.at, reminded: false, expired: false })
    return "ok"
  }

  private session(card: string): SessionId | undefined {
    if (this.cardOffline) {
      this.log(0, { _tag: "CardReadFailed", reason: "Offline" })
      return undefined
    }
    const sessionId = this.id("ses") as SessionId
    this.log(0, { _tag: "CardSessionStarted", sessionId, cardKey: this.sink === undefined ? "" : cardKeyOf(this.cardKey, card) })
    return sessionId
  }

  private pickup(i: Extract<Interaction, { kind: "pickup" }>): Outcome {
    const l = this.loaded.get(i.doc)
    if (l === undefined || l.expired) return "failed"
    const sessionId = this.session(i.card)
    if (sessionId === undefined) return "card"
    const orderId = l.order
    const end = (s: number, reason: "finished" | "cancelled") => this.log(s, { _tag: "CardSessionEnded", sessionId, reason })
    this.log(20, { _tag: "PickupStarted", sessionId, orderId })
    if (this.smsOutage) {
      this.log(21, { _tag: "NotificationFailed", orderId, kind: "code", reason: "RetryLater" })
      end(40, "cancelled")
      return "sms"
    }
    this.log(21, { _tag: "NotificationSent", orderId, kind: "code" })
    let s = 60
    if (i.mistypesCode) this.log(s - 15, { _tag: "CodeRejected", sessionId, orderId, reason: "wrong", attempt: 1 })
    this.log(s, { _tag: "CodeVerified", sessionId, orderId })
    const compartmentId = (l.slot + 1) as CompartmentId
    const fail = (at: number, step: "intake" | "open", reason: AbandonReason, outcome: Outcome): Outcome => {
      this.log(at, { _tag: "PickupAbandoned", sessionId, orderId, step, reason })
      end(at + 5, "cancelled")
      return outcome
    }
    if (this.lockerOffline) {
      this.log(s + 1, { _tag: "CompartmentOpenFailed", compartmentId: null, attempt: 1, reason: "Offline" })
      this.alarm(s + 2, "device_offline", null, "intake slot: board does not answer")
      return fail(s + 2, "intake", "device-error", "offline")
    }
    if (l.slot >= 0 && this.jammed[l.slot] === 0 && this.slots[l.slot] === OUT) return fail(s + 1, "open", "door-did-not-open", "jam")
    if (l.requiresOldDocument) {
      this.log(s + 2, { _tag: "CompartmentOpened", compartmentId: null, orderId, purpose: "intake" })
      if (i.forgetsOldDocument) return fail(s + 2 + this.intakeSeconds, "intake", "no-old-document", "no-old-document")
      this.log(s + 20, { _tag: "OldDocumentReceived", sessionId, orderId })
      s += 22
    }
    if (this.jammed[l.slot] === 1) {
      for (let a = 1; a <= 3; a++) this.log(s + a, { _tag: "CompartmentOpenFailed", compartmentId, attempt: a, reason: "Jammed" })
      this.slots[l.slot] = OUT
      this.log(s + 4, { _tag: "CompartmentOutOfService", compartmentId, reason: "door did not open", by: null })
      this.alarm(s + 4, "jam", l.slot, `compartment ${compartmentId} did not open`)
      return fail(s + 4, "open", "door-did-not-open", "jam")
    }
    this.log(s, { _tag: "CompartmentOpened", compartmentId, orderId, purpose: "pickup" })
    this.log(s + 15, { _tag: "DocumentTaken", orderId, compartmentId })
    this.log(s + 15, { _tag: "PickupCompleted", sessionId, orderId, documentKind: l.documentKind, durationMs: (s + 15) * 1000 })
    this.log(s + 20, { _tag: "DoorClosed", compartmentId })
    if (i.feedback !== null) {
      this.log(s + 35, { _tag: "FeedbackGiven", sessionId, context: "pickup", rating: i.feedback.rating, recommend: i.feedback.recommend })
    }
    end(s + 40, "finished")
    this.slots[l.slot] = FREE
    this.loaded.delete(i.doc)
    this.announced.delete(i.doc)
    return "ok"
  }

  private application(card: string, serviceId: string): Outcome {
    const sessionId = this.session(card)
    if (sessionId === undefined) return "card"
    const applicationId = this.id("app")
    const attachments = serviceId === "grave-monument" || serviceId === "parking-permit" ? 1 : 0
    if (attachments > 0) this.log(120, { _tag: "AttachmentScanned", sessionId, pages: 1, bytes: 2400 })
    this.log(300, { _tag: "ApplicationSubmitted", sessionId, applicationId: applicationId as never, serviceId, attachments })
    this.log(320, { _tag: "CardSessionEnded", sessionId, reason: "finished" })
    this.pendingApplications.push(applicationId)
    return "ok"
  }

  private fault(kind: Extract<Interaction, { kind: "fault" }>["fault"], on: boolean, slot: number): Outcome {
    if (kind === "jam" && slot < this.jammed.length) {
      this.jammed[slot] = on ? 1 : 0
      if (!on && this.slots[slot] === OUT) {
        const held = [...this.loaded.entries()].find(([, l]) => l.slot === slot)
        this.slots[slot] = held === undefined ? FREE : held[0]
        this.log(0, { _tag: "CompartmentBackInService", compartmentId: (slot + 1) as CompartmentId, by: this.staff })
      }
    } else if (kind === "locker-offline") {
      this.lockerOffline = on
      this.log(0, { _tag: "DeviceStatusChanged", device: "locker", online: !on, detail: "board 0" })
    } else if (kind === "sms-outage") this.smsOutage = on
    else if (kind === "card-offline") this.cardOffline = on
    return "ok"
  }

  private daily(): Outcome {
    for (const l of this.loaded.values()) {
      if (!l.expired && this.at - l.at > 21 * DAY_MS) {
        l.expired = true
        this.log(0, { _tag: "OrderExpired", orderId: l.order })
      } else if (!l.reminded && !l.expired && this.at - l.at > 7 * DAY_MS && !this.smsOutage) {
        l.reminded = true
        this.log(0, { _tag: "NotificationSent", orderId: l.order, kind: "reminder" })
        this.log(0, { _tag: "OrderReminded", orderId: l.order })
      }
    }
    for (const [k, applicationId] of this.pendingApplications.entries()) {
      this.log(k, {
        _tag: "ApplicationDeliveryAttempted",
        applicationId: applicationId as never,
        attempt: 1,
        outcome: "delivered",
        detail: `BUE-${String(k + 1).padStart(5, "0")}`
      })
      this.log(k, { _tag: "ApplicationDelivered", applicationId: applicationId as never, attempts: 1 })
    }
    this.pendingApplications.length = 0
    return "ok"
  }
}
