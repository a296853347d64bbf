/**
 * A small deterministic scenario run, written in the format of
 * docs/run-format.md, until the scenario engine writes real ones: a few sites
 * with different staff behaviour, six months from January 2024 (the spring
 * daylight-saving change and Easter included), K replicates from one seed.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { TerminalEvent } from "../../core/domain/events.ts"
import type { SessionId } from "../../core/domain/ids.ts"
import type { EventRecord } from "../records.ts"
import { localTime } from "../time.ts"
import { app, box, ord, rec, ses, staff, toNdjson } from "./build.ts"

export interface FixtureSite {
  readonly name: string
  /** Documents ready per month. */
  readonly ordersPerMonth: number
  /** Probability that a document is collected at the terminal. */
  readonly terminalChoice: number
  /** Probability that staff recommend the terminal (drives the survey). */
  readonly staffRecommend: number
}

export interface FixtureOptions {
  readonly scenario: string
  readonly seed: number
  readonly replicates: number
  readonly months: number
  readonly sites: ReadonlyArray<FixtureSite>
  readonly respondents: number
  readonly sensitivity: boolean
}

export const statusQuo: FixtureOptions = {
  scenario: "fixture-status-quo",
  seed: 20240101,
  replicates: 2,
  months: 6,
  sites: [
    { name: "Mayen", ordersPerMonth: 80, terminalChoice: 0.3, staffRecommend: 0.8 },
    { name: "Mendig", ordersPerMonth: 60, terminalChoice: 0.008, staffRecommend: 0.02 },
    { name: "Vallendar", ordersPerMonth: 40, terminalChoice: 0.1, staffRecommend: 0.3 }
  ],
  respondents: 120,
  sensitivity: true
}

/** mulberry32: a tiny seeded generator, so the fixture is the same on every machine. */
export const rng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const answers = ["yes", "yes", "yes", "unsure", "no"] as const
const feedback = (sessionId: SessionId, rating: number, recommend: (typeof answers)[number]): TerminalEvent => ({
  _tag: "FeedbackGiven",
  sessionId,
  context: "pickup",
  rating,
  recommend
})

const DAY = 86_400_000
const HOUR = 3_600_000
const START = Date.UTC(2024, 0, 1)

