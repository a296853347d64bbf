/**
 * Use of the terminal per site and local month: documents ready, handed over
 * at the terminal or at the counter, the terminal's share, uses, first and
 * repeat users, applications by service and counter minutes saved.
 *
 * Definitions (all over records in time order, see `inTimeOrder`):
 * - a document is ready at its `OrderLoaded`; an order handed over at the
 *   counter without ever being loaded is ready at its `OrderAnnounced` (or at
 *   the `CounterHandover` when the announcement is not in the log);
 * - a terminal pickup is a `PickupCompleted`, a counter handover a `CounterHandover`;
 *   terminal share = terminal pickups / (terminal pickups + counter handovers);
 * - a use is a completed pickup or a submitted application; its user is the
 *   `cardKey` of the session's `CardSessionStarted`; a user's first use anywhere
 *   makes them a first-time user in that site and month, later uses a repeat.
 */
import type { QueueConfig } from "./config.ts"
import { type EventRecord, localOf, ratio, siteMonth, sitesOf, Tally } from "./records.ts"
import { monthRange } from "./time.ts"

export interface Use {
  readonly at: string
  readonly site: string
  readonly kind: "pickup" | "application"
  /** The user's card key, or null when the session's start is not in the log. */
  readonly cardKey: string | null
  /** The card key's first use in the log. */
  readonly first: boolean
}

/** Every use of the terminal, in time order. */
export const terminalUses = (records: ReadonlyArray<EventRecord>): ReadonlyArray<Use> => {
  const cardOf = new Map<string, string>()
  const seen = new Set<string>()
  const uses: Array<Use> = []
  for (const r of records) {
    const e = r.event
    if (e._tag === "CardSessionStarted") cardOf.set(e.sessionId, e.cardKey)
    if (e._tag !== "PickupCompleted" && e._tag !== "ApplicationSubmitted") continue
    const cardKey = cardOf.get(e.sessionId) ?? null
    const first = cardKey !== null && !seen.has(cardKey)
    if (cardKey !== null) seen.add(cardKey)
    uses.push({ at: r.at, site: r.site, kind: e._tag === "PickupCompleted" ? "pickup" : "application", cardKey, first })
  }
  return uses
}

export interface SiteMonthUsage {
  readonly site: string
  readonly month: string
  readonly documentsReady: number
  readonly pickupsTerminal: number
  readonly pickupsCounter: number
  /** Terminal pickups / all handovers; null when nothing was handed over. */
  readonly terminalShare: number | null
  readonly uses: number
  readonly applications: number
  /** Distinct card keys with a use in the month. */
  readonly users: number
  /** Card keys whose first use fell in the month. */
  readonly firstTimeUsers: number
  /** Card keys in the month with an earlier use. */
  readonly returningUsers: number
  readonly counterMinutesSaved: number
}

/** The months every site is reported for: the log's first to last local month. */
export const monthsOf = (records: ReadonlyArray<EventRecord>, timeZone: string): ReadonlyArray<string> => {
  if (records.length === 0) return []
  let first = localOf(records[0]!, timeZone).monthKey
  let last = first
  for (const r of records) {
    const m = localOf(r, timeZone).monthKey
    if (m < first) first = m
    if (m > last) last = m
  }
  return monthRange(first, last)
}

/** Ready time per order, as defined above. */
const readyEvents = (records: ReadonlyArray<EventRecord>): ReadonlyArray<EventRecord> => {
  const loaded = new Set<string>()
  const announced = new Map<string, EventRecord>()
  for (const r of records) {
    const e = r.event
    if (e._tag === "OrderLoaded") loaded.add(e.orderId)
  }
  const ready: Array<EventRecord> = []
  const counted = new Set<string>()
  for (const r of records) {
    const e = r.event
    if (e._tag === "OrderAnnounced" && !announced.has(e.orderId)) announced.set(e.orderId, r)
    if (e._tag === "OrderLoaded" && !counted.has(e.orderId)) {
      counted.add(e.orderId)
      ready.push(r)
    }
    if (e._tag === "CounterHandover" && !loaded.has(e.orderId) && !counted.has(e.orderId)) {
      counted.add(e.orderId)
      ready.push(announced.get(e.orderId) ?? r)
    }
  }
  return ready
}

export const siteMonthUsage = (
  records: ReadonlyArray<EventRecord>,
  timeZone: string,
  queue: QueueConfig
): ReadonlyArray<SiteMonthUsage> => {
  const months = monthsOf(records, timeZone)
  const t = {
    ready: new Tally(),
    terminal: new Tally(),
    counter: new Tally(),
    uses: new Tally(),
    applications: new Tally(),
    firsts: new Tally()
  }
  const usersIn = new Map<string, Set<string>>()
  const returningIn = new Map<string, Set<string>>()
  const add = (map: Map<string, Set<string>>, key: string, card: string) => {
    const set = map.get(key) ?? new Set<string>()
    set.add(card)
    map.set(key, set)
  }
  const keyOf = (r: { readonly at: string; readonly site: string }) => siteMonth(r.site, localOf(r, timeZone).monthKey)
  for (const r of readyEvents(records)) t.ready.add(keyOf(r))
  for (const r of records) {
    if (r.event._tag === "PickupCompleted") t.terminal.add(keyOf(r))
    if (r.event._tag === "CounterHandover") t.counter.add(keyOf(r))
  }
  for (const u of terminalUses(records)) {
    const key = keyOf(u)
    t.uses.add(key)
    if (u.kind === "application") t.applications.add(key)
    if (u.cardKey === null) continue
    add(usersIn, key, u.cardKey)
    if (u.first) t.firsts.add(key)
    else add(returningIn, key, u.cardKey)
  }
  return sitesOf(records).flatMap((site) =>
    months.map((month): SiteMonthUsage => {
      const key = siteMonth(site, month)
      const pickupsTerminal = t.terminal.get(key)
      const pickupsCounter = t.counter.get(key)
      return {
        site,
        month,
        documentsReady: t.ready.get(key),
        pickupsTerminal,
        pickupsCounter,
        terminalShare: ratio(pickupsTerminal, pickupsTerminal + pickupsCounter),
        uses: t.uses.get(key),
        applications: t.applications.get(key),
        users: usersIn.get(key)?.size ?? 0,
        firstTimeUsers: t.firsts.get(key),
        returningUsers: returningIn.get(key)?.size ?? 0,
        counterMinutesSaved: pickupsTerminal * queue.minutesPerHandover
      }
    })
  )
}

export interface ServiceCount {
  readonly site: string
  readonly month: string
  readonly serviceId: string
  readonly count: number
}

/** Submitted applications per site, local month and service. */
export const applicationsByService = (records: ReadonlyArray<EventRecord>, timeZone: string): ReadonlyArray<ServiceCount> => {
  const tally = new Tally()
  for (const r of records) {
    if (r.event._tag === "ApplicationSubmitted") tally.add(`${siteMonth(r.site, localOf(r, timeZone).monthKey)}\u0000${r.event.serviceId}`)
  }
  return tally.entries().map(([key, count]) => {
    const [site, month, serviceId] = key.split("\u0000") as [string, string, string]
    return { site, month, serviceId, count }
  })
}
