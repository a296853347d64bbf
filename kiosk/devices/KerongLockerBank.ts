/**
 * LockerBank on a Kerong KR-CU16 RS-485 bus: one outstanding command per bus,
 * replies awaited with a timeout and bounded retries, every board polled
 * (fast while a door is open), bit changes published as LockerChange events,
 * boards that stop or start answering reported as BoardOnline and to
 * DeviceStatus ("locker", part "board N"). The serial line reconnects by
 * itself (serialLine.ts); while it is down every call fails Offline at once
 * and the poll loop waits; at every reopen the unlock pulse lengths are sent
 * again and every board is read.
 */
import { Clock, Duration, Effect, Either, Layer, Option, PubSub, Queue, Ref, Stream } from "effect"
import { type Channel, channelKey, type DoorState } from "../../core/domain/compartment.ts"
import { LockerError } from "../../core/domain/errors.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { type ChannelStatus, LockerBank, type LockerChange } from "../../core/ports/LockerBank.ts"
import * as Kerong from "../../core/protocols/kerong.ts"
import type { BoardConfig, LockerTiming } from "./config.ts"
import { type LineSettings, openLine } from "./serialLine.ts"

export interface KerongLockerOptions {
  readonly line: LineSettings
  readonly boards: ReadonlyArray<BoardConfig>
  /** every configured channel: the compartments and the intake slot */
  readonly channels: ReadonlyArray<Channel>
  readonly timing: LockerTiming
}

interface BoardState {
  /** undefined until the board first answered or failed to */
  readonly online: boolean | undefined
  readonly status: Kerong.BoardStatus | undefined
}

type Reply = { readonly _tag: "Status"; readonly status: Kerong.BoardStatus } | { readonly _tag: "Damaged" } | { readonly _tag: "None" }

const orDie = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))

