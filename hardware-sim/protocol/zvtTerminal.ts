/**
 * Protocol twin of a ZVT card terminal on the serial transport: Registration,
 * Status Enquiry, Read Card (with 1F14 card identifiers), Abort — byte for
 * byte as PA00P015/016 describe them, through the codecs in core/protocols/zvt.
 *
 * The card slot, the card identifiers and the card faults are the behavioural
 * card twin's model (hardware-sim/behavioural/CardTwin.ts): a Read Card is the
 * model's `readCard`, so both twins agree on `cardIdOf(label)` and share one
 * control handle (CardTwinControl). This twin adds a faults handle for the wire.
 */
import { Context, Duration, Effect, Either, Layer, Option, Queue, Ref } from "effect"
import * as Zvt from "../../core/protocols/zvt.ts"
import * as CardTwin from "../behavioural/CardTwin.ts"
import { type DeviceLine, openSerialLine, type SerialLineOptions } from "./line.ts"
import * as ZvtLink from "./zvtLink.ts"

export interface ZvtTerminalOptions {
  /** 8 digits, sent in Completion field 29 */
  readonly terminalId?: string
  readonly softwareVersion?: string
  /** T1 inter-byte limit inside a frame (200 ms) */
  readonly t1?: Duration.DurationInput
  /** T2 wait for ACK/NAK (5 s) */
  readonly t2?: Duration.DurationInput
  /** wait for the kiosk's 80 00 00 after each terminal message (T3, 5 s) */
  readonly t3?: Duration.DurationInput
}

export interface ZvtFaults {
  /** no reply: the terminal neither acknowledges nor answers */
  readonly noReply: (on: boolean) => Effect.Effect<void>
  /** NAK the kiosk's next n frames */
  readonly nakStorm: (count: number) => Effect.Effect<void>
  /** the next n frames the terminal sends carry a wrong CRC */
  readonly corruptCrc: (count: number) => Effect.Effect<void>
  /** bytes written before every frame; null stops it */
  readonly garbage: (bytes: Uint8Array | null) => Effect.Effect<void>
  /** a gap between the bytes of every frame (over T1 violates the inter-byte timer); null stops it */
  readonly slowBytes: (gap: Duration.DurationInput | null) => Effect.Effect<void>
  /**
   * A terminal that stops mid-exchange: it accepts the next command (ACK and
   * 80 00 00), then hangs — nothing acknowledged, nothing answered — for
   * `forMillis`, and comes back having forgotten that command (like a reboot).
   */
  readonly stallNextCommand: (forMillis: number) => Effect.Effect<void>
  /**
   * A straggler: right after accepting the next Read Card the terminal sends
   * a Completion (06 0F) left over from an earlier exchange — what a terminal
   * does that finishes the exchange of a cash register that was killed.
   */
  readonly strayCompletion: Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** every APDU the kiosk sent, decoded, oldest first */
  readonly received: Effect.Effect<ReadonlyArray<Zvt.ZvtMessage>>
  /** the config byte of the last Registration, if any */
  readonly registeredConfig: Effect.Effect<number | null>
}

export class ZvtTerminalFaults extends Context.Tag("amtomat/twin/ZvtTerminalFaults")<ZvtTerminalFaults, ZvtFaults>() {}

const orDie = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))

