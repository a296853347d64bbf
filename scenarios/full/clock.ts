/**
 * A virtual clock for full fidelity. TestClock checks that every fiber is
 * suspended with real timers before each step (milliseconds of wall time per
 * wake-up); here the work is CPU-only (SQLite is synchronous, the twins are
 * in memory), so a woken fiber is simply given turns on the scheduler until
 * it waits again. Months of terminal life then cost what the workflows and
 * the database cost, not what the clock costs. Deterministic: the same
 * wake-ups in the same order every run.
 */
import { Clock, Context, Duration, Effect } from "effect"

interface Sleeper {
  readonly at: number
  readonly seq: number
  readonly wake: () => void
}

/** Turns given to woken fibers before time moves on. */
const settle = Effect.repeatN(Effect.yieldNow(), 15)

export class VirtualClock implements Clock.Clock {
  readonly [Clock.ClockTypeId]: Clock.ClockTypeId = Clock.ClockTypeId
  private now: number
  private seq = 0
  private readonly sleepers: Array<Sleeper> = []

  constructor(startMillis: number) {
    this.now = startMillis
  }

  unsafeCurrentTimeMillis(): number {
    return this.now
  }
  unsafeCurrentTimeNanos(): bigint {
    return BigInt(Math.round(this.now)) * 1_000_000n
  }
  readonly currentTimeMillis: Effect.Effect<number> = Effect.sync(() => this.now)
  readonly currentTimeNanos: Effect.Effect<bigint> = Effect.sync(() => this.unsafeCurrentTimeNanos())

  sleep(duration: Duration.Duration): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      const entry: Sleeper = { at: this.now + Duration.toMillis(duration), seq: this.seq++, wake: () => resume(Effect.void) }
      let i = this.sleepers.length
      while (i > 0 && (this.sleepers[i - 1]!.at > entry.at)) i--
      this.sleepers.splice(i, 0, entry)
      return Effect.sync(() => {
        const k = this.sleepers.indexOf(entry)
        if (k >= 0) this.sleepers.splice(k, 1)
      })
    })
  }

  /** Moves time forward to `t`, waking sleepers in time order; never backwards. */
  advanceTo(t: number): Effect.Effect<void> {
    const self = this
    return Effect.gen(function*() {
      yield* settle
      for (;;) {
        const next = self.sleepers[0]
        if (next === undefined || next.at > t) break
        self.sleepers.shift()
        self.now = Math.max(self.now, next.at)
        next.wake()
        yield* settle
      }
      self.now = Math.max(self.now, t)
    })
  }

  adjust(millis: number): Effect.Effect<void> {
    return Effect.suspend(() => this.advanceTo(this.now + millis))
  }
}

/** The run's virtual clock, for the driver (the citizen's hands wait on it). */
export class SimClock extends Context.Tag("amtomat/scenarios/SimClock")<SimClock, VirtualClock>() {}
