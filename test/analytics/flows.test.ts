/**
 * Where people abandon, wrong codes, device failures and alarms, feedback.
 */
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { feedbackBySite } from "../../analytics/feedback.ts"
import { funnels } from "../../analytics/funnel.ts"
import { reliability } from "../../analytics/reliability.ts"
import { summarise } from "../../analytics/summary.ts"
import { alarmId, box, ord, pickupEvents, rec, ses } from "../../analytics/synthetic/build.ts"

const A = "Mayen"
const t = "2024-05-06T10:00:00Z"

describe("pickup funnel and wrong codes", () => {
  // Session 1: two wrong codes, then a complete pickup. Session 2: an expired code, then verified,
  // abandoned at the intake slot. Session 3: unknown pickup number, timed out. Session 4: scanned,
  // never submitted.
  const log = [
    ...pickupEvents(t, A, 1, 1, "a", 2),
    rec(t, A, { _tag: "CardSessionStarted", sessionId: ses(2), cardKey: "b" }),
    rec(t, A, { _tag: "PickupStarted", sessionId: ses(2), orderId: ord(2) }),
    rec(t, A, { _tag: "CodeRejected", sessionId: ses(2), orderId: ord(2), reason: "expired", attempt: 1 }),
    rec(t, A, { _tag: "CodeVerified", sessionId: ses(2), orderId: ord(2) }),
    rec(t, A, { _tag: "PickupAbandoned", sessionId: ses(2), orderId: ord(2), step: "intake", reason: "no-old-document" }),
    rec(t, A, { _tag: "CardSessionStarted", sessionId: ses(3), cardKey: "c" }),
    rec(t, A, { _tag: "PickupIdentifyFailed", sessionId: ses(3), reason: "unknown" }),
    rec(t, A, { _tag: "CardSessionEnded", sessionId: ses(3), reason: "timeout" }),
    rec(t, A, { _tag: "CardSessionStarted", sessionId: ses(4), cardKey: "d" }),
    rec(t, A, { _tag: "AttachmentScanned", sessionId: ses(4), pages: 2, bytes: 100 }),
    rec(t, A, { _tag: "OrderLocked", orderId: ord(9) })
  ]

  it("counts each stage, where and why pickups stopped, and wrong-code rates", () => {
    const [f] = funnels(log, [A])
    expect(f).toEqual({
      site: A,
      sessions: 4,
      pickupsStarted: 2,
      codesVerified: 2,
      oldDocumentsReceived: 1,
      pickupsCompleted: 1,
      pickupsAbandoned: 1,
      abandonedByStep: { identify: 0, code: 0, intake: 1, open: 0, take: 0, close: 0 },
      abandonedByReason: [{ reason: "no-old-document", count: 1 }],
      identifyFailed: [{ reason: "unknown", count: 1 }],
      sessionsWithoutUse: 3,
      applicationsNotSubmitted: 1,
      codeEntries: 5,
      wrongCodes: 2,
      expiredCodes: 1,
      wrongCodeRate: 0.4,
      pickupsWithWrongCode: 1,
      shareOfPickupsWithWrongCode: 0.5,
      ordersLocked: 1
    })
  })

  it("an empty log gives zeros and no rates", () => {
    expect(funnels([], [])).toEqual([])
    expect(funnels([], [A])[0]).toMatchObject({ sessions: 0, codeEntries: 0, wrongCodeRate: null, shareOfPickupsWithWrongCode: null })
  })
})

describe("device failures and alarms", () => {
  const log = [
    rec("2024-05-06T10:00:00Z", A, { _tag: "DeviceStatusChanged", device: "locker", online: false, detail: "bus silent" }),
    rec("2024-05-06T11:00:00Z", A, { _tag: "CompartmentOpenFailed", compartmentId: box(3), attempt: 1, reason: "no answer" }),
    rec("2024-05-06T11:00:01Z", A, { _tag: "CompartmentOpenFailed", compartmentId: box(3), attempt: 2, reason: "no answer" }),
    rec("2024-05-06T11:00:02Z", A, { _tag: "AlarmRaised", alarmId: alarmId(1), kind: "jam", compartmentId: box(3), detail: "" }),
    rec("2024-05-06T13:00:00Z", A, { _tag: "DeviceStatusChanged", device: "locker", online: true, detail: "back" }),
    rec("2024-05-06T15:00:00Z", A, { _tag: "CardReadFailed", reason: "chip" }),
    rec("2024-05-06T18:00:00Z", A, { _tag: "AlarmRaised", alarmId: alarmId(2), kind: "door_left_open", compartmentId: box(2), detail: "" }),
    rec("2024-05-06T20:00:00Z", A, { _tag: "DeviceStatusChanged", device: "sms", online: false, detail: "modem" }),
    rec("2024-05-06T22:00:00Z", "Mendig", { _tag: "CardReadFailed", reason: "chip" })
  ]

  it("counts failures by kind, offline hours until back or the end of the log, and alarms by kind", () => {
    const [mayen, mendig] = reliability(log, [A, "Mendig"])
    expect(mayen).toMatchObject({
      offline: { locker: 1, card: 0, sms: 1, scanner: 0, authority: 0 },
      offlineHours: { locker: 3, card: 0, sms: 2, scanner: 0, authority: 0 },
      doorOpenFailures: 2,
      cardReadFailures: 1,
      deviceFailures: 5,
      alarmsTotal: 2
    })
    expect(mayen!.alarms).toMatchObject({ jam: 1, door_left_open: 1, device_offline: 0 })
    expect(mendig).toMatchObject({ deviceFailures: 1, alarmsTotal: 0 })
  })
})

describe("feedback", () => {
  it("averages ratings and counts recommendation answers per site", () => {
    const give = (i: number, rating: number, recommend: "yes" | "no" | "unsure", context: "pickup" | "application" = "pickup") =>
      rec(t, A, { _tag: "FeedbackGiven", sessionId: ses(i), context, rating, recommend })
    const [f, none] = feedbackBySite([give(1, 5, "yes"), give(2, 4, "yes", "application"), give(3, 5, "no"), give(4, 1, "unsure")], [A, "Mendig"])
    expect(f).toEqual({
      site: A,
      responses: 4,
      meanRating: 3.75,
      ratings: [1, 0, 0, 1, 2],
      recommend: { yes: 2, no: 1, unsure: 1 },
      recommendShare: 0.5,
      byContext: { pickup: 3, application: 1, other: 0 }
    })
    expect(none).toMatchObject({ responses: 0, meanRating: null, recommendShare: null })
  })

  it("counts feedback per site and month too", () => {
    const give = (at: string, rating: number, recommend: "yes" | "no") =>
      rec(at, A, { _tag: "FeedbackGiven", sessionId: ses(1), context: "pickup", rating, recommend })
    const rows =
      summarise([give("2024-05-31T21:59:00Z", 4, "yes"), give("2024-05-31T22:00:00Z", 2, "no"), give("2024-06-10T10:00:00Z", 5, "yes")], defaultAnalyticsConfig)
        .siteMonths
    // 31 May 22:00 UTC is already 1 June in Berlin (CEST)
    expect(rows.map((r) => [r.month, r.feedbackResponses, r.meanRating, r.recommendYes])).toEqual([["2024-05", 1, 4, 1], ["2024-06", 2, 3.5, 1]])
  })
})
