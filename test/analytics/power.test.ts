/**
 * P3's power: the survey size the harness names for detecting the smallest
 * effect of interest is the size at which such an effect, injected into a
 * synthetic survey, is detected about 80 % of the time — and at the study's
 * n of 300 it mostly is not, which is why P3's "no effect" is weak
 * evidence there. Without an effect, a large survey shows equivalence
 * (TOST); the study's n does so only about half the time.
 */
import { Effect, Random } from "effect"
import { describe, expect, it } from "vitest"
import { demographicPower, equivalenceShare, SMALLEST_EFFECT } from "../../analytics/power.ts"
import type { Respondent } from "../../analytics/survey.ts"

/** n respondents; use with probability 0.08 + effect · (age band − 2.5). */
const survey = (n: number, effect: number) =>
  Effect.gen(function*() {
    const rows: Array<Respondent> = []
    for (let i = 0; i < n; i++) {
      const age = 1 + (yield* Random.nextIntBetween(0, 4))
      const tech = yield* Random.nextIntBetween(0, 3)
      const female = (yield* Random.next) < 0.51
      const used = (yield* Random.next) < 0.08 + effect * (age - 2.5)
      rows.push({
        respondent: String(i),
        site: "A",
        ageBand: String(age),
        gender: female ? "female" : "male",
        techExperience: String(tech),
        intention: 0.5,
        usedTerminal: used,
        uses: used ? 1 : 0,
        trust: 0.5,
        perceivedValue: 0.5,
        ease: 0.5,
        recommends: 0,
        staffRecommended: false,
        peerExposure: 0
      })
    }
    return rows
  })

const run = <A>(effect: Effect.Effect<A>, seed: number) => Effect.runSync(Effect.withRandom(effect, Random.make(seed)))
const age = (rows: ReadonlyArray<Respondent>) => demographicPower(rows)!.terms.find((t) => t.name === "ageBand")!

describe("P3's power at the study's n", () => {
  it("an injected effect of the smallest size of interest is detected at the n the harness names, not at 300", () => {
    const claimed = Math.round(
      Array.from({ length: 20 }, (_, k) => age(run(survey(300, 0), k)).n80).reduce((a, b) => a + b, 0) / 20
    )
    expect(claimed).toBeGreaterThan(300) // the study's n is too small for this effect
    const rate = (n: number) => Array.from({ length: 150 }, (_, k) => age(run(survey(n, SMALLEST_EFFECT), 1000 + k)).detected).filter(Boolean).length / 150
    const atClaimed = rate(claimed)
    expect(atClaimed).toBeGreaterThan(0.65)
    expect(atClaimed).toBeLessThan(0.95)
    expect(rate(300)).toBeLessThan(0.5)
  }, 120_000)

  it("without an effect: rarely detected; equivalence shown in a large survey, at 300 only about half the time", () => {
    const at = (n: number) => Array.from({ length: 60 }, (_, k) => age(run(survey(n, 0), 5000 + k)))
    const small = at(300)
    const large = at(4000)
    expect(small.filter((t) => t.detected).length / small.length).toBeLessThan(0.1)
    const shown = (ts: typeof small) => ts.filter((t) => t.equivalent).length / ts.length
    expect(shown(small)).toBeLessThan(0.6) // at 300, "no effect" is shown about as often as not
    expect(shown(large)).toBeGreaterThan(0.95)
  }, 120_000)

  it("equivalence with no effect is shown about 80 % of the time at the n the harness names for it", () => {
    const claimed = Math.round(
      Array.from({ length: 20 }, (_, k) => age(run(survey(300, 0), k)).nEquivalent80).reduce((a, b) => a + b, 0) / 20
    )
    expect(claimed).toBeGreaterThan(300)
    const shown = Array.from({ length: 150 }, (_, k) => age(run(survey(claimed, 0), 9000 + k)).equivalent).filter(Boolean).length / 150
    expect(shown).toBeGreaterThan(0.65)
    expect(shown).toBeLessThan(0.95)
  }, 120_000)

  it("P3 is n/a on a survey too small to show equivalence, and fails on a large one with a real effect", () => {
    // the study's n cannot show "no effect": not a pass, not a failure
    expect(run(survey(300, 0), 1).length).toBe(300)
    expect(equivalenceShare(run(survey(300, 0), 1))).toBeNull()
    // a large survey without an effect shows it for (nearly) every term
    expect(equivalenceShare(run(survey(6000, 0), 2))).toBeGreaterThanOrEqual(2 / 3)
    // an effect twice the smallest of interest: the age term is not shown equivalent
    const withEffect = run(survey(6000, 2 * SMALLEST_EFFECT), 3)
    expect(age(withEffect).equivalent).toBe(false)
    expect(equivalenceShare(withEffect)).toBeLessThan(1)
  }, 120_000)
})
