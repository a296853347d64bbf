/**
 * Behavioural twin of the locker bank: locks that spring open when unlocked
 * and stay open until pushed shut, item sensors, boards that can drop off the
 * bus, jammed locks and stuck sensors. Provides the LockerBank port and a
 * control handle (the citizen's and the technician's hands).
 */
import { Context, Effect, Layer, PubSub, Ref, Stream } from "effect"
import { type Channel, channelKey } from "../../core/domain/compartment.ts"
import { LockerError } from "../../core/domain/errors.ts"
import { type ChannelStatus, LockerBank, type LockerChange } from "../../core/ports/LockerBank.ts"
import { TwinError } from "./TwinError.ts"

export interface TwinLock {
  readonly channel: Channel
  readonly doorOpen: boolean
  readonly item: boolean
  readonly jammed: boolean
  /** A stuck item sensor reports this value whatever is inside. */
  readonly stuckSensor: boolean | null
}

export interface LockerTwinControl {
  readonly locks: Effect.Effect<ReadonlyArray<TwinLock>>
  /** Pushes a door shut (it latches). */
  readonly close: (channel: Channel) => Effect.Effect<void, TwinError>
  /** Puts an item into an open compartment. */
  readonly putItem: (channel: Channel) => Effect.Effect<void, TwinError>
  /** Takes the item out of an open compartment. */
  readonly takeItem: (channel: Channel) => Effect.Effect<void, TwinError>
  readonly jam: (channel: Channel, jammed: boolean) => Effect.Effect<void, TwinError>
  readonly stickSensor: (channel: Channel, value: boolean | null) => Effect.Effect<void, TwinError>
  readonly setBoardOnline: (board: number, online: boolean) => Effect.Effect<void>
  readonly boardsOffline: Effect.Effect<ReadonlyArray<number>>
  /** Documents dropped through chutes into the bin so far. */
  readonly binned: Effect.Effect<number>
}

export class LockerTwin extends Context.Tag("amtomat/twin/LockerTwin")<LockerTwin, LockerTwinControl>() {}

interface State {
  readonly locks: ReadonlyMap<string, TwinLock>
  readonly offline: ReadonlySet<number>
}

const sensed = (l: TwinLock) => l.stuckSensor ?? l.item

export interface LockerTwinOptions {
  /** Channels that hold something at start (the physical state survives a restart). */
  readonly items?: ReadonlyArray<Channel>
  /**
   * Chutes: flaps over a bin, like the old-document intake. The sensor sees
   * what lies on the flap; when the flap is pushed shut it drops into the bin.
   */
  readonly chutes?: ReadonlyArray<Channel>
  /** Doors standing open at start (a restart does not shut them). */
  readonly openDoors?: ReadonlyArray<Channel>
}

