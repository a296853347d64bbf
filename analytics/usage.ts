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
 *
 * Each is a fold over the records in time order: `UseTracker` tells the uses,
 * `MonthSpan` the months, `UsageCounts` keeps the per-site-and-month counts;
 * the functions below fold a whole log, the running summary (summary.ts) one
 * record at a time.
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

/** Tells, record by record in time order, which records are uses and whose. */
export class UseTracker {
  private readonly cardOf = new Map<string, string>()
  private readonly seen = new Set<string>()

  /** The use `r` is, or undefined when it is none. */
  use(r: EventRecord): Use | undefined {
    const e = r.event
    if (e._tag === "CardSessionStarted") this.cardOf.set(e.sessionId, e.cardKey)
    if (e._tag !== "PickupCompleted" && e._tag !== "ApplicationSubmitted") return undefined
    const cardKey = this.cardOf.get(e.sessionId) ?? null
    const first = cardKey !== null && !this.seen.has(cardKey)
    if (cardKey !== null) this.seen.add(cardKey)
    return { at: r.at, site: r.site, kind: e._tag === "PickupCompleted" ? "pickup" : "application", cardKey, first }
  }
}

/** Every use of the terminal, in time order. */
export const terminalUses = (records: ReadonlyArray<EventRecord>): ReadonlyArray<Use> => {
  const tracker = new UseTracker()
  const uses: Array<Use> = []
  for (const r of records) {
    const u = tracker.use(r)
    if (u !== undefined) uses.push(u)
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

/** The first to the last local month of the months added (in any order). */
export class MonthSpan {
  private first: string | null = null
  private last: string | null = null

  add(month: string): void {
    if (this.first === null || month < this.first) this.first = month
    if (this.last === null || month > this.last) this.last = month
  }

  months(): ReadonlyArray<string> {
    return this.first === null || this.last === null ? [] : monthRange(this.first, this.last)
  }
}

/** The months every site is reported for: the log's first to last local month. */
export const monthsOf = (records: ReadonlyArray<EventRecord>, timeZone: string): ReadonlyArray<string> => {
  const span = new MonthSpan()
  for (const r of records) span.add(localOf(r, timeZone).monthKey)
  return span.months()
}

export interface ServiceCount {
  readonly site: string
  readonly month: string
  readonly serviceId: string
  readonly count: number
}

const addTo = (map: Map<string, Set<string>>, key: string, card: string) => {
  const set = map.get(key) ?? new Set<string>()
  set.add(card)
  map.set(key, set)
}

/**
 * The counts per site and local month as a fold. Besides counters it keeps
 * the card keys per site and month, and the orders announced and counted as
 * ready (where, and whether by their load or by a counter handover).
 */
export class UsageCounts {
  private readonly t = {
    ready: new Tally(),
    terminal: new Tally(),
    counter: new Tally(),
    uses: new Tally(),
    applications: new Tally(),
    firsts: new Tally()
  }
  private readonly usersIn = new Map<string, Set<string>>()
  private readonly returningIn = new Map<string, Set<string>>()
  private readonly byService = new Tally()
  private readonly announced = new Map<string, string>()
  private readonly ready = new Map<string, { readonly key: string; readonly loaded: boolean }>()

  /** Adds the next record: `key` is its `siteMonth`, `use` the use it is (`UseTracker`), if any. */
  add(r: EventRecord, key: string, use: Use | undefined): void {
    const e = r.event
    const t = this.t
    if (e._tag === "OrderAnnounced" && !this.announced.has(e.orderId)) this.announced.set(e.orderId, key)
    if (e._tag === "OrderLoaded") {
      const before = this.ready.get(e.orderId)
      if (before === undefined || !before.loaded) {
        // a handover counted before the order turned out to be loaded no longer counts
        if (before !== undefined) t.ready.add(before.key, -1)
        this.ready.set(e.orderId, { key, loaded: true })
        t.ready.add(key)
      }
    }
    if (e._tag === "CounterHandover") {
      if (!this.ready.has(e.orderId)) {
        const at = this.announced.get(e.orderId) ?? key
        this.ready.set(e.orderId, { key: at, loaded: false })
        t.ready.add(at)
      }
      t.counter.add(key)
    }
    if (e._tag === "PickupCompleted") t.terminal.add(key)
    if (e._tag === "ApplicationSubmitted") this.byService.add(`${key}\u0000${e.serviceId}`)
    if (use === undefined) return
    t.uses.add(key)
    if (use.kind === "application") t.applications.add(key)
    if (use.cardKey === null) return
    addTo(this.usersIn, key, use.cardKey)
    if (use.first) t.firsts.add(key)
    else addTo(this.returningIn, key, use.cardKey)
  }

  /** One row per site and month, sites outer. */
  rows(sites: ReadonlyArray<string>, months: ReadonlyArray<string>, queue: QueueConfig): ReadonlyArray<SiteMonthUsage> {
    const t = this.t
    return sites.flatMap((site) =>
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
          users: this.usersIn.get(key)?.size ?? 0,
          firstTimeUsers: t.firsts.get(key),
          returningUsers: this.returningIn.get(key)?.size ?? 0,
          counterMinutesSaved: pickupsTerminal * queue.minutesPerHandover
        }
      })
    )
  }

  /** Submitted applications per site, local month and service. */
  services(): ReadonlyArray<ServiceCount> {
    return this.byService.entries().map(([key, count]) => {
      const [site, month, serviceId] = key.split("\u0000") as [string, string, string]
      return { site, month, serviceId, count }
    })
  }
}

const foldUsage = (records: ReadonlyArray<EventRecord>, timeZone: string) => {
  const uses = new UseTracker()
  const span = new MonthSpan()
  const counts = new UsageCounts()
  for (const r of records) {
    const month = localOf(r, timeZone).monthKey
    span.add(month)
    counts.add(r, siteMonth(r.site, month), uses.use(r))
  }
  return { counts, months: span.months() }
}

export const siteMonthUsage = (
  records: ReadonlyArray<EventRecord>,
  timeZone: string,
  queue: QueueConfig
): ReadonlyArray<SiteMonthUsage> => {
  const { counts, months } = foldUsage(records, timeZone)
  return counts.rows(sitesOf(records), months, queue)
}

/** Submitted applications per site, local month and service. */
export const applicationsByService = (records: ReadonlyArray<EventRecord>, timeZone: string): ReadonlyArray<ServiceCount> =>
  foldUsage(records, timeZone).counts.services()
