/**
 * The control handles of twins in another process (`amtomat twin
 * --control-port`), over the twins' control API (./api.ts): the same
 * interfaces as in process — LockerTwinControl, CardTwinControl,
 * SmsTwinControl and the faults the harnesses inject — so a contract suite or
 * a crash harness here can be the citizen's hands there.
 *
 * The API addresses a lock by its slot (compartment number or `intake`), the
 * handles by its channel: the client learns the twin's slots once, from its
 * devices view.
 */
import { FetchHttpClient, HttpApiClient } from "@effect/platform"
import { Effect, Ref } from "effect"
import { type Channel, channelKey } from "../../core/domain/compartment.ts"
import type { CardTwinControl } from "../behavioural/CardTwin.ts"
import type { LockerTwinControl } from "../behavioural/LockerTwin.ts"
import type { SmsTwinControl } from "../behavioural/SmsTwin.ts"
import { TwinError } from "../behavioural/TwinError.ts"
import type { KerongFaults } from "../protocol/kerongBus.ts"
import type { ModemFaults } from "../protocol/smsModem.ts"
import { type Port, type Slot, TwinControlApi, TwinNotFound } from "./api.ts"

/** What a remote twin offers: the hands in full, the faults the harnesses use, and the rig. */
export interface Remote {
  readonly locker: LockerTwinControl
  readonly card: CardTwinControl
  readonly sms: SmsTwinControl
  readonly kerongFaults: Pick<KerongFaults, "silence" | "noise" | "state">
  readonly modemFaults: Pick<ModemFaults, "reboot" | "simPin" | "sim" | "lteOnly" | "unregistered" | "unsolicited" | "interject">
  readonly twins: {
    /** fresh twins on the same lines, in their initial state (e.g. before each test) */
    readonly reset: Effect.Effect<void, TwinError>
    /** power goes off and on: volatile state gone, doors and documents where they physically are */
    readonly powerCycle: Effect.Effect<void, TwinError>
    /** the device's serial port vanishes; with `forMillis` it is back at the same path after that long */
    readonly unplug: (device: Port, forMillis?: number) => Effect.Effect<void, TwinError>
    /** the device's serial port is back, at the same path or at `at`; yields the host path */
    readonly replug: (device: Port, at?: string) => Effect.Effect<string, TwinError>
  }
}

/** The remote handles at `url` (what `amtomat twin` printed as `control`), over the given HttpClient. */
export const make = (url: string) =>
  Effect.gen(function*() {
    const api = yield* HttpApiClient.make(TwinControlApi, { baseUrl: url })
    /** A refusal stays a TwinError; anything else that went wrong becomes one that says so. */
    const refusable = <A, E extends { readonly message: string }>(effect: Effect.Effect<A, E>): Effect.Effect<A, TwinError> =>
      Effect.mapError(effect, (e) =>
        e instanceof TwinError ? e : new TwinError({ message: e instanceof TwinNotFound ? e.message : `twin control at ${url}: ${e.message}` }))
    // Operations that cannot be refused are typed without an error in the control interfaces: a lost
    // connection to the twin process is a broken test rig, so it becomes a defect there.
    const sure = Effect.orDie

    const devices = api.hands.devices()
    const slots = yield* Ref.make<ReadonlyMap<string, Slot> | undefined>(undefined)
    const slotOf = (channel: Channel) =>
      Effect.gen(function*() {
        let known = yield* Ref.get(slots)
        if (known === undefined) {
          const locks = (yield* refusable(devices)).locks
          known = new Map(locks.flatMap((l) => (l.slot === 0 ? [] : [[channelKey(l), l.slot] as const])))
          yield* Ref.set(slots, known)
        }
        const slot = known.get(channelKey(channel))
        return slot !== undefined ? slot : yield* new TwinError({ message: `no lock ${channelKey(channel)} on the bus` })
      })
    const atSlot = (channel: Channel, act: (slot: Slot) => Effect.Effect<void, { readonly message: string }>) =>
      Effect.flatMap(slotOf(channel), (slot) =>
        refusable(act(slot)))

    const locker: LockerTwinControl = {
      locks: sure(Effect.map(devices, (d) =>
        d.locks.map((l) => ({
          channel: { board: l.board, lock: l.lock },
          doorOpen: l.doorOpen,
          item: l.item,
          jammed: l.jammed,
          stuckSensor: l.stuckSensor
        })))),
      close: (c) => atSlot(c, (slot) => api.hands.close({ path: { slot } })),
      putItem: (c) => atSlot(c, (slot) => api.hands.put({ path: { slot } })),
      takeItem: (c) => atSlot(c, (slot) => api.hands.take({ path: { slot } })),
      jam: (c, jammed) => atSlot(c, (slot) => api.hands.jam({ path: { slot }, payload: { jammed } })),
      stickSensor: (c, stuck) => atSlot(c, (slot) => api.hands.stickSensor({ path: { slot }, payload: { stuck } })),
      setBoardOnline: (board, online) => sure(api.hands.boardOnline({ path: { board }, payload: { online } })),
      boardsOffline: sure(Effect.map(devices, (d) => d.boardsOffline)),
      binned: sure(Effect.map(devices, (d) => d.binned))
    }
    const card: CardTwinControl = {
      insert: (label) => sure(api.hands.insertCard({ payload: { label } })),
      remove: sure(api.hands.removeCard()),
      waiting: sure(Effect.map(devices, (d) => d.card.waiting)),
      setFault: (fault) => sure(api.hands.cardFault({ payload: { fault } })),
      fault: sure(Effect.map(devices, (d) => d.card.fault)),
      reads: sure(Effect.map(devices, (d) => d.card.reads))
    }
    const sms: SmsTwinControl = {
      inbox: (to) => sure(api.hands.inbox({ urlParams: to === undefined ? {} : { to } })),
      setFault: (fault) => sure(api.hands.smsFault({ payload: { fault } })),
      fault: sure(Effect.map(devices, (d) => d.sms.fault)),
      clear: sure(api.hands.clearInbox())
    }
    const remote: Remote = {
      locker,
      card,
      sms,
      kerongFaults: {
        silence: (board, count) => sure(api.kerong.silence({ payload: count === undefined || !Number.isFinite(count) ? { board } : { board, count } })),
        noise: (bytes) => sure(api.kerong.noise({ payload: { bytes } })),
        state: sure(api.kerong.faults())
      },
      modemFaults: {
        reboot: sure(api.modem.reboot()),
        simPin: (pin) => sure(api.modem.simPin({ payload: { pin } })),
        sim: sure(api.modem.sim()),
        lteOnly: (on) => sure(api.modem.lteOnly({ payload: { on } })),
        unregistered: (on) => sure(api.modem.unregistered({ payload: { on } })),
        unsolicited: (lines) => sure(api.modem.unsolicited({ payload: { lines } })),
        interject: (lines) => sure(api.modem.interject({ payload: { lines } }))
      },
      twins: {
        reset: refusable(api.rig.reset()),
        powerCycle: refusable(api.rig.powerCycle()),
        unplug: (device, forMillis) => refusable(api.rig.unplug({ path: { device }, payload: forMillis === undefined ? {} : { forMillis } })),
        replug: (device, at) => refusable(Effect.map(api.rig.replug({ path: { device }, payload: at === undefined ? {} : { at } }), (r) => r.path))
      }
    }
    return remote
  })

/** The remote handles at `url`, over fetch. */
export const client = (url: string): Effect.Effect<Remote> => Effect.provide(make(url), FetchHttpClient.layer)
