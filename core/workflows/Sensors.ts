/**
 * Waiting on the locker's sensors, and opening a door with bounded retries.
 * Polling with Effect.sleep keeps every wait under the virtual clock, so tests
 * run timeouts instantly with TestClock.
 */
import { Duration, Effect, Either, Option, Queue, Stream } from "effect"
import { type Channel, channelKey } from "../domain/compartment.ts"
import { TerminalConfig } from "../domain/config.ts"
import { LockerError } from "../domain/errors.ts"
import { type ChannelStatus, LockerBank } from "../ports/LockerBank.ts"

/** The slowest poll of an open-ended watch. */
const LONG_POLL_MILLIS = 300_000

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
     * Like waitFor, but a locker that does not answer is asked again on the
     * next poll instead of failing: a watch outlives a bus that drops out for a
     * moment. None when `seconds` pass first (Infinity: until `done` holds).
     */
    const watchFor = (channel: Channel, seconds: number, done: (s: ChannelStatus) => boolean) =>
      Effect.gen(function*() {
        // The change feed wakes the watch at once; the polls catch what the feed cannot tell (a bus that was away).
        const wake = yield* Queue.sliding<void>(1)
        const key = channelKey(channel)
        yield* locker.changes.pipe(
          Stream.filter((c) => c._tag === "BoardOnline" ? c.board === channel.board : channelKey(c.channel) === key),
          Stream.runForEach(() => Queue.offer(wake, undefined)),
          Effect.forkScoped
        )
        // A bounded watch polls at the workflow's pace; an open-ended one (a door left open for the night)
        // slows down to one poll in LONG_POLL_MILLIS, the change feed still waking it at once.
        const slowest = Number.isFinite(seconds) ? config.pollMillis : Math.max(config.pollMillis, LONG_POLL_MILLIS)
        const pause = (millis: number) => Effect.raceFirst(Effect.sleep(Duration.millis(millis)), Queue.take(wake))
        const poll = (millis: number): Effect.Effect<ChannelStatus> =>
          Effect.flatMap(Effect.either(locker.status(channel)), (s) =>
            Either.isRight(s) && done(s.right)
              ? Effect.succeed(s.right)
              : Effect.zipRight(pause(millis), Effect.suspend(() => poll(Math.min(slowest, millis * 2)))))
        const first = poll(config.pollMillis)
        return Number.isFinite(seconds) ? yield* first.pipe(Effect.timeoutOption(Duration.seconds(seconds))) : Option.some(yield* first)
      }).pipe(Effect.scoped)

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

    return { waitFor, watchFor, openWithRetry, tryOpen, status: locker.status } as const
  })
}) {}
