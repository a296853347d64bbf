/**
 * The live feeds behind /api/staff/stream and /api/twin/stream, shared by every open stream.
 *
 * On a change (a logged event, a door or a sensor) the feed waits a moment (`debounce`), so the
 * workflows have written what they saw, then takes ONE snapshot, encodes ONE frame and publishes
 * it to every subscriber; at least every `safetyTick` as a safety net. Each logged event is
 * encoded once as an `event` frame. Every frame goes into one sliding PubSub, held once for all
 * subscribers: one that falls behind loses the oldest frames, never the latest snapshot, so a
 * client that never reads holds a bounded amount of memory and never slows the others down. A new
 * subscriber gets the latest snapshot frame at once, from the cache. A subscriber's stream is just
 * its subscription (no per-stream merging, which costs fibers per frame); its end (the session's)
 * shuts the subscription down.
 *
 * Streams are capped: `perToken` per staff session and `overall` in all; over a cap the route
 * answers 429. The caps come from StreamLimits (a Context.Reference, so the defaults apply
 * unless a composition root or a test provides others).
 */
import { Chunk, Context, Data, Duration, Effect, HashMap, Option, PubSub, Queue, Ref, Schedule, Stream } from "effect"
import { createHash } from "node:crypto"
import { CompartmentsRepo } from "../../core/persistence/CompartmentsRepo.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import { Alarms } from "../../core/workflows/Alarms.ts"
import { makeTwinView } from "./twinState.ts"

export class StreamLimits extends Context.Reference<StreamLimits>()("amtomat/StreamLimits", {
  defaultValue: () => ({
    /** open streams per staff session (token) */
    perToken: 4,
    /** open streams in all (staff and twin panel each) */
    overall: 64,
    /** a change is published this long after it happened, together with the changes meanwhile */
    debounce: Duration.millis(250) as Duration.Duration,
    /** a staff snapshot at least this often, changes or not */
    safetyTick: Duration.seconds(10) as Duration.Duration,
    /** a twin state at least this often */
    twinTick: Duration.seconds(2) as Duration.Duration,
    /** a comment line this often keeps proxies from closing an idle stream */
    heartbeat: Duration.seconds(15) as Duration.Duration,
    /** how often a staff stream checks that its session still exists */
    sessionRecheck: Duration.seconds(30) as Duration.Duration,
    /** frames kept for a subscriber that falls behind; older ones are dropped (held once for all) */
    buffer: 256
  })
}) {}

/** Why a stream was not opened. */
export class StreamRefused extends Data.TaggedError("StreamRefused")<{
  readonly reason: "TooManyForSession" | "TooManyOverall"
  readonly message: string
}> {}

const encoder = new TextEncoder()
export const frame = (event: string, data: unknown): Uint8Array => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
const ping = encoder.encode(": ping\n\n")

/**
 * A shared feed: `name` frames of `snapshot` after `changes`, (optionally) an `event` frame per
 * element of `events`, and a heartbeat, all in one sliding PubSub. Runs in the enclosing scope.
 *
 * One PubSub and no per-subscriber merging: a subscriber's stream is its subscription, so a
 * frame costs one write per stream and no fibers. A subscriber that falls behind by more than
 * `buffer` frames loses the oldest; the latest snapshot is never older than the changes after it,
 * so it still gets the latest snapshot. The frames are held once for all subscribers.
 */
const makeFeed = <A, E>(options: {
  readonly name: string
  readonly snapshot: Effect.Effect<A, E>
  readonly changes: Stream.Stream<unknown>
  readonly every: Duration.DurationInput
  readonly debounce: Duration.DurationInput
  readonly heartbeat: Duration.DurationInput
  readonly events?: Stream.Stream<unknown>
  readonly buffer: number
}) =>
  Effect.gen(function*() {
    const latest = yield* Ref.make(Option.none<Uint8Array>())
    const hub = yield* PubSub.sliding<Uint8Array>(Math.max(2, options.buffer))
    const dirty = yield* Queue.sliding<void>(1)
    const taken = yield* Ref.make(0)

    const take = Effect.gen(function*() {
      const found = yield* Effect.option(options.snapshot)
      if (Option.isNone(found)) return
      const bytes = frame(options.name, found.value)
      yield* Ref.update(taken, (n) => n + 1)
      yield* Ref.set(latest, Option.some(bytes))
      yield* PubSub.publish(hub, bytes)
    }).pipe(
      // a snapshot that cannot be taken now is skipped; the next change or tick tries again
      Effect.catchAllCause((cause) => Effect.logWarning(`live feed: no ${options.name} this time`, cause)),
      Effect.withSpan(`Feed.${options.name}`)
    )

    yield* take
    yield* Stream.runForEach(options.changes, () => Queue.offer(dirty, undefined)).pipe(Effect.forkScoped)
    yield* Queue.offer(dirty, undefined).pipe(Effect.repeat(Schedule.spaced(options.every)), Effect.delay(options.every), Effect.forkScoped)
    // One snapshot per burst of changes: wait a moment, forget the changes meanwhile, take it.
    yield* Queue.take(dirty).pipe(
      Effect.zipRight(Effect.sleep(options.debounce)),
      Effect.zipRight(Queue.takeAll(dirty)),
      Effect.zipRight(take),
      Effect.forever,
      Effect.forkScoped
    )
    if (options.events !== undefined) {
      yield* Stream.runForEach(options.events, (e) => PubSub.publish(hub, frame("event", e))).pipe(Effect.forkScoped)
    }
    yield* PubSub.publish(hub, ping).pipe(Effect.repeat(Schedule.spaced(options.heartbeat)), Effect.delay(options.heartbeat), Effect.forkScoped)

    /** The latest snapshot frame at once, then every later frame, until `end` completes. */
    const frames = <X, R>(end: Effect.Effect<X, never, R>): Stream.Stream<Uint8Array, never, R> =>
      Stream.unwrapScoped(Effect.gen(function*() {
        // subscribe before reading the cache: a snapshot published in between comes twice, never not at all
        const next = yield* PubSub.subscribe(hub)
        const first = yield* Ref.get(latest)
        // ending the subscription ends the stream (and so the response) after what was sent
        yield* Effect.forkScoped(Effect.zipRight(end, Queue.shutdown(next)))
        // frames that queued up meanwhile go out as one write, not one syscall each
        return Stream.concat(Stream.fromIterable(Option.toArray(first)), Stream.fromQueue(next).pipe(Stream.mapChunks(coalesce)))
      }))

    return { frames, snapshotsTaken: Ref.get(taken) } as const
  })

