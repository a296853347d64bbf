/**
 * The back-off against guessing pickup numbers and codes, attacked through
 * the real workflows under TestClock. Every simulated request costs 100 ms;
 * an attacker who is throttled waits exactly the `retryAfterSeconds` the
 * terminal names, then tries again.
 *
 * The bound per window follows from the policy alone: within a window of W
 * seconds every failure in it still counts at least f = 2^(-W/H) (H the
 * half-life), so after the k-th failure in the window the score is at least
 * k·f and the scope is blocked for at least base·2^(k·f − threshold) seconds
 * once k·f exceeds threshold − 1. The blocks between the failures in a window
 * must fit in W; the largest n whose blocks fit is the bound.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { defaultPolicy, type Policy } from "../../core/domain/config.ts"
import type { PickupFailed } from "../../core/domain/errors.ts"
import { luhnCheckDigit, type SessionId } from "../../core/domain/ids.ts"
import { Pickup } from "../../core/workflows/Pickup.ts"
import { lastCode, loadOrder, startSession, testTerminal, tick } from "../support/terminal.ts"

const policy: Policy = { ...defaultPolicy, sessionIdleSeconds: 3600 }
const WINDOW_SECONDS = 60
const STEP = "100 millis"

/** The most failures a scope with this threshold accepts in any window of `windowSeconds`. */
const boundPerWindow = (threshold: number, windowSeconds: number, p: Policy = policy) => {
  const f = 2 ** (-windowSeconds / p.failureHalfLifeSeconds)
  let blocked = 0
  let k = 1
  for (;; k++) {
    const score = k * f
    blocked += score <= threshold - 1 ? 0 : Math.min(p.terminalMaxDelaySeconds, p.failureBaseDelaySeconds * 2 ** (score - threshold))
    if (blocked > windowSeconds) return k
  }
}
const perCardBound = boundPerWindow(policy.cardFailuresBeforeDelay, WINDOW_SECONDS)
const terminalBound = boundPerWindow(policy.terminalFailuresBeforeDelay, WINDOW_SECONDS)

/** The most timestamps (millis) that fall into one window of `windowSeconds`. */
const mostInAWindow = (times: ReadonlyArray<number>, windowSeconds = WINDOW_SECONDS) => {
  let best = 0
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! > windowSeconds * 1000) i++
    best = Math.max(best, j - i + 1)
  }
  return best
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** An unknown pickup number (its check digit is right, nothing waits under it). */
let unknownCounter = 0
const unknownNumber = () => {
  const base = String(9_000_000 + ++unknownCounter).padStart(7, "0")
  return `${base}${luhnCheckDigit(base)}`
}

/** One guess of an unknown pickup number; waits out a Throttled answer. Returns whether the guess was accepted. */
const guess = (session: SessionId) =>
  Effect.gen(function*() {
    const pickup = yield* Pickup
    const e = yield* Effect.flip(pickup.identify(session, unknownNumber())) as Effect.Effect<PickupFailed | unknown>
    yield* tick(STEP)
    const failed = e as PickupFailed
    if (failed.reason === "Throttled") {
      expect(failed.retryAfterSeconds).toBeGreaterThan(0)
      return { accepted: false, retryAfterSeconds: failed.retryAfterSeconds! }
    }
    expect(failed.reason).toBe("UnknownPickupNumber")
    return { accepted: true, retryAfterSeconds: 0 }
  })

/** A citizen verifies the code of their own order correctly (in a fresh session, so the success is real). */
const verifyOwn = (order: { readonly pickupNumber: string; readonly phone: string | null }, card: string) =>
  Effect.gen(function*() {
    const pickup = yield* Pickup
    const session = yield* startSession(card)
    yield* tick(STEP)
    const identified = yield* Effect.either(pickup.identify(session, order.pickupNumber))
    yield* tick(STEP)
    if (identified._tag === "Right") {
      expect((yield* Effect.either(pickup.verify(session, yield* lastCode(order.phone!))))._tag).toBe("Right")
      yield* tick(STEP)
    }
    return session
  })

