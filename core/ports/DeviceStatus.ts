/**
 * Whether each device is there: every adapter (a serial driver, a twin)
 * reports its own connection — the port opened, lost, reopened, a board that
 * stopped answering — and the rest of the terminal reads the cached state
 * (health, metrics, the kiosk's list of what is available, alarms) without
 * touching a bus. One entry per device, or per part of one (`part`: a locker
 * board), keyed by `device` and `part`.
 */
import { Clock, Context, Effect, Layer, PubSub, type Queue, Ref, type Scope, Stream } from "effect"
import type { Device } from "../domain/events.ts"

export interface DeviceHealth {
  readonly device: Device
  /** a part of the device with its own connection, e.g. `board 1` of the locker bus; "" for the whole device */
  readonly part: string
  readonly up: boolean
  /** one sentence: what is wrong, or what is connected */
  readonly detail: string
  /** when the state last changed (epoch ms) */
  readonly since: number
  /** how often it came back after being lost */
  readonly reconnects: number
}

export const deviceKey = (h: { readonly device: Device; readonly part: string }) => h.part === "" ? h.device : `${h.device}/${h.part}`

export class DeviceStatus extends Context.Tag("amtomat/DeviceStatus")<DeviceStatus, {
  /**
   * Records the state of a device (or part). Only a change of `up` is
   * published and counted; a repeated report updates the detail silently.
   */
  readonly report: (device: Device, up: boolean, detail: string, part?: string) => Effect.Effect<void>
  /** Every device that reported, as last reported. */
  readonly current: Effect.Effect<ReadonlyArray<DeviceHealth>>
  /** Each change of `up`, as it happens. */
  readonly changes: Stream.Stream<DeviceHealth>
  /** The same changes as a queue, subscribed when this runs (so nothing between it and a read of `current` is missed). */
  readonly subscribe: Effect.Effect<Queue.Dequeue<DeviceHealth>, never, Scope.Scope>
}>() {
  /** The state in memory, for one process. */
  static readonly layer = Layer.effect(
    DeviceStatus,
    Effect.gen(function*() {
      const state = yield* Ref.make<ReadonlyMap<string, DeviceHealth>>(new Map())
      const hub = yield* PubSub.unbounded<DeviceHealth>()
      const report = (device: Device, up: boolean, detail: string, part = "") =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const key = deviceKey({ device, part })
          const changed = yield* Ref.modify(state, (m) => {
            const before = m.get(key)
            const flipped = before === undefined || before.up !== up
            const next: DeviceHealth = {
              device,
              part,
              up,
              detail,
              since: flipped ? now : before.since,
              reconnects: (before?.reconnects ?? 0) + (before !== undefined && !before.up && up ? 1 : 0)
            }
            return [flipped ? next : undefined, new Map(m).set(key, next)] as const
          })
          if (changed !== undefined) yield* PubSub.publish(hub, changed)
        })
      return DeviceStatus.of({
        report,
        current: Effect.map(Ref.get(state), (m) => [...m.values()]),
        changes: Stream.fromPubSub(hub),
        subscribe: PubSub.subscribe(hub)
      })
    })
  )
}
