/**
 * Small helpers every workflow needs: time as UTC text, ids, keyed hashes.
 * (Unpredictable randomness is a port: ../ports/SecureRandom.ts.)
 */
import { Clock, DateTime, Effect, Random } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"

export const nowMillis = Clock.currentTimeMillis
export const isoOf = (millis: number): string => DateTime.formatIso(DateTime.unsafeMake(millis))
export const nowIso = Effect.map(Clock.currentTimeMillis, isoOf)

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

/** An id with a prefix and 12 base-36 characters from Effect's Random (seedable, so simulations repeat). */
export const makeId = <P extends string>(prefix: P): Effect.Effect<`${P}_${string}`> =>
  Effect.gen(function*() {
    let out = ""
    for (let i = 0; i < 12; i++) out += alphabet[yield* Random.nextIntBetween(0, 36)]
    return `${prefix}_${out}` as const
  })

export const keyedHash = (key: Uint8Array, value: Uint8Array | string): string => createHmac("sha256", key).update(value).digest("hex")

export const hashesEqual = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"))
