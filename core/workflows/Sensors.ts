/**
 * Waiting on the locker's sensors, and opening a door with bounded retries.
 * Polling with Effect.sleep keeps every wait under the virtual clock, so tests
 * run timeouts instantly with TestClock.
 */
import { Duration, Effect, Either, Option, Queue, Ref, Schedule, Stream } from "effect"
import { type Channel, channelKey } from "../domain/compartment.ts"
import { TerminalPolicy } from "../domain/config.ts"
import { LockerError } from "../domain/errors.ts"
import { type ChannelStatus, LockerBank } from "../ports/LockerBank.ts"

/** The slowest poll of an open-ended watch. */
const LONG_POLL_MILLIS = 300_000

export class Sensors extends Effect.Service<Sensors>()("amtomat/Sensors", {
  effect: Effect.gen(function*() {
    const locker = yield* LockerBank
    const config = yield* TerminalPolicy

    const everyPoll = Schedule.spaced(Duration.millis(config.pollMillis))

    /** Polls the channel until `done` holds; None when `seconds` pass first. */
    const waitFor = (channel: Channel, seconds: number, done: (s: ChannelStatus) => boolean) =>
      locker.status(channel).pipe(
        Effect.repeat(Schedule.recurUntil(done).pipe(Schedule.zipLeft(everyPoll))),
        Effect.timeoutOption(Duration.seconds(seconds))
      )

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
        // slows down, doubling its pause up to one poll in LONG_POLL_MILLIS, the change feed still waking it at once.
        const slowest = Duration.millis(Number.isFinite(seconds) ? config.pollMillis : Math.max(config.pollMillis, LONG_POLL_MILLIS))
        const seen = locker.status(channel).pipe(Effect.option, Effect.map(Option.filter(done)))
        const pauses = Schedule.exponential(Duration.millis(config.pollMillis)).pipe(
          Schedule.modifyDelay((_, delay) => Duration.min(delay, slowest)),
          Schedule.whileInput(Option.isNone<ChannelStatus>),
          Schedule.passthrough,
          // the pause is taken here, raced by the change feed; the schedule then goes on at once
          Schedule.modifyDelayEffect((_, delay) => Effect.as(Effect.raceFirst(Effect.sleep(delay), Queue.take(wake)), Duration.zero))
        )
        const watch = Effect.repeat(seen, pauses)
        return Number.isFinite(seconds) ? Option.flatten(yield* watch.pipe(Effect.timeoutOption(Duration.seconds(seconds)))) : yield* watch
      }).pipe(Effect.scoped)

    /**
     * Tries to open a door up to `openAttempts` times, a second apart. Offline
     * and timeouts are not retried here: the board is gone, not the lock.
     * `onFailedAttempt` hears of every failed try (1, 2, …, the last one too);
     * its own failure ends the tries with that failure.
     */
    const openWithRetry = <E>(channel: Channel, onFailedAttempt: (attempt: number, e: LockerError) => Effect.Effect<void, E>) =>
      Effect.gen(function*() {
        const attempts = yield* Ref.make(0)
        return yield* Effect.retry(locker.open(channel), {
          schedule: Schedule.spaced(Duration.seconds(1)),
          times: config.openAttempts - 1,
          while: (e) => Ref.updateAndGet(attempts, (n) => n + 1).pipe(Effect.flatMap((n) => onFailedAttempt(n, e)), Effect.as(e.reason === "Jammed"))
        })
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
