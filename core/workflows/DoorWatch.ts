/**
 * The server owns every door it opens. A workflow that opens a compartment or
 * the intake flap hands the watching to this service: the watch runs in the
 * terminal's scope, not in the request that opened the door, so it goes on
 * until the door is shut whatever the kiosk page or the staff browser does
 * (reload, crash, closed tab, a cut network). The open doors are listed for
 * the kiosk, so a page that loads meanwhile shows the right screen.
 */
import { Clock, Effect, FiberMap, Ref } from "effect"
import type { OpenPurpose } from "../domain/events.ts"
import type { CompartmentId } from "../domain/ids.ts"

export type DoorPhase =
  /** the citizen takes the document (pickup), puts one in (intake, load) or takes it back (return) */
  | "hands"
  /** what had to happen happened, or the time for it ran out: the door must be shut now */
  | "close"

export interface OpenDoor {
  /** the compartment, or null for the intake flap */
  readonly compartmentId: CompartmentId | null
  readonly purpose: typeof OpenPurpose.Type
  readonly phase: DoorPhase
  /** epoch ms when the door opened */
  readonly since: number
}

const keyOf = (compartmentId: CompartmentId | null) => compartmentId === null ? "intake" : `c${compartmentId}`

export class DoorWatch extends Effect.Service<DoorWatch>()("amtomat/DoorWatch", {
  scoped: Effect.gen(function*() {
    const fibers = yield* FiberMap.make<string>()
    const doors = yield* Ref.make<ReadonlyMap<string, OpenDoor & { readonly watch: number }>>(new Map())
    const counter = yield* Ref.make(0)

    /** Forgets the door unless a newer watch of it took over. */
    const forget = (key: string, watch: number) =>
      Ref.update(doors, (m) => {
        if (m.get(key)?.watch !== watch) return m
        const next = new Map(m)
        next.delete(key)
        return next
      })

    /**
     * Runs `watch` for the door until it returns, detached from the caller: an
     * interrupted request does not stop it. A new watch of the same door
     * replaces the old one. Failures are logged, never lost silently.
     */
    const start = <E>(compartmentId: CompartmentId | null, purpose: typeof OpenPurpose.Type, watch: Effect.Effect<void, E>) =>
      Effect.gen(function*() {
        const key = keyOf(compartmentId)
        const since = yield* Clock.currentTimeMillis
        const id = yield* Ref.updateAndGet(counter, (n) => n + 1)
        yield* Ref.update(doors, (m) => new Map(m).set(key, { compartmentId, purpose, phase: "hands", since, watch: id }))
        yield* FiberMap.run(
          fibers,
          key,
          watch.pipe(
            Effect.catchAllCause((cause) => Effect.logError(`watch of ${key} (${purpose}) failed`, cause)),
            Effect.ensuring(forget(key, id))
          )
        )
      })

    const setPhase = (compartmentId: CompartmentId | null, phase: DoorPhase) =>
      Ref.update(doors, (m) => {
        const key = keyOf(compartmentId)
        const door = m.get(key)
        return door === undefined ? m : new Map(m).set(key, { ...door, phase })
      })

    /** The doors being watched now. */
    const current = Effect.map(
      Ref.get(doors),
      (m): ReadonlyArray<OpenDoor> => [...m.values()].map(({ compartmentId, phase, purpose, since }) => ({ compartmentId, purpose, phase, since }))
    )

    const watching = (compartmentId: CompartmentId | null) => Effect.map(Ref.get(doors), (m) => m.has(keyOf(compartmentId)))

    return { start, setPhase, current, watching } as const
  })
}) {}

/**
 * The last `size` watches by key (a session, an order), newest last: so a
 * call that comes after its door was shut still finds what the watch decided.
 */
export const recentWatches = <K, V>(size: number) =>
  Effect.map(Ref.make<ReadonlyMap<K, V>>(new Map()), (ref) => ({
    set: (key: K, value: V) =>
      Ref.update(ref, (m) => {
        const next = new Map(m)
        next.delete(key)
        next.set(key, value)
        for (const oldest of next.keys()) {
          if (next.size <= size) break
          next.delete(oldest)
        }
        return next
      }),
    get: (key: K) => Effect.map(Ref.get(ref), (m) => m.get(key))
  }))