export const make = (options: ZvtTerminalOptions, line: DeviceLine) =>
  Effect.gen(function*() {
    const model = yield* CardTwin.make
    const linkFaults = yield* Ref.make(ZvtLink.noLinkFaults)
    const received = yield* Ref.make<ReadonlyArray<Zvt.ZvtMessage>>([])
    const registered = yield* Ref.make<number | null>(null)
    const offline = Effect.map(model.control.fault, (f) => f === "offline")
    const link = yield* ZvtLink.make(
      line,
      {
        t1: Duration.decode(options.t1 ?? "200 millis"),
        t2: Duration.decode(options.t2 ?? "5 seconds")
      },
      linkFaults,
      offline
    )
    const t3 = Duration.decode(options.t3 ?? "5 seconds")
    const terminalId = options.terminalId ?? "29001234"

    // Commands that arrive while the terminal waits for an acknowledgement wait here for their turn.
    const stash = yield* Ref.make<ReadonlyArray<Uint8Array>>([])
    /** set by stallNextCommand: how long the terminal hangs after accepting the next command */
    const stall = yield* Ref.make<Duration.Duration | null>(null)
    const straggler = yield* Ref.make(false)
    const next = Effect.flatMap(
      Ref.modify(stash, (xs) => [xs[0], xs.slice(1)]),
      (first) => first === undefined ? Queue.take(link.inbox) : Effect.succeed(first)
    )

    const answer = (apdu: Uint8Array) => Effect.asVoid(link.send(apdu))
    /**
     * A message while the terminal is master: sent, then the kiosk's 80 00 00 awaited (T3). False when
     * the kiosk is gone (no ACK after the repeats, or no answer within T3): the exchange is over then.
     */
    const tell = (apdu: Uint8Array) =>
      Effect.gen(function*() {
        if (!(yield* link.send(apdu))) return false
        const answered = yield* Effect.gen(function*() {
          for (;;) {
            const apdu = yield* Queue.take(link.inbox)
            if (apdu[0] === 0x80) return
            yield* Ref.update(stash, (xs) => [...xs, apdu])
          }
        }).pipe(Effect.timeoutOption(t3))
        return Option.isSome(answered)
      })

    /** Waits for the kiosk's Abort 06 B0 while a read runs; other commands are refused (busy). */
    const abortRequested = Effect.gen(function*() {
      for (;;) {
        const apdu = yield* next
        const m = Zvt.decodeMessage(apdu)
        if (Either.isRight(m)) yield* Ref.update(received, (xs) => [...xs, m.right])
        if (Either.isRight(m) && m.right._tag === "Abort") return
        if (apdu[0] !== 0x80) yield* answer(orDie(Zvt.negativeAnswer(Zvt.ResultCode.PleaseWait)))
      }
    })

    const readCard = (m: Zvt.ReadCard) =>
      Effect.gen(function*() {
        yield* answer(Zvt.positiveAnswer())
        if (yield* Ref.getAndSet(straggler, false)) {
          if (!(yield* tell(orDie(Zvt.completion({ statusByte: 0x00, terminalId, currency: 978 }))))) return
        }
        const config = (yield* Ref.get(registered)) ?? Zvt.ConfigBit.SendIntermediateStatus
        if (config & Zvt.ConfigBit.SendIntermediateStatus) {
          // the kiosk vanished right after its command (killed, unplugged): no card read for nobody
          if (!(yield* tell(orDie(Zvt.intermediateStatus(Zvt.IntermediateStatusCode.InsertCard))))) return
        }
        const seconds = m.timeoutSeconds === 0 ? 180 : m.timeoutSeconds
        const outcome = yield* Effect.raceFirst(
          Effect.map(Effect.either(model.port.readCard(Duration.seconds(seconds))), Option.some),
          Effect.as(abortRequested, Option.none())
        )
        if (Option.isNone(outcome)) {
          yield* answer(Zvt.positiveAnswer())
          return yield* Effect.asVoid(tell(orDie(Zvt.abortFromTerminal(Zvt.ResultCode.Aborted))))
        }
        const read = outcome.value
        if (Either.isLeft(read) && read.left.reason === "Offline") return
        const wantsId = (Zvt.findTlv(m.tlv, Zvt.TlvTag.CardReadingControl)?.[0] ?? 0) & Zvt.CardReadingControl.RequestCardId
        const result = Either.isRight(read)
          ? Zvt.ResultCode.NoError
          : read.left.reason === "Unreadable"
          ? Zvt.ResultCode.CardNotReadable
          : Zvt.ResultCode.Aborted
        yield* Effect.asVoid(tell(orDie(Zvt.statusInformation({
          result,
          terminalId,
          ...(Either.isRight(read) ? { cardType: 0x05 } : {}),
          ...(Either.isRight(read) && wantsId ? { cardId: read.right.cardId } : {})
        }))))
      })

    const dispatch = (apdu: Uint8Array) =>
      Effect.gen(function*() {
        const decoded = Zvt.decodeMessage(apdu)
        if (Either.isLeft(decoded)) return yield* answer(orDie(Zvt.negativeAnswer(Zvt.ResultCode.ProtocolError)))
        const m = decoded.right
        yield* Ref.update(received, (xs) => [...xs, m])
        if (m._tag !== "PositiveAnswer" && m._tag !== "NegativeAnswer") {
          const hang = yield* Ref.getAndSet(stall, null)
          if (hang !== null) {
            // accepted, then the terminal hangs; it comes back without the command and without what arrived meanwhile
            yield* answer(Zvt.positiveAnswer())
            yield* Ref.update(linkFaults, (f) => ({ ...f, silent: true }))
            yield* Effect.sleep(hang)
            yield* Ref.update(linkFaults, (f) => ({ ...f, silent: false }))
            yield* Queue.takeAll(link.inbox)
            return yield* Ref.set(stash, [])
          }
        }
        switch (m._tag) {
          case "Registration":
            yield* Ref.set(registered, m.config)
            yield* answer(Zvt.positiveAnswer())
            return yield* Effect.asVoid(tell(orDie(Zvt.completion({ statusByte: 0x00, terminalId, currency: m.currency ?? 978 }))))
          case "StatusEnquiry": {
            yield* answer(Zvt.positiveAnswer())
            const status = (yield* model.control.waiting) ? Zvt.TerminalStatus.CardInserted : Zvt.TerminalStatus.Ready
            return yield* Effect.asVoid(tell(orDie(Zvt.statusEnquiryCompletion(options.softwareVersion ?? "AMTOMAT-TWIN 1.0", status))))
          }
          case "ReadCard":
            return yield* readCard(m)
          case "Abort":
            yield* model.port.abort
            return yield* answer(Zvt.positiveAnswer())
          case "PositiveAnswer":
          case "NegativeAnswer":
            return
          default:
            return yield* answer(orDie(Zvt.negativeAnswer(Zvt.ResultCode.FunctionNotPossible)))
        }
      })

    yield* next.pipe(Effect.flatMap(dispatch), Effect.forever, Effect.forkScoped)

    const setLink = (f: (s: ZvtLink.ZvtLinkFaultState) => ZvtLink.ZvtLinkFaultState) => Ref.update(linkFaults, f)
    const faults: ZvtFaults = {
      noReply: (on) => setLink((s) => ({ ...s, silent: on })),
      nakStorm: (count) => setLink((s) => ({ ...s, nakStorm: count })),
      corruptCrc: (count) => setLink((s) => ({ ...s, badCrc: count })),
      garbage: (bytes) => setLink((s) => ({ ...s, garbage: bytes })),
      slowBytes: (gap) => setLink((s) => ({ ...s, slowBytes: gap === null ? null : Duration.decode(gap) })),
      stallNextCommand: (forMillis) => Ref.set(stall, Duration.millis(forMillis)),
      strayCompletion: Ref.set(straggler, true),
      clear: Effect.zipRight(Effect.zipRight(Ref.set(stall, null), Ref.set(straggler, false)), Ref.set(linkFaults, ZvtLink.noLinkFaults)),
      received: Ref.get(received),
      registeredConfig: Ref.get(registered)
    }
    return { control: model.control, faults }
  })

/** The terminal twin on a serial line: CardTwin + ZvtTerminalFaults. */
export const layer = (options: ZvtTerminalOptions, line: SerialLineOptions) =>
  Layer.scopedContext(Effect.gen(function*() {
    const { control, faults } = yield* make(options, yield* openSerialLine({ stopBits: 2, ...line }))
    return Context.make(CardTwin.CardTwin, control).pipe(Context.add(ZvtTerminalFaults, faults))
  }))
