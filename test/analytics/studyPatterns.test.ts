/**
 * The synthetic survey (intention vs. use, recommendation sources, spiral)
 * and the study comparison table with pass or fail.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { analyseReplicate, buildReport, patternsFromSummary } from "../../analytics/run.ts"
import { parseSensitivity } from "../../analytics/sensitivity.ts"
import { comparisonTable, inputsFromLog, observe, pickupsInFirstMonths } from "../../analytics/studyPatterns.ts"
import { summarise } from "../../analytics/summary.ts"
import { parseSurvey, surveyBySite } from "../../analytics/survey.ts"
import { counter, pickupEvents } from "../../analytics/synthetic/build.ts"
import { compareReports, shareRatio } from "../../analytics/twoRuns.ts"

const config = defaultAnalyticsConfig
const header = "respondent,site,ageBand,gender,techExperience,intention,usedTerminal,uses,trust,perceivedValue,ease,recommends,staffRecommended,peerExposure"

describe("synthetic survey", () => {
  const rows = parseSurvey([
    header,
    "1,A,18-29,f,3,0.8,true,2,0.9,0.7,0.8,1,true,0",
    "2,A,65+,m,1,0.4,false,0,0.2,0.3,0.5,0,false,0.5",
    "3,B,30-49,f,4,0.6,1,1,0.7,0.6,0.6,yes,0,0.3",
    "4,B,50-64,m,2,0.5,0,0,0.4,0.5,0.4,no,1,0",
    ",,,,,,,,,,,,,"
  ].join("\n"))

  it("reads booleans written in any common way and drops rows without a site", () => {
    expect(rows).toHaveLength(4)
    expect(rows.map((r) => [r.usedTerminal, r.recommends, r.staffRecommended])).toEqual([[true, 1, true], [false, 0, false], [true, 1, false], [
      false,
      0,
      true
    ]])
  })

  it("gives intention vs. use, recommendation sources and the spiral per site and overall", () => {
    const [a, b, all] = surveyBySite(rows)
    expect(a).toEqual({
      site: "A",
      respondents: 2,
      intentionShare: 0.5,
      useShare: 0.5,
      sources: { staffOnly: 1, peersOnly: 0, both: 0, neither: 0 },
      spiral: {
        useIfStaffRecommended: 1,
        useIfNotStaffRecommended: 0,
        meanTrustUsers: 0.9,
        meanTrustNonUsers: 0.2,
        recommendIfUsed: 1,
        recommendIfNotUsed: 0,
        meanPeerExposure: 0.25
      }
    })
    expect(b).toMatchObject({ intentionShare: 0.5, useShare: 0.5, sources: { staffOnly: 0, peersOnly: 1 } }) // 0.5 is not above 0.5
    expect(all).toMatchObject({ site: "all", respondents: 4, sources: { staffOnly: 0.5, peersOnly: 0.5, both: 0, neither: 0 } })
    expect(all!.spiral).toMatchObject({ useIfStaffRecommended: 0.5, useIfNotStaffRecommended: 0.5 })
  })
})

describe("study comparison", () => {
  // A: 1 of 4 handovers at the terminal (25 %); B: none of 2.
  const log = [
    ...pickupEvents("2024-05-06T18:00:00Z", "A", 1, 1, "a"),
    counter("2024-05-07T08:00:00Z", "A", 2),
    counter("2024-05-07T08:10:00Z", "A", 3),
    counter("2024-05-07T08:20:00Z", "A", 4),
    counter("2024-05-08T08:00:00Z", "B", 5),
    counter("2024-05-08T08:10:00Z", "B", 6)
  ]

  it("observes best and worst site, pickups among uses and pickups in the first months", () => {
    const summary = summarise(log, config)
    expect(observe(inputsFromLog(summary, null, config))).toEqual({ "P1-best": 0.25, "P1-worst": 0, P5: 1, P6: null, P7: 0, P8: null, P9: null })
    // P6 counts whole months of service: the log ends on 8 May, so May is not over
    const a = inputsFromLog(summary, null, config).sites.find((x) => x.site === "A")!
    expect(a).toEqual({ site: "A", months: [{ month: "2024-05", pickupsTerminal: 1, pickupsCounter: 3 }], lastMonthComplete: false })
    expect(pickupsInFirstMonths(a, 1)).toBeNull()
    expect(pickupsInFirstMonths({ ...a, lastMonthComplete: true }, 1)).toBe(1)
    expect(pickupsInFirstMonths({ ...a, lastMonthComplete: true }, 2)).toBeNull() // the log ends before two months
  })

  it("a one-site log has no spread between sites: P1 is n/a there, not a failure", () => {
    const one = summarise(log.filter((r) => r.site === "A"), config)
    const obs = observe(inputsFromLog(one, null, config))
    expect(obs["P1-best"]).toBeNull()
    expect(obs["P1-worst"]).toBeNull()
    const rows = comparisonTable([obs])
    expect(rows.find((r) => r.id === "P1-best")).toMatchObject({ pass: null, source: "none" })
    expect(rows.find((r) => r.id === "P5")).toMatchObject({ pass: true })
  })

  it("passes when the mean across replicates lies in the band, with the summary's P7 preferred", () => {
    const rows = comparisonTable(
      [{ "P1-best": 0.2, P5: 0.9 }, { "P1-best": 0.3, P5: 0.7 }],
      patternsFromSummary({
        patterns: [{ id: "P7", mean: 0.8, interval: [0.7, 0.9], n: 3 }, { id: "nonsense", mean: 1 }]
      })
    )
    const row = (id: string) => rows.find((r) => r.id === id)!
    expect(row("P1-best")).toMatchObject({ observed: { n: 2, mean: 0.25 }, pass: true, source: "events" })
    // Student t with one degree of freedom: 0.25 ± 12.706 · 0.05 (sd 0.0707…, /√2), a share clipped to [0, 1]
    expect(row("P1-best").observed.low).toBe(0)
    expect(row("P1-best").observed.high).toBeCloseTo(0.25 + 12.706 * 0.05, 10)
    expect(row("P5").observed.high).toBe(1)
    expect(row("P5")).toMatchObject({ observed: { mean: 0.8 }, pass: true })
    expect(row("P7")).toMatchObject({ observed: { mean: 0.8, low: 0.7, high: 0.9, n: 3 }, pass: true, source: "summary.json" })
    expect(row("P2")).toMatchObject({ pass: null, source: "none" })
    expect(row("P8")).toMatchObject({ pass: null, source: "none" })
    expect(comparisonTable([{ "P1-worst": 0.05 }]).find((r) => r.id === "P1-worst")).toMatchObject({ pass: false })
  })

  it("reads the scenario engine's summary.json and keeps its verdict beside the recomputed one", () => {
    const reported = patternsFromSummary({
      patterns: [
        { id: "P1", observed: 0.3, interval: [0.25, 0.35], band: [0.2, 0.35], pass: true, detail: { worst: 0.05 } },
        { id: "P6", observed: 120, interval: [100, 140], band: [100, 300], pass: true }
      ]
    })
    expect(reported["P1-best"]).toMatchObject({ mean: 0.3, low: 0.25, high: 0.35, pass: true })
    expect(reported["P1-worst"]).toMatchObject({ mean: 0.05, pass: false })
    const rows = comparisonTable([{ P6: 90 }], reported)
    expect(rows.find((r) => r.id === "P6")).toMatchObject({ observed: { mean: 90 }, pass: false, source: "events", reported: { mean: 120, pass: true } })
    expect(rows.find((r) => r.id === "P1-best")).toMatchObject({ source: "summary.json", pass: true }) // not observable here: taken over
    expect(patternsFromSummary(null)).toEqual({})
  })

  it("compares two runs: P8 is share(A) / share(B) per replicate pair", () => {
    const run = (terminal: number, atCounter: number) => [
      ...Array.from({ length: terminal }, (_, i) => pickupEvents(`2024-05-06T1${i}:00:00Z`, "A", i + 1, i + 1, `c${i}`)).flat(),
      ...Array.from({ length: atCounter }, (_, i) => counter(`2024-05-07T0${i}:00:00Z`, "A", 100 + i))
    ]
    const a = [analyseReplicate(1, run(1, 9), null, config)] // 10 %
    const b = [analyseReplicate(1, run(5, 5), null, config)] // 50 %
    expect(shareRatio(a, b).mean).toBeCloseTo(0.2, 12)
    const report = (replicates: typeof a) => buildReport({ generatedAt: "t", source: { kind: "run", path: "x", scenario: null }, config, replicates })
    const c = compareReports(report(a), report(b), { a: "posters", b: "staff" }, "t")
    expect(c.p8).toMatchObject({ id: "P8", pass: true, source: "compare" }) // 0.2 ≤ 0.25
    expect(c.siteDelta).toEqual([{ site: "A", shareA: 0.1, shareB: 0.5, delta: 0.4, pickupsA: 1, pickupsB: 5 }])
  })

  it("reads sensitivity.json, one pattern or many, largest μ* first", () => {
    const one = parseSensitivity({ pattern: "P1-best", parameters: [{ name: "a", muStar: 0.1, sigma: 0 }, { name: "b", muStar: 0.3, sigma: 0.1 }] })
    expect(Either.getOrThrow(one)[0]!.parameters.map((p) => p.name)).toEqual(["b", "a"])
    expect(Either.getOrThrow(parseSensitivity([]))).toEqual([])
    expect(Either.isLeft(parseSensitivity({ pattern: "P1", parameters: [{ name: "a" }] }))).toBe(true)
  })
})