/** One replicate's event log. */
export const fixtureEvents = (options: FixtureOptions, replicate: number): ReadonlyArray<EventRecord> => {
  const random = rng(options.seed * 1000 + replicate)
  const pick = <A>(xs: ReadonlyArray<A>) => xs[Math.floor(random() * xs.length)]!
  const out: Array<{ t: number; r: EventRecord }> = []
  let n = 0
  const at = (t: number) => new Date(t).toISOString()
  const emit = (t: number, site: string, events: ReadonlyArray<TerminalEvent>) =>
    events.forEach((e, i) => out.push({ t: t + i * 1000, r: rec(at(t + i * 1000), site, e) }))
  const end = Date.UTC(2024, options.months, 1)
  // Pickups cluster before work, at lunch, in the evening and at weekends (UTC hours, Berlin is +1/+2).
  const hours = [5, 6, 6, 10, 11, 15, 16, 16, 17, 17, 17, 18, 18, 19, 19, 20, 21, 13, 8, 9]
  for (const site of options.sites) {
    const cards = Array.from({ length: Math.max(4, Math.round(site.ordersPerMonth * site.terminalChoice * 3)) }, (_, i) => `card-${site.name}-${i}`)
    const total = site.ordersPerMonth * options.months
    for (let k = 0; k < total; k++) {
      const o = ord(++n)
      const ready = START + Math.floor(random() * (end - START - 16 * DAY) / DAY) * DAY + 9 * HOUR
      emit(ready, site.name, [{ _tag: "OrderAnnounced", orderId: o, documentKind: pick(["id-card", "passport"]), requiresOldDocument: true, size: "S" }])
      const later = ready + (1 + Math.floor(random() * 8)) * DAY
      if (random() >= site.terminalChoice) {
        const day = localTime(later).weekday
        const counterDay = day >= 5 ? later + (7 - day) * DAY : later
        emit(counterDay + Math.floor(random() * 5) * HOUR, site.name, [{ _tag: "CounterHandover", orderId: o, documentKind: "id-card" }])
        continue
      }
      const c = box(1 + (k % 12))
      emit(ready + HOUR, site.name, [
        { _tag: "CompartmentAssigned", orderId: o, compartmentId: c },
        { _tag: "OrderLoaded", orderId: o, compartmentId: c, by: staff },
        { _tag: "NotificationSent", orderId: o, kind: "ready" }
      ])
      const s = ses(++n)
      const weekendBonus = random() < 0.25 ? (pick([5, 6]) - localTime(later).weekday + 7) % 7 : 0
      const when = later - 9 * HOUR + weekendBonus * DAY + pick(hours) * HOUR + Math.floor(random() * 60) * 60_000
      const card = pick(cards)
      const wrong: ReadonlyArray<TerminalEvent> = random() < 0.1 ? [{ _tag: "CodeRejected", sessionId: s, orderId: o, reason: "wrong", attempt: 1 }] : []
      emit(when, site.name, [
        { _tag: "CardSessionStarted", sessionId: s, cardKey: card },
        { _tag: "PickupStarted", sessionId: s, orderId: o },
        ...wrong,
        { _tag: "CodeVerified", sessionId: s, orderId: o },
        { _tag: "OldDocumentReceived", sessionId: s, orderId: o },
        { _tag: "CompartmentOpened", compartmentId: c, orderId: o, purpose: "pickup" },
        { _tag: "DocumentTaken", orderId: o, compartmentId: c },
        { _tag: "DoorClosed", compartmentId: c },
        { _tag: "PickupCompleted", sessionId: s, orderId: o, documentKind: "id-card", durationMs: 60_000 + Math.floor(random() * 60_000) },
        ...(random() < 0.4 ? [feedback(s, 3 + Math.floor(random() * 3), pick(answers))] : []),
        { _tag: "CardSessionEnded", sessionId: s, reason: "finished" }
      ])
      if (random() < 0.05) {
        const s2 = ses(++n)
        emit(when - 2 * DAY, site.name, [
          { _tag: "CardSessionStarted", sessionId: s2, cardKey: card },
          { _tag: "PickupStarted", sessionId: s2, orderId: o },
          { _tag: "CodeVerified", sessionId: s2, orderId: o },
          { _tag: "PickupAbandoned", sessionId: s2, orderId: o, step: "intake", reason: "no-old-document" },
          { _tag: "CardSessionEnded", sessionId: s2, reason: "cancelled" }
        ])
      }
    }
    const applications = Math.round(site.ordersPerMonth * site.terminalChoice * 0.1 * options.months)
    for (let k = 0; k < applications; k++) {
      const s = ses(++n)
      const a = app(++n)
      emit(START + random() * (end - START), site.name, [
        { _tag: "CardSessionStarted", sessionId: s, cardKey: pick(cards) },
        { _tag: "AttachmentScanned", sessionId: s, pages: 1, bytes: 20_000 },
        {
          _tag: "ApplicationSubmitted",
          sessionId: s,
          applicationId: a,
          serviceId: pick(["dog-registration", "water-pipe-burst", "bulky-waste"]),
          attachments: 1
        },
        { _tag: "ApplicationDelivered", applicationId: a, attempts: 1 },
        { _tag: "CardSessionEnded", sessionId: s, reason: "finished" }
      ])
    }
    const outage = START + random() * (end - START)
    emit(outage, site.name, [{ _tag: "DeviceStatusChanged", device: "sms", online: false, detail: "modem not answering" }])
    emit(outage + 2 * HOUR, site.name, [{ _tag: "DeviceStatusChanged", device: "sms", online: true, detail: "back" }])
  }
  return out.sort((a, b) => a.t - b.t).map((x) => x.r)
}

