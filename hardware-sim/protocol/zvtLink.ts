/**
 * The card terminal's side of the ZVT serial link layer (PA00P016): frames
 * with DLE stuffing and CRC, ACK 06 / NAK 15 on every frame, T1 between the
 * bytes of a frame, T2 for the acknowledgement, at most two repeats. Wire
 * faults are applied here: silence, NAK storms, corrupted CRCs, garbage
 * between frames, bytes too slow for T1.
 */
import { Duration, Effect, Either, Option, Queue, Ref } from "effect"
import * as Zvt from "../../core/protocols/zvt.ts"
import { type DeviceLine, writeSlowly } from "./line.ts"

export interface ZvtLinkFaultState {
  /** no reply at all: frames are neither acknowledged nor answered */
  readonly silent: boolean
  /** NAK the host's next n frames */
  readonly nakStorm: number
  /** send the next n frames with a wrong CRC */
  readonly badCrc: number
  /** garbage written before every frame the terminal sends */
  readonly garbage: Uint8Array | null
  /** gap between the bytes of every frame the terminal sends (over T1 breaks the frame) */
  readonly slowBytes: Duration.Duration | null
}

export const noLinkFaults: ZvtLinkFaultState = { silent: false, nakStorm: 0, badCrc: 0, garbage: null, slowBytes: null }

export interface ZvtLinkTiming {
  readonly t1: Duration.Duration
  readonly t2: Duration.Duration
}

export interface ZvtLink {
  /** APDUs from the host, each already acknowledged with 06 */
  readonly inbox: Queue.Dequeue<Uint8Array>
  /** Sends an APDU and waits for 06, repeating at most twice; false when the host never acknowledged. */
  readonly send: (apdu: Uint8Array) => Effect.Effect<boolean>
}

/** Runs the link on a line for the scope. `silent` also covers faults decided elsewhere (terminal offline). */
export const make = (
  line: DeviceLine,
  timing: ZvtLinkTiming,
  faults: Ref.Ref<ZvtLinkFaultState>,
  offline: Effect.Effect<boolean>
) =>
  Effect.gen(function*() {
    const inbox = yield* Queue.unbounded<Uint8Array>()
    const acks = yield* Queue.unbounded<"Ack" | "Nak">()
    const deframer = new Zvt.Deframer()
    const mute = Effect.zipWith(Ref.get(faults), offline, (f, o) => f.silent || o)

    const receive = (event: Either.Either<Zvt.ZvtLinkEvent, Zvt.ZvtTransportError>) =>
      Effect.gen(function*() {
        if (Either.isLeft(event)) {
          if (event.left.reason === "BadCrc" && !(yield* mute)) yield* line.write(Uint8Array.of(Zvt.NAK))
          return
        }
        const e = event.right
        if (e._tag !== "Frame") return yield* Queue.offer(acks, e._tag)
        if (yield* mute) return
        const storm = yield* Ref.modify(faults, (f) => [f.nakStorm > 0, f.nakStorm > 0 ? { ...f, nakStorm: f.nakStorm - 1 } : f])
        if (storm) return yield* line.write(Uint8Array.of(Zvt.NAK))
        yield* line.write(Uint8Array.of(Zvt.ACK))
        yield* Queue.offer(inbox, e.apdu)
      })

    // Reader: T1 runs only inside a frame; when it expires the half frame is dropped.
    yield* Effect.gen(function*() {
      const chunk = deframer.inFrame
        ? yield* Queue.take(line.input).pipe(Effect.timeoutOption(timing.t1))
        : Option.some(yield* Queue.take(line.input))
      if (Option.isNone(chunk)) return deframer.reset()
      yield* Effect.forEach(deframer.push(chunk.value), receive, { discard: true })
    }).pipe(Effect.forever, Effect.forkScoped)

    const transmit = (apdu: Uint8Array) =>
      Effect.gen(function*() {
        const f = yield* Ref.get(faults)
        const wire = Zvt.frame(apdu)
        if (f.badCrc > 0) {
          wire[wire.length - 1] = wire[wire.length - 1]! ^ 0xa5
          yield* Ref.update(faults, (s) => ({ ...s, badCrc: s.badCrc - 1 }))
        }
        if (f.garbage !== null) yield* line.write(f.garbage)
        yield* f.slowBytes === null ? line.write(wire) : writeSlowly(line, wire, f.slowBytes)
      })

    const send = (apdu: Uint8Array): Effect.Effect<boolean> =>
      Effect.gen(function*() {
        if (yield* mute) return false
        yield* Queue.takeAll(acks)
        for (let attempt = 0; attempt < 3; attempt++) {
          yield* transmit(apdu)
          const answer = yield* Queue.take(acks).pipe(Effect.timeoutOption(timing.t2))
          if (Option.isSome(answer) && answer.value === "Ack") return true
        }
        return false
      })

    return { inbox, send } satisfies ZvtLink
  })
