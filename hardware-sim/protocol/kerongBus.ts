/**
 * Protocol twin of an RS-485 bus of Kerong KR-CU16 boards: fed the bytes the
 * host writes, it answers byte for byte like the boards (core/protocols/kerong).
 *
 * The physical side — doors that spring open and stay open until pushed shut,
 * items, jammed locks, stuck sensors, boards off the bus — is the behavioural
 * locker twin's model (hardware-sim/behavioural/LockerTwin.ts), used as is: an
 * unlock command is the model's `open`, a status frame is the model's state.
 * So both twins share one source of truth and one control handle
 * (LockerTwinControl); this one adds a faults handle for the wire.
 */
import { Context, Duration, Effect, Either, Layer, Ref } from "effect"
import { type Channel, channelKey } from "../../core/domain/compartment.ts"
import * as Kerong from "../../core/protocols/kerong.ts"
import * as LockerTwin from "../behavioural/LockerTwin.ts"
import { type DeviceLine, openSerialLine, type SerialLineOptions } from "./line.ts"

export interface KerongBoardOptions {
  /** board address 0..15 */
  readonly address: number
  /** 1: a set lock bit means locked (default); 0: the newer variant */
  readonly polarity?: Kerong.LockedBit
}

export interface KerongBusOptions {
  readonly boards: ReadonlyArray<KerongBoardOptions>
  /** the locks that are wired to a compartment (the rest read locked and empty, and never open) */
  readonly channels: ReadonlyArray<Channel>
  /** channels holding an item at start */
  readonly items?: ReadonlyArray<Channel>
  /** doors standing open at start (after a power cut they stay as they are) */
  readonly openDoors?: ReadonlyArray<Channel>
  /** flaps over a bin, like the old-document intake (see the behavioural twin) */
  readonly chutes?: ReadonlyArray<Channel>
  /** whether a board answers an unlock (CMD 31) with a status frame; sources disagree, default false */
  readonly unlockReply?: boolean
  /** the board's processing time before it answers */
  readonly replyDelay?: Duration.DurationInput
}

export interface KerongFaultState {
  /** boards (or every board) that ignore the next `count` requests; Infinity = until cleared */
  readonly silent: ReadonlyMap<number | "all", number>
  /** the next n replies carry a wrong SUM */
  readonly badChecksums: number
  /** bus noise sent before every reply */
  readonly noise: Uint8Array | null
  readonly unlockReply: boolean
  /** doors that swing open again when pushed shut (the latch is broken) */
  readonly noLatch: ReadonlySet<string>
}

export interface KerongFaults {
  /** no reply: `board` (or every board) ignores the next `count` requests (default: until cleared) */
  readonly silence: (board: number | "all", count?: number) => Effect.Effect<void>
  readonly corruptChecksums: (count: number) => Effect.Effect<void>
  /** garbage bytes on the bus before every reply; null stops it */
  readonly noise: (bytes: Uint8Array | null) => Effect.Effect<void>
  readonly setUnlockReply: (answer: boolean) => Effect.Effect<void>
  /** door left open: pushing it shut does not latch */
  readonly breakLatch: (channel: Channel, broken: boolean) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  readonly state: Effect.Effect<KerongFaultState>
  /** every well-formed frame the host sent, oldest first */
  readonly received: Effect.Effect<ReadonlyArray<Kerong.KerongFrame>>
  /** unlock pulse per board in ms, as last set with CMD 37 */
  readonly unlockTimes: Effect.Effect<ReadonlyMap<number, number>>
}

export class KerongBusFaults extends Context.Tag("amtomat/twin/KerongBusFaults")<KerongBusFaults, KerongFaults>() {}

const noFaults = (unlockReply: boolean): KerongFaultState => ({
  silent: new Map(),
  badChecksums: 0,
  noise: null,
  unlockReply,
  noLatch: new Set()
})

