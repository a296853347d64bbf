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
 */
import { PickupStep } from "../core/domain/events.ts"
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

const emptySteps = (): Record<PickupStep, number> => Object.fromEntries(PickupStep.literals.map((s) => [s, 0])) as Record<PickupStep, number>

const funnelOf = (site: string, records: ReadonlyArray<EventRecord>): Funnel => {
  const count = new Tally()
  const steps = emptySteps()
  const reasons = new Tally()
  const identify = new Tally()
  const used = new Set<string>()
  const scanned = new Set<string>()
  const sessions = new Set<string>()
  const wrongPickups = new Set<string>()
  for (const r of records) {
    const e = r.event
    count.add(e._tag)
    switch (e._tag) {
      case "CardSessionStarted":
        sessions.add(e.sessionId)
        break
      case "PickupCompleted":
      case "ApplicationSubmitted":
        used.add(e.sessionId)
        break
      case "AttachmentScanned":
        scanned.add(e.sessionId)
        break
      case "PickupAbandoned":
        steps[e.step] += 1
        reasons.add(e.reason)
        break
      case "PickupIdentifyFailed":
        identify.add(e.reason)
        break
      case "CodeRejected":
        if (e.reason === "wrong") {
          count.add("wrong")
          wrongPickups.add(`${e.sessionId}|${e.orderId}`)
        }
        if (e.reason === "expired") count.add("expired")
        break
      default:
        break
    }
  }
  const codeEntries = count.get("CodeVerified") + count.get("CodeRejected")
  const pickupsStarted = count.get("PickupStarted")
  return {
    site,
    sessions: sessions.size,
    pickupsStarted,
    codesVerified: count.get("CodeVerified"),
    oldDocumentsReceived: count.get("OldDocumentReceived"),
    pickupsCompleted: count.get("PickupCompleted"),
    pickupsAbandoned: count.get("PickupAbandoned"),
    abandonedByStep: steps,
    abandonedByReason: reasons.entries().map(([reason, n]) => ({ reason, count: n })),
    identifyFailed: identify.entries().map(([reason, n]) => ({ reason, count: n })),
    sessionsWithoutUse: [...sessions].filter((s) => !used.has(s)).length,
    applicationsNotSubmitted: [...scanned].filter((s) => !used.has(s)).length,
    codeEntries,
    wrongCodes: count.get("wrong"),
    expiredCodes: count.get("expired"),
    wrongCodeRate: ratio(count.get("wrong"), codeEntries),
    pickupsWithWrongCode: wrongPickups.size,
    shareOfPickupsWithWrongCode: ratio(wrongPickups.size, pickupsStarted),
    ordersLocked: count.get("OrderLocked")
  }
}

/** One funnel per site, in the order given. */
export const funnels = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<Funnel> => {
  const bySite = new Map<string, Array<EventRecord>>(sites.map((s) => [s, []]))
  for (const r of records) bySite.get(r.site)?.push(r)
  return sites.map((site) => funnelOf(site, bySite.get(site) ?? []))
}