export const make = (options: KerongLockerOptions) =>
  Effect.gen(function*() {
    const { timing } = options
    const status$ = yield* DeviceStatus
    const line = yield* openLine(options.line)
    const replyTimeout = Duration.millis(timing.responseTimeoutMillis)
    const polarity = new Map(options.boards.map((b) => [b.address, b.polarity] as const))
    const configured = new Set(options.channels.map(channelKey))
    const frames = yield* Queue.unbounded<Either.Either<Kerong.KerongFrame, Kerong.KerongDecodeError>>()
    const splitter = new Kerong.KerongFrameSplitter()
    const bus = yield* Effect.makeSemaphore(1)
    const hub = yield* PubSub.unbounded<LockerChange>()
    const boards = yield* Ref.make<ReadonlyMap<number, BoardState>>(
      new Map(options.boards.map((b) => [b.address, { online: undefined, status: undefined }]))
    )
    const kick = yield* Queue.sliding<void>(1)

    // Reader: garbage between frames is cut away by the splitter; damaged frames are passed on so a retry can start at once.
    yield* Queue.take(line.input).pipe(
      Effect.flatMap((chunk) => Queue.offerAll(frames, splitter.push(chunk).filter((r) => Either.isRight(r) || r.left.reason === "BadChecksum"))),
      Effect.forever,
      Effect.forkScoped
    )

    /** The status frame of `board` arriving within `wait`, skipping frames for others. */
    const awaitStatus = (board: number, wait: Duration.Duration) =>
      Effect.gen(function*() {
        for (;;) {
          const r = yield* Queue.take(frames)
          if (Either.isLeft(r)) return { _tag: "Damaged" } as Reply
          const f = r.right
          if (f.command !== Kerong.Command.StatusReply || Kerong.boardOf(f.address) !== board) continue
          const status = Kerong.decodeStatus(f, polarity.get(board) ?? 1)
          if (Either.isRight(status)) return { _tag: "Status", status: status.right } as Reply
        }
      }).pipe(Effect.timeoutTo({ duration: wait, onTimeout: (): Reply => ({ _tag: "None" }), onSuccess: (r) => r }))

    /** One command on the bus (the only one outstanding), and its reply if one is awaited. */
    const exchange = (board: number, bytes: Uint8Array, wait: Duration.Duration) =>
      bus.withPermits(1)(Effect.gen(function*() {
        yield* Queue.takeAll(frames)
        yield* line.write(bytes).pipe(Effect.mapError((e) => new LockerError({ reason: "Offline", message: e.message })))
        return Duration.toMillis(wait) > 0 ? yield* awaitStatus(board, wait) : { _tag: "None" } as Reply
      }))

    const publish = (changes: ReadonlyArray<LockerChange>) => PubSub.publishAll(hub, changes)
    const doorOf = (s: Kerong.BoardStatus, lock: number): DoorState => (s.locked[lock - 1] ? "closed" : "open")
    const channelsOn = (board: number) => options.channels.filter((c) => c.board === board)

    const record = (board: number, status: Kerong.BoardStatus) =>
      Effect.gen(function*() {
        const before = (yield* Ref.get(boards)).get(board)
        yield* Ref.update(boards, (m) => new Map(m).set(board, { online: true, status }))
        if (before?.online !== true) yield* status$.report("locker", true, `board ${board} answers`, `board ${board}`)
        const changes: Array<LockerChange> = []
        if (before?.online === false) changes.push({ _tag: "BoardOnline", board, online: true })
        const prev = before?.status
        if (prev !== undefined) {
          for (const channel of channelsOn(board)) {
            const door = doorOf(status, channel.lock)
            if (door !== doorOf(prev, channel.lock)) changes.push({ _tag: "DoorChanged", channel, door })
            const item = status.items[channel.lock - 1]!
            if (item !== prev.items[channel.lock - 1]) changes.push({ _tag: "ItemChanged", channel, item })
          }
        }
        yield* publish(changes)
      })

    const markOffline = (board: number) =>
      Effect.gen(function*() {
        const before = (yield* Ref.get(boards)).get(board)
        if (before?.online === false) return
        yield* Ref.update(boards, (m) => new Map(m).set(board, { online: false, status: before?.status }))
        yield* status$.report("locker", false, `board ${board} does not answer`, `board ${board}`)
        yield* publish([{ _tag: "BoardOnline", board, online: false }])
      })

    /** CMD 30 with retries; the board's status, or None (and the board marked offline). */
    const poll = (board: number, attempts = timing.retries + 1) =>
      Effect.gen(function*() {
        const request = orDie(Kerong.encodeStatusRequest(board))
        for (let attempt = 0; attempt < attempts; attempt++) {
          const reply = yield* exchange(board, request, replyTimeout)
          if (reply._tag === "Status") {
            yield* record(board, reply.status)
            return Option.some(reply.status)
          }
        }
        yield* markOffline(board)
        return Option.none<Kerong.BoardStatus>()
      })

    const offline = (board: number) => new LockerError({ reason: "Offline", message: `locker board ${board} does not answer` })
    /** While the line is down nothing touches the bus: every call fails at once. */
    const lineUp = Effect.flatMap(line.isOpen, (open) =>
      open ? Effect.void : Effect.fail(new LockerError({ reason: "Offline", message: `locker bus ${line.path} is not connected` })))
    const unknownChannel = (channel: Channel) =>
      new LockerError({ reason: "Protocol", message: `no lock ${channelKey(channel)} configured` })

    const statusOf = (channel: Channel, state: BoardState | undefined): ChannelStatus =>
      state?.online === true && state.status !== undefined
        ? { channel, door: doorOf(state.status, channel.lock), item: state.status.items[channel.lock - 1]! }
        : { channel, door: "unknown", item: null }

    const status = Effect.fn("KerongLockerBank.status")(function*(channel: Channel) {
      if (!configured.has(channelKey(channel))) return yield* unknownChannel(channel)
      yield* lineUp
      let state = (yield* Ref.get(boards)).get(channel.board)
      if (state?.online === undefined) {
        yield* poll(channel.board)
        state = (yield* Ref.get(boards)).get(channel.board)
      }
      if (state?.online !== true) return yield* offline(channel.board)
      return statusOf(channel, state)
    })

    const snapshot = Effect.gen(function*() {
      yield* lineUp
      for (const b of options.boards) yield* poll(b.address)
      const state = yield* Ref.get(boards)
      return options.channels.map((c) => statusOf(c, state.get(c.board)))
    }).pipe(Effect.withSpan("KerongLockerBank.snapshot"))

    const open = Effect.fn("KerongLockerBank.open")(function*(channel: Channel) {
      if (!configured.has(channelKey(channel))) return yield* unknownChannel(channel)
      yield* lineUp
      const unlock = orDie(Kerong.encodeUnlock(channel.board, channel.lock))
      // Some boards answer an unlock with a status frame, some stay silent: wait briefly, take either.
      const reply = yield* exchange(channel.board, unlock, Duration.millis(timing.unlockReplyMillis))
      if (reply._tag === "Status") {
        yield* record(channel.board, reply.status)
        if (!reply.status.locked[channel.lock - 1]) return yield* Queue.offer(kick, undefined)
      }
      // Jammed only when the board answers and the lock keeps reading locked; a silent board is Offline.
      const deadline = (yield* Clock.currentTimeMillis) + timing.openTimeoutMillis
      for (;;) {
        const s = yield* poll(channel.board)
        if (Option.isNone(s)) return yield* offline(channel.board)
        if (!s.value.locked[channel.lock - 1]) break
        if ((yield* Clock.currentTimeMillis) >= deadline) {
          return yield* new LockerError({ reason: "Jammed", message: `lock ${channelKey(channel)} stays locked after the unlock` })
        }
        yield* Effect.sleep(Duration.millis(Math.min(50, timing.pollFastMillis)))
      }
      yield* Queue.offer(kick, undefined)
    })

    // At every (re)open of the line: unlock pulse lengths (a board that lost power forgot them), then
    // a reading of every board, so `status` answers at once and what changed meanwhile is published.
    const initialised = yield* Ref.make(0)
    const initialise = (generation: number) =>
      Effect.gen(function*() {
        if ((yield* Ref.getAndSet(initialised, generation)) >= generation) return
        for (const b of options.boards) {
          if (b.unlockMillis !== undefined) {
            yield* exchange(b.address, orDie(Kerong.encodeSetUnlockTime(b.address, b.unlockMillis)), Duration.zero)
          }
        }
        for (const b of options.boards) yield* poll(b.address)
      }).pipe(
        // lost again meanwhile: the next open starts over
        Effect.catchAll(() => Effect.void),
        Effect.withSpan("KerongLockerBank.initialise", { attributes: { generation } })
      )
    if (yield* line.isOpen) yield* line.opened.pipe(Stream.take(1), Stream.runForEach(initialise))
    yield* line.opened.pipe(Stream.runForEach(initialise), Effect.forkScoped)

    const anyOpen = Effect.map(Ref.get(boards), (m) =>
      options.channels.some((c) => {
        const s = m.get(c.board)
        return s?.online === true && s.status !== undefined && !s.status.locked[c.lock - 1]
      }))

    // Poll loop: a board that is offline gets one try per round, so a dead board does not stall the others.
    yield* Effect.gen(function*() {
      // No hot loop while the bus is gone: the loop waits for the line to come back.
      yield* line.awaitOpen
      for (const b of options.boards) {
        const online = (yield* Ref.get(boards)).get(b.address)?.online
        yield* poll(b.address, online === false ? 1 : timing.retries + 1)
      }
      const interval = (yield* anyOpen) ? timing.pollFastMillis : timing.pollSlowMillis
      yield* Effect.raceFirst(Effect.sleep(Duration.millis(interval)), Queue.take(kick))
    }).pipe(
      // A round cut short by a lost line is not news (the line logged it); anything else is, once per round.
      Effect.catchAllCause((cause) =>
        Effect.flatMap(line.isOpen, (open) => open ? Effect.logWarning("locker poll failed", cause) : Effect.void).pipe(
          Effect.zipRight(Effect.sleep(Duration.millis(timing.pollFastMillis)))
        )
      ),
      Effect.forever,
      Effect.forkScoped
    )

    return LockerBank.of({ open, status, snapshot, changes: Stream.fromPubSub(hub) })
  })

/** The LockerBank port on a Kerong bus. */
export const layer = (options: KerongLockerOptions) => Layer.scoped(LockerBank, make(options))
