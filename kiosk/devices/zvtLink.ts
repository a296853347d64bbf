/**
 * The cash register's side of the ZVT serial link layer (PA00P016): every
 * frame from the terminal is checked and answered with ACK 06 or NAK 15; a
 * frame whose bytes come more than T1 apart is dropped; every frame sent
 * waits T2 for the acknowledgement and is repeated at most twice.
 */
import { Duration, Effect, Either, Option, Queue, Ref } from "effect"
import { CardError } from "../../core/domain/errors.ts"
import * as Zvt from "../../core/protocols/zvt.ts"
import type { HostLine } from "./serialLine.ts"

export interface ZvtLinkTiming {
  readonly t1: Duration.Duration
  readonly t2: Duration.Duration
}

export interface ZvtLink {
  /** APDUs from the terminal, each already acknowledged */
  readonly inbox: Queue.Dequeue<Uint8Array>
  /** Sends one APDU; fails Offline when never acknowledged, Protocol when refused with NAK three times. */
  readonly send: (apdu: Uint8Array) => Effect.Effect<void, CardError>
  /** damaged frames received so far (bad CRC, broken stuffing, T1 expired) */
  readonly damaged: Effect.Effect<number>
  /**
   * Forgets everything of the link before a reopen of the line: a half frame in
   * the deframer, pending acknowledgements, APDUs nobody took.
   */
  readonly reset: Effect.Effect<void>
}

export const make = (line: HostLine, timing: ZvtLinkTiming) =>
  Effect.gen(function*() {
    const inbox = yield* Queue.unbounded<Uint8Array>()
    const acks = yield* Queue.unbounded<"Ack" | "Nak">()
    const damaged = yield* Ref.make(0)
    const deframer = new Zvt.Deframer()
    const writeRaw = (byte: number) => line.write(Uint8Array.of(byte)).pipe(Effect.ignore)

    const receive = (event: Either.Either<Zvt.ZvtLinkEvent, Zvt.ZvtTransportError>) =>
      Effect.gen(function*() {
        if (Either.isLeft(event)) {
          if (event.left.reason === "Garbage") return
          yield* Ref.update(damaged, (n) => n + 1)
          if (event.left.reason === "BadCrc") yield* writeRaw(Zvt.NAK)
          return
        }
        const e = event.right
        if (e._tag !== "Frame") return yield* Queue.offer(acks, e._tag)
        yield* writeRaw(Zvt.ACK)
        yield* Queue.offer(inbox, e.apdu)
      })

    // Reader. T1 runs only inside a frame; when it expires the partial frame is dropped (the sender repeats after T2).
    yield* Effect.gen(function*() {
      const chunk = deframer.inFrame
        ? yield* Queue.take(line.input).pipe(Effect.timeoutOption(timing.t1))
        : Option.some(yield* Queue.take(line.input))
      if (Option.isNone(chunk)) {
        deframer.reset()
        return yield* Ref.update(damaged, (n) => n + 1)
      }
      yield* Effect.forEach(deframer.push(chunk.value), receive, { discard: true })
    }).pipe(Effect.forever, Effect.forkScoped)

    const lock = yield* Effect.makeSemaphore(1)
    const send = (apdu: Uint8Array) =>
      lock.withPermits(1)(Effect.gen(function*() {
        const wire = Zvt.frame(apdu)
        yield* Queue.takeAll(acks)
        let naks = 0
        for (let attempt = 0; attempt < 3; attempt++) {
          yield* line.write(wire).pipe(Effect.mapError((e) => new CardError({ reason: "Offline", message: e.message })))
          const answer = yield* Queue.take(acks).pipe(Effect.timeoutOption(timing.t2))
          if (Option.isSome(answer) && answer.value === "Ack") return
          if (Option.isSome(answer)) naks++
        }
        return yield* naks > 0
          ? new CardError({ reason: "Protocol", message: `card terminal refused the frame ${naks} time(s) (NAK), no ACK after two repeats` })
          : new CardError({ reason: "Offline", message: `card terminal does not acknowledge (no ACK within T2 ${Duration.format(timing.t2)}, two repeats)` })
      }))

    const reset = Effect.gen(function*() {
      deframer.reset()
      yield* Queue.takeAll(acks)
      yield* Queue.takeAll(inbox)
    })

    return { inbox, send, damaged: Ref.get(damaged), reset } satisfies ZvtLink
  })