describe("the terminal's back-off against guessing", () => {
  it("the stated bounds, from the default policy", () => {
    expect(perCardBound).toBe(9)
    expect(terminalBound).toBe(14)
  })

  it.effect("a citizen alternating a correct code of their own order with unknown numbers gets no more guesses than the bound", () =>
    Effect.gen(function*() {
      const { order } = yield* loadOrder({ requiresOldDocument: false })
      const accepted: Array<number> = []
      const end = (yield* now) + 10 * 60_000
      while ((yield* now) < end) {
        const session = yield* verifyOwn(order, "mallory")
        for (let i = 0; i < 4; i++) {
          const at = yield* now
          const g = yield* guess(session)
          if (g.accepted) accepted.push(at)
          else yield* tick(`${g.retryAfterSeconds} seconds`)
        }
        // stop early once the bound is broken (the unprotected terminal takes hundreds a minute)
        if (mostInAWindow(accepted) > perCardBound) break
      }
      expect(mostInAWindow(accepted)).toBeLessThanOrEqual(perCardBound)
      // not a terminal that refuses everything: the first burst got through
      expect(accepted.length).toBeGreaterThanOrEqual(policy.cardFailuresBeforeDelay)
    }).pipe(Effect.provide(testTerminal({ config: policy }))), 120_000)

  it.effect("failures fade: after quiet time the card and the terminal accept attempts again", () =>
    Effect.gen(function*() {
      const session = yield* startSession("carol")
      let accepted = 0
      while (accepted < policy.cardFailuresBeforeDelay + 3) {
        const g = yield* guess(session)
        if (g.accepted) accepted++
        else yield* tick(`${g.retryAfterSeconds} seconds`)
      }
      const g = yield* guess(session)
      expect(g.accepted).toBe(false)
      // six half-lives: the score is down to a sixty-fourth
      yield* tick(`${6 * policy.failureHalfLifeSeconds} seconds`)
      const later = yield* startSession("carol")
      for (let i = 0; i < policy.cardFailuresBeforeDelay - 1; i++) {
        expect((yield* guess(later)).accepted).toBe(true)
      }
    }).pipe(Effect.provide(testTerminal({ config: policy }))))

  it.effect("one card is throttled while another still gets its attempts; a new session with the same card stays throttled", () =>
    Effect.gen(function*() {
      const alice = yield* startSession("alice")
      for (let i = 0; i < policy.cardFailuresBeforeDelay; i++) {
        expect((yield* guess(alice)).accepted).toBe(true)
      }
      expect((yield* guess(alice)).accepted).toBe(false)
      const again = yield* startSession("alice")
      const refused = yield* guess(again)
      expect(refused.accepted).toBe(false)
      expect(refused.retryAfterSeconds).toBeGreaterThan(0)
      const bob = yield* startSession("bob")
      for (let i = 0; i < policy.terminalFailuresBeforeDelay - policy.cardFailuresBeforeDelay; i++) {
        expect((yield* guess(bob)).accepted).toBe(true)
      }
    }).pipe(Effect.provide(testTerminal({ config: policy }))))

  // mostly guesses, a correct code now and then, short pauses: dense enough that an unprotected
  // terminal breaks the bounds in most runs
  const action = fc.oneof(
    { arbitrary: fc.constant({ _tag: "verify" as const }), weight: 2 },
    { arbitrary: fc.record({ _tag: fc.constant("guess" as const), card: fc.constantFrom("dave", "erin") }), weight: 6 },
    { arbitrary: fc.record({ _tag: fc.constant("wait" as const), seconds: fc.integer({ min: 0, max: 30 }) }), weight: 1 }
  )

  it.effect.prop(
    "for any interleaving of correct codes, guesses by two cards and pauses, the accepted guesses per window stay under the bounds",
    [fc.array(action, { minLength: 20, maxLength: 120 })],
    ([actions]) =>
      Effect.gen(function*() {
        const { order } = yield* loadOrder({ requiresOldDocument: false })
        // one citizen at a time: a card's session lasts until another card is inserted
        let current: { readonly card: string; readonly session: SessionId } | null = null
        const accepted: Record<string, Array<number>> = { dave: [], erin: [] }
        for (const a of actions) {
          if (a._tag === "wait") {
            yield* tick(`${a.seconds} seconds`)
          } else if (a._tag === "verify") {
            current = { card: "dave", session: yield* verifyOwn(order, "dave") }
          } else {
            if (current === null || current.card !== a.card) current = { card: a.card, session: yield* startSession(a.card) }
            const session = current.session
            const at = yield* now
            const g = yield* guess(session)
            if (g.accepted) accepted[a.card]!.push(at)
            // the attacker never waits longer than it must: straight on, or exactly the retry time
            else if (a.card === "erin") yield* tick(`${g.retryAfterSeconds} seconds`)
          }
        }
        expect(mostInAWindow(accepted["dave"]!)).toBeLessThanOrEqual(perCardBound)
        expect(mostInAWindow(accepted["erin"]!)).toBeLessThanOrEqual(perCardBound)
        expect(mostInAWindow([...accepted["dave"]!, ...accepted["erin"]!].sort((x, y) => x - y))).toBeLessThanOrEqual(terminalBound)
      }).pipe(Effect.provide(testTerminal({ config: policy }))),
    { timeout: 240_000, fastCheck: { numRuns: 12 } }
  )
})
