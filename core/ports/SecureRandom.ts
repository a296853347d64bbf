/**
 * The port for randomness that must be unpredictable to an attacker. The
 * default draws from the operating system's CSPRNG; simulations and tests
 * may provide a seeded one.
 */
import { Context, Effect, Layer, Random } from "effect"
import { randomBytes, randomInt } from "node:crypto"

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

/** For the seeded layer only: 12 base-36 characters from Effect's Random. */
const seededId = <P extends string>(prefix: P): Effect.Effect<`${P}_${string}`> =>
  Effect.gen(function*() {
    let out = ""
    for (let i = 0; i < 12; i++) out += alphabet[yield* Random.nextIntBetween(0, 36)]
    return `${prefix}_${out}` as const
  })

/**
 * Randomness that must be unpredictable to an attacker: one-time codes,
 * session tokens and card-session ids (the kiosk API's capability). The
 * default draws from the operating system's CSPRNG; simulations and tests may
 * provide a seeded one.
 */
export class SecureRandom extends Context.Tag("amtomat/SecureRandom")<SecureRandom, {
  readonly digits: (n: number) => Effect.Effect<string>
  readonly token: Effect.Effect<string>
  /** An id like `makeId`'s (prefix, 12 base-36 characters), but unguessable. */
  readonly id: <P extends string>(prefix: P) => Effect.Effect<`${P}_${string}`>
}>() {
  static readonly layerCrypto = Layer.succeed(SecureRandom, {
    digits: (n) => Effect.sync(() => Array.from({ length: n }, () => randomInt(0, 10)).join("")),
    token: Effect.sync(() => randomBytes(32).toString("base64url")),
    id: <P extends string>(prefix: P) =>
      Effect.sync((): `${P}_${string}` => `${prefix}_${Array.from({ length: 12 }, () => alphabet[randomInt(0, 36)]).join("")}`)
  })
  /** Uses Effect's `Random` service: reproducible from a seed. For simulations and tests only. */
  static readonly layerSeeded = Layer.succeed(SecureRandom, {
    digits: (n) =>
      Effect.gen(function*() {
        let s = ""
        for (let i = 0; i < n; i++) s += String(yield* Random.nextIntBetween(0, 10))
        return s
      }),
    token: Effect.gen(function*() {
      let s = ""
      for (let i = 0; i < 43; i++) s += alphabet[yield* Random.nextIntBetween(0, 36)]
      return s
    }),
    id: seededId
  })
}
