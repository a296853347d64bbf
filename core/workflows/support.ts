/**
 * Small helpers every workflow needs: time as UTC text, ids, keyed hashes.
 * (Unpredictable randomness is a port: ../ports/SecureRandom.ts.)
 */
import { Clock, DateTime, Effect, Random, Schedule } from "effect"
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

/**
 * A write that records what a door's watch saw (a document taken, a door
 * shut): the physical fact has happened, so it must not be dropped because
 * the database refused it for a while (disk full, locked). Retried while it
 * fails with a SqlError — after 0.2 s, growing to every 5 s — until it is
 * stored or the watch is interrupted (shutdown: the restart's reconciliation
 * settles it against the sensors). Other failures pass through. Two log lines
 * per outage, however long: the first refusal, and the write once stored.
 */
export const untilStored = <A, E extends { readonly _tag: string }, R>(what: string, write: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    let refusals = 0
    return write.pipe(
      Effect.tapError((e) =>
        e._tag === "SqlError" && refusals++ === 0
          ? Effect.logWarning(`could not store ${what} yet; trying again until the database takes it`)
          : Effect.void
      ),
      Effect.retry({
        schedule: Schedule.union(Schedule.exponential("200 millis"), Schedule.spaced("5 seconds")),
        while: (e) => e._tag === "SqlError"
      }),
      Effect.tap(() => refusals > 0 ? Effect.logInfo(`stored ${what} after ${refusals} refusals`) : Effect.void)
    )
  })