/** One replicate's synthetic survey (survey.csv). */
export const fixtureSurvey = (options: FixtureOptions, replicate: number): string => {
  const random = rng(options.seed * 7919 + replicate)
  const pick = <A>(xs: ReadonlyArray<A>) => xs[Math.floor(random() * xs.length)]!
  const header = "respondent,site,ageBand,gender,techExperience,intention,usedTerminal,uses,trust,perceivedValue,ease,recommends,staffRecommended,peerExposure"
  const rows = Array.from({ length: options.respondents }, (_, i) => {
    const site = options.sites[i % options.sites.length]!
    const staffRec = random() < site.staffRecommend
    const peer = random() < 0.3 ? Math.round(random() * 100) / 100 : 0
    const used = random() < (staffRec ? 0.6 : 0.05) + peer * 0.2
    const trust = Math.round((used ? 0.6 + random() * 0.4 : random() * 0.7) * 100) / 100
    const ease = Math.round(random() * 100) / 100
    const recommends = used ? (random() < 0.85 ? 1 : 0) : (random() < 0.1 ? 1 : 0)
    const intention = Math.round((random() < 0.64 ? 0.51 + random() * 0.49 : random() * 0.5) * 100) / 100
    return [
      i + 1,
      site.name,
      pick(["18-29", "30-49", "50-64", "65+"]),
      pick(["f", "m"]),
      1 + Math.floor(random() * 5),
      intention,
      used,
      used ? 1 + Math.floor(random() * 3) : 0,
      trust,
      Math.round(random() * 100) / 100,
      ease,
      recommends,
      staffRec,
      peer
    ].join(",")
  })
  return [header, ...rows].join("\n") + "\n"
}

const dailyCsv = (records: ReadonlyArray<EventRecord>): string => {
  const days = new Map<string, Array<number>>()
  for (const r of records) {
    const key = `${localTime(r.at).date},${r.site}`
    const row = days.get(key) ?? [0, 0, 0, 0, 0, 0]
    const e = r.event._tag
    if (e === "OrderLoaded" || e === "CounterHandover") row[0]! += 1
    if (e === "PickupCompleted") row[1]! += 1
    if (e === "CounterHandover") row[2]! += 1
    if (e === "PickupCompleted" || e === "ApplicationSubmitted") row[3]! += 1
    if (e === "ApplicationSubmitted") row[4]! += 1
    if (e === "DeviceStatusChanged" && !r.event.online) row[5]! += 1
    days.set(key, row)
  }
  return [
    "date,site,documentsReady,pickupsTerminal,pickupsCounter,terminalUses,applications,failures",
    ...[...days.entries()].sort().map(([k, v]) => `${k},${v.join(",")}`)
  ].join("\n") + "\n"
}

/** Writes the whole run directory; returns the events of each replicate for the tests to check against. */
export const writeFixtureRun = (dir: string, options: FixtureOptions = statusQuo): ReadonlyArray<ReadonlyArray<EventRecord>> => {
  const logs = Array.from({ length: options.replicates }, (_, i) => fixtureEvents(options, i + 1))
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify(
      {
        scenario: options.scenario,
        rootSeed: options.seed,
        replicates: logs.map((_, i) => ({ replicate: i + 1, seed: options.seed * 1000 + i + 1 })),
        fidelity: "fixture",
        parameters: {
          sites: options.sites.map((s, i) => ({ ...s, ...(i === 0 ? { counter: { servers: 3, serviceMinutes: 12, otherVisitsPerDay: 20 } } : {}) }))
        },
        codeVersion: "0.1.0",
        startedAt: "2024-01-01T00:00:00Z",
        wallSeconds: 0
      },
      null,
      2
    )
  )
  // The shape the scenario engine writes (scenarios/patterns.ts): P1 carries the worst site in its detail.
  writeFileSync(
    join(dir, "summary.json"),
    JSON.stringify({
      patterns: [
        { id: "P1", name: "best site share (worst below 2%)", observed: 0.29, interval: [0.27, 0.31], band: [0.2, 0.35], pass: true, detail: { worst: 0.01 } },
        { id: "P7", name: "repeat use at a second occasion", observed: 0.82, interval: [0.78, 0.86], band: [0.7, 1], pass: true }
      ]
    })
  )
  if (options.sensitivity) {
    writeFileSync(
      join(dir, "sensitivity.json"),
      JSON.stringify([{
        pattern: "P1-best",
        parameters: [
          { name: "peerWeight", muStar: 0.04, sigma: 0.02 },
          { name: "staffRecommendProbability", muStar: 0.21, sigma: 0.05 },
          { name: "networkDegree", muStar: 0.01, sigma: 0.01 },
          { name: "perceivedValue", muStar: 0.09, sigma: 0.04 }
        ]
      }])
    )
  }
  logs.forEach((records, i) => {
    const rep = join(dir, "replicates", String(i + 1))
    mkdirSync(rep, { recursive: true })
    writeFileSync(join(rep, "events.ndjson"), toNdjson(records))
    writeFileSync(join(rep, "daily.csv"), dailyCsv(records))
    writeFileSync(join(rep, "survey.csv"), fixtureSurvey(options, i + 1))
  })
  return logs
}