const coalesce = (frames: Chunk.Chunk<Uint8Array>): Chunk.Chunk<Uint8Array> => {
  if (frames.length <= 1) return frames
  const all = Chunk.toReadonlyArray(frames)
  const out = new Uint8Array(all.reduce((n, f) => n + f.length, 0))
  let at = 0
  for (const f of all) {
    out.set(f, at)
    at += f.length
  }
  return Chunk.of(out)
}

interface Open {
  readonly total: number
  readonly byKey: HashMap.HashMap<string, number>
}

/** Counts open streams per key (a session) and in all. */
const makeSlots = (perKey: number, overall: number) =>
  Effect.gen(function*() {
    const open = yield* Ref.make<Open>({ total: 0, byKey: HashMap.empty() })
    const release = (key: string) =>
      Ref.update(open, (s): Open => {
        const mine = Option.getOrElse(HashMap.get(s.byKey, key), () => 0)
        return { total: Math.max(0, s.total - 1), byKey: mine <= 1 ? HashMap.remove(s.byKey, key) : HashMap.set(s.byKey, key, mine - 1) }
      })
    /** Takes a slot until the enclosing scope closes (the response is over), or fails when full. */
    const acquire = (key: string) =>
      Effect.acquireRelease(
        Ref.modify(open, (s): readonly [Option.Option<StreamRefused>, Open] => {
          const mine = Option.getOrElse(HashMap.get(s.byKey, key), () => 0)
          if (s.total >= overall) {
            return [
              Option.some(
                new StreamRefused({ reason: "TooManyOverall", message: `the terminal already serves ${overall} live streams; please try again later` })
              ),
              s
            ]
          }
          if (mine >= perKey) {
            return [
              Option.some(new StreamRefused({ reason: "TooManyForSession", message: `this session already has ${perKey} live streams open; close one first` })),
              s
            ]
          }
          return [Option.none(), { total: s.total + 1, byKey: HashMap.set(s.byKey, key, mine + 1) }]
        }).pipe(Effect.flatMap(Option.match({ onNone: () => Effect.succeed(key), onSome: Effect.fail }))),
        release
      )
    return { acquire, open: Effect.map(Ref.get(open), (s) => s.total) } as const
  })

const sessionKey = (token: string) => createHash("sha256").update(token).digest("hex")

/** The staff screens' feed: every compartment, the open alarms and the last event's number, and each event. */
export class StaffFeed extends Effect.Service<StaffFeed>()("amtomat/StaffFeed", {
  scoped: Effect.gen(function*() {
    const limits = yield* StreamLimits
    const log = yield* EventLog
    const locker = yield* LockerBank
    const compartments = yield* CompartmentsRepo
    const alarms = yield* Alarms
    const feed = yield* makeFeed({
      name: "snapshot",
      snapshot: Effect.all({ compartments: compartments.all, alarms: alarms.list(true), lastSeq: log.lastSeq }),
      changes: Stream.merge(log.live, locker.changes),
      every: limits.safetyTick,
      debounce: limits.debounce,
      heartbeat: limits.heartbeat,
      events: log.live,
      buffer: limits.buffer
    })
    const slots = yield* makeSlots(limits.perToken, limits.overall)

    /**
     * A slot for one stream of the session `token`, held until the enclosing scope (the
     * request's) closes; fails with StreamRefused over a cap.
     */
    const admit = Effect.fn("StaffFeed.admit")(function*(token: string) {
      yield* slots.acquire(sessionKey(token))
    })

    /** Snapshot and event frames and a heartbeat, until `end` (the session's end) completes. */
    const stream = <X, R>(end: Effect.Effect<X, never, R>) => feed.frames(end)

    return { admit, stream, open: slots.open, snapshotsTaken: feed.snapshotsTaken } as const
  })
}) {}

/** The twin panel's feed: the twin's state after every change; the panel needs no sign-in. */
export class TwinFeed extends Effect.Service<TwinFeed>()("amtomat/TwinFeed", {
  scoped: Effect.gen(function*() {
    const limits = yield* StreamLimits
    const log = yield* EventLog
    const locker = yield* LockerBank
    const view = yield* makeTwinView
    const feed = yield* makeFeed({
      name: "state",
      snapshot: Effect.all({ state: view.state, inbox: view.sms.inbox() }),
      changes: Stream.merge(log.live, locker.changes),
      every: limits.twinTick,
      debounce: limits.debounce,
      heartbeat: limits.heartbeat,
      buffer: 16
    })
    const slots = yield* makeSlots(limits.overall, limits.overall)
    const admit = Effect.fn("TwinFeed.admit")(function*() {
      yield* slots.acquire("twin")
    })
    const stream = feed.frames(Effect.never)
    return { admit, stream, open: slots.open, snapshotsTaken: feed.snapshotsTaken } as const
  })
}) {}