export const make = (channels: ReadonlyArray<Channel>, initial: LockerTwinOptions = {}) =>
  Effect.gen(function*() {
    const withItem = new Set((initial.items ?? []).map(channelKey))
    const chutes = new Set((initial.chutes ?? []).map(channelKey))
    const openAtStart = new Set((initial.openDoors ?? []).map(channelKey))
    const binned = yield* Ref.make(0)
    const state = yield* Ref.make<State>({
      locks: new Map(channels.map((c) => [channelKey(c), {
        channel: c,
        doorOpen: openAtStart.has(channelKey(c)),
        item: withItem.has(channelKey(c)),
        jammed: false,
        stuckSensor: null
      }])),
      offline: new Set()
    })
    const hub = yield* PubSub.unbounded<LockerChange>()
    const publish = (changes: ReadonlyArray<LockerChange>) => Effect.forEach(changes, (c) => PubSub.publish(hub, c), { discard: true })

    const lockOf = (s: State, channel: Channel) => s.locks.get(channelKey(channel))
    const update = (channel: Channel, f: (l: TwinLock) => TwinLock | TwinError) =>
      Effect.gen(function*() {
        const s = yield* Ref.get(state)
        const before = lockOf(s, channel)
        if (!before) return yield* new TwinError({ message: `no lock ${channelKey(channel)} on the bus` })
        const after = f(before)
        if (after instanceof TwinError) return yield* after
        const locks = new Map(s.locks)
        locks.set(channelKey(channel), after)
        yield* Ref.set(state, { ...s, locks })
        const changes: Array<LockerChange> = []
        if (!s.offline.has(channel.board)) {
          if (before.doorOpen !== after.doorOpen) changes.push({ _tag: "DoorChanged", channel, door: after.doorOpen ? "open" : "closed" })
          if (sensed(before) !== sensed(after)) changes.push({ _tag: "ItemChanged", channel, item: sensed(after) })
        }
        yield* publish(changes)
      })

    const statusOf = (s: State, l: TwinLock): ChannelStatus =>
      s.offline.has(l.channel.board)
        ? { channel: l.channel, door: "unknown", item: null }
        : { channel: l.channel, door: l.doorOpen ? "open" : "closed", item: sensed(l) }

    const port = LockerBank.of({
      open: (channel) =>
        Effect.gen(function*() {
          const s = yield* Ref.get(state)
          const l = lockOf(s, channel)
          if (!l) return yield* new LockerError({ reason: "Protocol", message: `no lock ${channelKey(channel)} configured` })
          if (s.offline.has(channel.board)) return yield* new LockerError({ reason: "Offline", message: `board ${channel.board} does not answer` })
          if (l.jammed) return yield* new LockerError({ reason: "Jammed", message: `lock ${channelKey(channel)} stays locked` })
          yield* update(channel, (x) => ({ ...x, doorOpen: true })).pipe(Effect.orDie)
        }),
      status: (channel) =>
        Effect.gen(function*() {
          const s = yield* Ref.get(state)
          const l = lockOf(s, channel)
          if (!l) return yield* new LockerError({ reason: "Protocol", message: `no lock ${channelKey(channel)} configured` })
          if (s.offline.has(channel.board)) return yield* new LockerError({ reason: "Offline", message: `board ${channel.board} does not answer` })
          return statusOf(s, l)
        }),
      snapshot: Effect.map(Ref.get(state), (s) => [...s.locks.values()].map((l) => statusOf(s, l))),
      changes: Stream.fromPubSub(hub)
    })

    const control: LockerTwinControl = {
      locks: Effect.map(Ref.get(state), (s) => [...s.locks.values()]),
      close: (channel) =>
        Effect.gen(function*() {
          const drops = chutes.has(channelKey(channel)) && (lockOf(yield* Ref.get(state), channel)?.item ?? false)
          yield* update(channel, (l) => ({ ...l, doorOpen: false, item: chutes.has(channelKey(channel)) ? false : l.item }))
          if (drops) yield* Ref.update(binned, (n) => n + 1)
        }),
      putItem: (channel) =>
        update(channel, (l) =>
          !l.doorOpen ?
            new TwinError({ message: `compartment ${channelKey(channel)} is closed` })
            : l.item ?
            new TwinError({ message: `compartment ${channelKey(channel)} already holds an item` })
            : { ...l, item: true }),
      takeItem: (channel) =>
        update(channel, (l) =>
          !l.doorOpen ?
            new TwinError({ message: `compartment ${channelKey(channel)} is closed` })
            : !l.item ?
            new TwinError({ message: `compartment ${channelKey(channel)} is empty` })
            : { ...l, item: false }),
      jam: (channel, jammed) => update(channel, (l) => ({ ...l, jammed })),
      stickSensor: (channel, value) => update(channel, (l) => ({ ...l, stuckSensor: value })),
      setBoardOnline: (board, online) =>
        Effect.gen(function*() {
          const s = yield* Ref.get(state)
          if (s.offline.has(board) === !online) return
          const offline = new Set(s.offline)
          if (online) offline.delete(board)
          else offline.add(board)
          yield* Ref.set(state, { ...s, offline })
          yield* publish([{ _tag: "BoardOnline", board, online }])
        }),
      boardsOffline: Effect.map(Ref.get(state), (s) => [...s.offline].sort((a, b) => a - b)),
      binned: Ref.get(binned)
    }
    return { port, control }
  })

/** The LockerBank port and its LockerTwin control, over the given channels. */
export const layer = (channels: ReadonlyArray<Channel>, initial: LockerTwinOptions = {}) =>
  Layer.effectContext(Effect.map(make(channels, initial), ({ control, port }) => Context.make(LockerBank, port).pipe(Context.add(LockerTwin, control))))
