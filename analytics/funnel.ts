/**
 * Where people give up, and how often codes are mistyped.
 *
 * The pickup funnel per site: sessions, pickups started, codes verified, old
 * documents received, pickups completed; abandoned pickups by step and
 * reason; failed identifications by reason. Applications started but not
 * submitted are sessions with a scanned attachment and no submission.
 *
 * Wrong-code rate = wrong codes / code entries (verified + rejected); the share
 * of pickups with a wrong code counts started pickups with at least one.
 *
 * One site's funnel is a fold (`SiteFunnel`): its events go in one at a time,
 * in time order, and the funnel is read at any point; `funnels` folds a whole
 * log, the running summary (summary.ts) one event at a time.
 */
import { PickupStep, type TerminalEvent } from "../core/domain/events.ts"
import { type EventRecord, ratio, Tally } from "./records.ts"

export interface Funnel {
  readonly site: string
  readonly sessions: number
  readonly pickupsStarted: number
  readonly codesVerified: number
  readonly oldDocumentsReceived: number
  readonly pickupsCompleted: number
  readonly pickupsAbandoned: number
  /** Abandoned pickups by the step they stopped at. */
  readonly abandonedByStep: Readonly<Record<PickupStep, number>>
  /** Abandoned pickups by stated reason, e.g. "timeout", "no-old-document". */
  readonly abandonedByReason: ReadonlyArray<{ readonly reason: string; readonly count: number }>
  /** Pickup numbers refused before a pickup started, by reason. */
  readonly identifyFailed: ReadonlyArray<{ readonly reason: string; readonly count: number }>
  readonly sessionsWithoutUse: number
  readonly applicationsNotSubmitted: number
  readonly codeEntries: number
  readonly wrongCodes: number
  readonly expiredCodes: number
  readonly wrongCodeRate: number | null
  readonly pickupsWithWrongCode: number
  readonly shareOfPickupsWithWrongCode: number | null
  readonly ordersLocked: number
}

/**
 * The funnel of one site as a fold. It keeps counters and the identities the
 * definitions need (sessions, used and scanned sessions, pickups with a wrong
 * code); the two "without use" figures are kept as running counts, so reading
 * costs nothing that grows with the log.
 */
export class SiteFunnel {
  private readonly count = new Tally()
  private readonly steps = Object.fromEntries(PickupStep.literals.map((s) => [s, 0])) as Record<PickupStep, number>
  private readonly reasons = new Tally()
  private readonly identify = new Tally()
  private readonly sessions = new Set<string>()
  private readonly used = new Set<string>()
  private readonly scanned = new Set<string>()
  private readonly wrongPickups = new Set<string>()
  private sessionsWithoutUse = 0
  private scannedWithoutUse = 0

  add(e: TerminalEvent): void {
    this.count.add(e._tag)
    switch (e._tag) {
      case "CardSessionStarted":
        if (!this.sessions.has(e.sessionId)) {
          this.sessions.add(e.sessionId)
          if (!this.used.has(e.sessionId)) this.sessionsWithoutUse += 1
        }
        break
      case "PickupCompleted":
      case "ApplicationSubmitted":
        if (!this.used.has(e.sessionId)) {
          this.used.add(e.sessionId)
          if (this.sessions.has(e.sessionId)) this.sessionsWithoutUse -= 1
          if (this.scanned.has(e.sessionId)) this.scannedWithoutUse -= 1
        }
        break
      case "AttachmentScanned":
        if (!this.scanned.has(e.sessionId)) {
          this.scanned.add(e.sessionId)
          if (!this.used.has(e.sessionId)) this.scannedWithoutUse += 1
        }
        break
      case "PickupAbandoned":
        this.steps[e.step] += 1
        this.reasons.add(e.reason)
        break
      case "PickupIdentifyFailed":
        this.identify.add(e.reason)
        break
      case "CodeRejected":
        if (e.reason === "wrong") {
          this.count.add("wrong")
          this.wrongPickups.add(`${e.sessionId}|${e.orderId}`)
        }
        if (e.reason === "expired") this.count.add("expired")
        break
      default:
        break
    }
  }

  funnel(site: string): Funnel {
    const count = this.count
    const codeEntries = count.get("CodeVerified") + count.get("CodeRejected")
    const pickupsStarted = count.get("PickupStarted")
    return {
      site,
      sessions: this.sessions.size,
      pickupsStarted,
      codesVerified: count.get("CodeVerified"),
      oldDocumentsReceived: count.get("OldDocumentReceived"),
      pickupsCompleted: count.get("PickupCompleted"),
      pickupsAbandoned: count.get("PickupAbandoned"),
      abandonedByStep: { ...this.steps },
      abandonedByReason: this.reasons.entries().map(([reason, n]) => ({ reason, count: n })),
      identifyFailed: this.identify.entries().map(([reason, n]) => ({ reason, count: n })),
      sessionsWithoutUse: this.sessionsWithoutUse,
      applicationsNotSubmitted: this.scannedWithoutUse,
      codeEntries,
      wrongCodes: count.get("wrong"),
      expiredCodes: count.get("expired"),
      wrongCodeRate: ratio(count.get("wrong"), codeEntries),
      pickupsWithWrongCode: this.wrongPickups.size,
      shareOfPickupsWithWrongCode: ratio(this.wrongPickups.size, pickupsStarted),
      ordersLocked: count.get("OrderLocked")
    }
  }
}

/** One funnel per site, in the order given; `records` in time order. */
export const funnels = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<Funnel> => {
  const bySite = new Map(sites.map((s) => [s, new SiteFunnel()]))
  for (const r of records) bySite.get(r.site)?.add(r.event)
  return sites.map((site) => bySite.get(site)!.funnel(site))
}
