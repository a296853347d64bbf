/**
 * Session ids are the kiosk API's capability: whoever knows one acts in the
 * citizen's card session. They come from the operating system's CSPRNG, not
 * from Effect's seedable Random (issue 11). The control: under the same seed,
 * the ids that may be reproducible (orders) do repeat, so the test would see
 * a session id drawn from the seed too.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Random } from "effect"
import { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { makeId } from "../../core/workflows/support.ts"
import { startSession, testTerminal } from "../support/terminal.ts"

const under = <A, E, R>(seed: string, effect: Effect.Effect<A, E, R>) => Effect.withRandom(effect, Random.make(seed))

describe("secrets from the CSPRNG", () => {
  it.effect("the card session's id is drawn from SecureRandom, not from Effect's Random", () =>
    Effect.gen(function*() {
      const marked = Layer.succeed(SecureRandom, {
        digits: (n) => Effect.succeed("0".repeat(n)),
        token: Effect.succeed("marked-token"),
        id: (prefix) => Effect.succeed(`${prefix}_securerandom` as const)
      })
      const id = yield* startSession().pipe(Effect.provide(testTerminal({ random: marked })))
      expect(id).toBe("ses_securerandom")
    }))

  it.effect("SecureRandom.id ignores Effect's Random; makeId follows it; both keep the id format", () =>
    Effect.gen(function*() {
      const secure = yield* SecureRandom
      const seeded = yield* Effect.all([under("x", makeId("ses")), under("x", makeId("ses"))])
      expect(seeded[0]).toBe(seeded[1])
      const drawn = yield* Effect.all(Array.from({ length: 50 }, () => under("x", secure.id("ses"))))
      expect(new Set(drawn).size).toBe(50)
      for (const id of drawn) expect(id).toMatch(/^ses_[0-9a-z]{12}$/)
    }).pipe(Effect.provide(SecureRandom.layerCrypto)))
})