/** Runs the bus on a line for the scope; returns the model's control and the faults handle. */
export const make = (options: KerongBusOptions, line: DeviceLine) =>
  Effect.gen(function*() {
    const model = yield* LockerTwin.make(options.channels, { items: options.items ?? [], openDoors: options.openDoors ?? [], chutes: options.chutes ?? [] })
    const polarity = new Map(options.boards.map((b) => [b.address, b.polarity ?? 1] as const))
    const faults = yield* Ref.make(noFaults(options.unlockReply ?? false))
    const received = yield* Ref.make<ReadonlyArray<Kerong.KerongFrame>>([])
    const unlockTimes = yield* Ref.make<ReadonlyMap<number, number>>(new Map())
    const splitter = new Kerong.KerongFrameSplitter()
    const replyDelay = Duration.decode(options.replyDelay ?? 0)

    /** Consumes one request from a silenced board; true when it must not answer. */
    const silenced = (board: number) =>
      Ref.modify(faults, (f) => {
        const key = f.silent.has(board) ? board : f.silent.has("all") ? "all" as const : undefined
        if (key === undefined) return [false, f]
        const left = f.silent.get(key)! - 1
        const silent = new Map(f.silent)
        if (left <= 0) silent.delete(key)
        else silent.set(key, left)
        return [true, { ...f, silent }]
      })

    const statusFrame = (board: number) =>
      Effect.map(model.control.locks, (locks) => {
        const byLock = new Map(locks.filter((l) => l.channel.board === board).map((l) => [l.channel.lock, l]))
        const locked = Array.from({ length: 16 }, (_, i) => !(byLock.get(i + 1)?.doorOpen ?? false))
        const items = Array.from({ length: 16 }, (_, i) => {
          const l = byLock.get(i + 1)
          return l === undefined ? false : (l.stuckSensor ?? l.item)
        })
        return Either.getOrThrow(Kerong.encodeStatusReply(board, locked, items, polarity.get(board) ?? 1))
      })

    const reply = (bytes: Uint8Array) =>
      Effect.gen(function*() {
        if (Duration.toMillis(replyDelay) > 0) yield* Effect.sleep(replyDelay)
        const f = yield* Ref.get(faults)
        const out = new Uint8Array(bytes)
        if (f.badChecksums > 0) {
          out[out.length - 1] = (out[out.length - 1]! + 0x5a) & 0xff
          yield* Ref.update(faults, (s) => ({ ...s, badChecksums: s.badChecksums - 1 }))
        }
        if (f.noise !== null) yield* line.write(f.noise)
        yield* line.write(out)
      })

    const handle = (frame: Kerong.KerongFrame) =>
      Effect.gen(function*() {
        yield* Ref.update(received, (xs) => [...xs, frame])
        const board = Kerong.boardOf(frame.address)
        if (!polarity.has(board)) return
        if ((yield* model.control.boardsOffline).includes(board)) return
        if (yield* silenced(board)) return
        switch (frame.command) {
          case Kerong.Command.Status:
            return yield* reply(yield* statusFrame(board))
          case Kerong.Command.Unlock: {
            const channel = { board, lock: Kerong.lockIndexOf(frame.address) + 1 }
            // A jammed lock takes the pulse and stays locked: the model's open fails, nothing moves.
            yield* model.port.open(channel).pipe(Effect.ignore)
            if ((yield* Ref.get(faults)).unlockReply) yield* reply(yield* statusFrame(board))
            return
          }
          case Kerong.Command.SetUnlockTime: {
            const units = ((frame.data[0] ?? 0) << 8) | (frame.data[1] ?? 0)
            return yield* Ref.update(unlockTimes, (m) => new Map(m).set(board, units * 10))
          }
        }
      })

    yield* Effect.gen(function*() {
      const chunk = yield* line.input.take
      for (const r of splitter.push(chunk)) {
        // A real board ignores frames it cannot read; so does the twin.
        if (Either.isRight(r)) yield* handle(r.right)
      }
    }).pipe(Effect.forever, Effect.forkScoped)

    const control: LockerTwin.LockerTwinControl = {
      ...model.control,
      close: (channel) => Effect.flatMap(Ref.get(faults), (f) => f.noLatch.has(channelKey(channel)) ? Effect.void : model.control.close(channel))
    }

    const faultsHandle: KerongFaults = {
      silence: (board, count = Infinity) => Ref.update(faults, (f) => ({ ...f, silent: new Map(f.silent).set(board, count) })),
      corruptChecksums: (count) => Ref.update(faults, (f) => ({ ...f, badChecksums: count })),
      noise: (bytes) => Ref.update(faults, (f) => ({ ...f, noise: bytes })),
      setUnlockReply: (answer) => Ref.update(faults, (f) => ({ ...f, unlockReply: answer })),
      breakLatch: (channel, broken) =>
        Ref.update(faults, (f) => {
          const noLatch = new Set(f.noLatch)
          if (broken) noLatch.add(channelKey(channel))
          else noLatch.delete(channelKey(channel))
          return { ...f, noLatch }
        }),
      clear: Ref.update(faults, (f) => noFaults(f.unlockReply)),
      state: Ref.get(faults),
      received: Ref.get(received),
      unlockTimes: Ref.get(unlockTimes)
    }
    return { control, faults: faultsHandle }
  })

/** The bus twin on a serial line (a pseudo-terminal, a pair binding, a real port): LockerTwin + KerongBusFaults. */
export const layer = (options: KerongBusOptions, line: SerialLineOptions) =>
  Layer.scopedContext(Effect.gen(function*() {
    const { control, faults } = yield* make(options, yield* openSerialLine(line))
    return Context.make(LockerTwin.LockerTwin, control).pipe(Context.add(KerongBusFaults, faults))
  }))
