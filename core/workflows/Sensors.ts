/**
 * Waiting on the locker's sensors, and opening a door with bounded retries.
 * Polling with Effect.sleep keeps every wait under the virtual clock, so tests
 * run timeouts instantly with TestClock.
 */
import { Duration, Effect, Either } from "effect"
import type { Channel } from "../domain/compartment.ts"
import { TerminalConfig } from "../domain/config.ts"
import { LockerError } from "../domain/errors.ts"
import { type ChannelStatus, LockerBank } from "../ports/LockerBank.ts"

export class Sensors extends Effect.Service<Sensors>()("amtomat/Sensors", {
  effect: Effect.gen(function*() {
    const locker = yield* LockerBank
    const config = yield* TerminalConfig

    /** Polls the channel until `done` holds; None when `seconds` pass first. */
    const waitFor = (channel: Channel, seconds: number, done: (s: ChannelStatus) => boolean) =>
      Effect.gen(function*() {
        const poll: Effect.Effect<ChannelStatus, LockerError> = Effect.flatMap(locker.status(channel), (s) =>
          done(s) ? Effect.succeed(s) : Effect.zipRight(Effect.sleep(Duration.millis(config.pollMillis)), Effect.suspend(() => poll)))
        return yield* poll.pipe(Effect.timeoutOption(Duration.seconds(seconds)))
      })

    /**
     * Tries to open a door up to `openAttempts` times, a second apart. Offline
     * and timeouts are not retried here: the board is gone, not the lock.
     */
    const openWithRetry = <E>(channel: Channel, onFailedAttempt: (attempt: number, e: LockerError) => Effect.Effect<void, E>) =>
      Effect.gen(function*() {
        let last: LockerError | undefined
        for (let attempt = 1; attempt <= config.openAttempts; attempt++) {
          const result = yield* Effect.either(locker.open(channel))
          if (result._tag === "Right") return
          last = result.left
          yield* onFailedAttempt(attempt, last)
          if (last.reason !== "Jammed") break
          if (attempt < config.openAttempts) yield* Effect.sleep(Duration.seconds(1))
        }
        return yield* (last ?? new LockerError({ reason: "Protocol", message: "no attempt made" }))
      })

    /** openWithRetry with the locker's verdict as a value: Left when the door stayed shut. */
    const tryOpen = <E>(channel: Channel, onFailedAttempt: (attempt: number, e: LockerError) => Effect.Effect<void, E>) =>
      openWithRetry(channel, onFailedAttempt).pipe(
        Effect.map(() => Either.right<void>(undefined)),
        Effect.catchTag("LockerError", (e) => Effect.succeed(Either.left(e)))
      )

    return { waitFor, openWithRetry, tryOpen, status: locker.status } as const
  })
}) {}
