/**
 * CardTerminal on a ZVT card terminal over its serial line: Registration at
 * start, Status Enquiry as the health check (periodically while idle), Read
 * Card asking for the opaque identifier 1F14, Abort 06 B0 when a read is
 * interrupted. Application timers: T3 for the answer 80 00 00, T4 for the
 * end of a command (restarted by every intermediate message).
 *
 * The serial line reconnects by itself (serialLine.ts, reported to
 * DeviceStatus as "card"); while it is down every call fails Offline at once.
 * At every (re)open the link is reset and the terminal registered again. A
 * terminal still busy with an exchange of a peer that vanished (this process
 * was killed mid-read) answers the Registration "please wait": the driver
 * then sends Abort 06 B0, acknowledges until the terminal ended the old
 * exchange, and registers again.
 */
import { Deferred, Duration, Effect, Either, Fiber, Layer, Option, Queue, Ref, Stream } from "effect"
import { CardError } from "../../core/domain/errors.ts"
import { CardTerminal, type CardTerminalHealth } from "../../core/ports/CardTerminal.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import * as Zvt from "../../core/protocols/zvt.ts"
import type { CardConfig } from "./config.ts"
import { type LineSettings, openLine } from "./serialLine.ts"
import * as ZvtLink from "./zvtLink.ts"

export interface ZvtCardOptions extends Omit<CardConfig, "port"> {
  readonly line: LineSettings
}

const protocol = (message: string) => new CardError({ reason: "Protocol", message })
const built = (e: Either.Either<Uint8Array, Zvt.ZvtEncodeError>) => Either.mapLeft(e, (err) => protocol(err.message))
const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, "0")

/** What a result code (bitmap 27, `84 xx`, `06 1E xx`) means for the port. */
export const cardErrorOf = (code: number): CardError => {
  const text = `${Zvt.describeResult(code)} (result ${hex(code)})`
  if (code === Zvt.ResultCode.Aborted) return new CardError({ reason: "Timeout", message: `no card was presented: ${text}` })
  if ([0x64, 0x65, 0x66, 0x6e, 0x78, 0x79, 0x7a, 0xdd].includes(code)) return new CardError({ reason: "Unreadable", message: text })
  if ([0xdf, 0xe2, 0xa0].includes(code)) return new CardError({ reason: "Offline", message: text })
  return protocol(text)
}

const isEnd = (m: Zvt.ZvtMessage) =>
  m._tag === "StatusInformation" || m._tag === "Completion" || m._tag === "StatusEnquiryCompletion" || m._tag === "AbortFromTerminal"

export const make = (options: ZvtCardOptions) =>
  Effect.gen(function*() {
    const ms = Duration.millis
    const { timing } = options
    const line = yield* openLine({ stopBits: 2, ...options.line })
    const status = yield* DeviceStatus
    const lineDown = () => new CardError({ reason: "Offline", message: `card terminal line ${line.path} is not connected` })
    const lineUp = Effect.flatMap(line.isOpen, (open) => (open ? Effect.void : Effect.fail(lineDown())))
    const link = yield* ZvtLink.make(line, { t1: ms(timing.t1Millis), t2: ms(timing.t2Millis) })
    const app = yield* Effect.makeSemaphore(1)
    const registered = yield* Ref.make(false)
    const lastHealth = yield* Ref.make<Option.Option<CardTerminalHealth>>(Option.none())
    const running = yield* Ref.make<Option.Option<Deferred.Deferred<void>>>(Option.none())

    /** The next APDU from the terminal within `wait`; damaged frames meanwhile make it a protocol error. */
    const next = (wait: Duration.Duration, what: string) =>
      Effect.gen(function*() {
        const before = yield* link.damaged
        const apdu = yield* Queue.take(link.inbox).pipe(Effect.timeoutOption(wait))
        if (Option.isSome(apdu)) {
          const m = Zvt.decodeMessage(apdu.value)
          return yield* Either.isRight(m) ? Effect.succeed(m.right) : Effect.fail(protocol(`undecodable message from the terminal: ${m.left.message}`))
        }
        const broken = (yield* link.damaged) - before
        return yield* protocol(
          broken > 0
            ? `${broken} damaged frame(s) from the terminal while waiting for ${what}`
            : `no ${what} within ${Duration.format(wait)}`
        )
      })

    const ack = link.send(Zvt.positiveAnswer())

    /** Sends a command and waits T3 for 80 00 00. */
    const command = (apdu: Uint8Array, what: string) =>
      Effect.gen(function*() {
        yield* Queue.takeAll(link.inbox)
        yield* link.send(apdu)
        for (;;) {
          const m = yield* next(ms(timing.t3Millis), `the answer to ${what}`)
          if (m._tag === "PositiveAnswer") return
          if (m._tag === "NegativeAnswer") return yield* cardErrorOf(m.code)
          if (!isEnd(m)) yield* ack
        }
      })

    /**
     * The terminal is master: acknowledge each message until the end of the command (T4 restarts every
     * time). `ends` says which end messages end this command; any other end message is a straggler of an
     * earlier exchange (one cut off by a restart, an abort's own completion): acknowledged and skipped.
     */
    const untilEnd = (what: string, ends: (m: Zvt.ZvtMessage) => boolean = isEnd) =>
      Effect.gen(function*() {
        for (;;) {
          const m = yield* next(ms(timing.t4Millis), `the end of ${what}`)
          if (m._tag === "PositiveAnswer" || m._tag === "NegativeAnswer") continue
          yield* ack
          if (ends(m)) return m
          if (isEnd(m)) yield* Effect.logDebug(`card terminal: skipped a ${m._tag} left over from an earlier exchange while waiting for the end of ${what}`)
        }
      })

    /** Abort 06 B0, then acknowledge until the terminal answered and ended (each wait bounded by T3). */
    const abortExchange = (what: string) =>
      Effect.gen(function*() {
        yield* link.send(Zvt.abort())
        let answered = false
        let ended = false
        while (!answered || !ended) {
          const m = yield* next(ms(timing.t3Millis), what)
          if (m._tag === "PositiveAnswer" || m._tag === "NegativeAnswer") answered = true
          else {
            yield* ack
            if (isEnd(m)) ended = true
          }
        }
      })

    const registration = Effect.gen(function*() {
      yield* command(
        yield* built(Zvt.registration({
          password: options.password,
          config: options.configByte,
          currency: options.currency
        })),
        "Registration"
      )
      const end = yield* untilEnd("Registration")
      if (end._tag === "AbortFromTerminal") return yield* cardErrorOf(end.result)
    })

    const register = Effect.gen(function*() {
      if (yield* Ref.get(registered)) return
      yield* registration.pipe(
        // Busy with the exchange of a peer that is gone (e.g. a read this process started before it was killed).
        Effect.catchIf((e) => e.message.includes(`result ${hex(Zvt.ResultCode.PleaseWait)}`), () =>
          Effect.zipRight(
            abortExchange("the end of the exchange left behind").pipe(Effect.ignore),
            registration
          ))
      )
      yield* Ref.set(registered, true)
    })

    const enquiry = Effect.gen(function*() {
      yield* register
      yield* command(yield* built(Zvt.statusEnquiry({ password: options.password })), "Status Enquiry")
      const end = yield* untilEnd("Status Enquiry")
      const code = end._tag === "StatusEnquiryCompletion" ? end.terminalStatus : end._tag === "AbortFromTerminal" ? end.result : 0
      const health = { ready: code === Zvt.TerminalStatus.Ready, status: Zvt.describeTerminalStatus(code) }
      yield* Ref.set(lastHealth, Option.some(health))
      return health
    }).pipe(Effect.tapError(() => Ref.set(registered, false)))

    /** After an interrupted read: Abort 06 B0, then acknowledge until the terminal answered and ended (bounded by T3). */
    const abortRead = abortExchange("the end of the aborted read").pipe(Effect.ignore)

    const read = (seconds: number) =>
      Effect.gen(function*() {
        yield* register
        yield* command(yield* built(Zvt.readCard({ timeoutSeconds: seconds, request1F14: true })), "Read Card")
        // Read Card ends with Status Information (04 0F) or an abort (06 1E), never with a Completion (06 0F)
        const end = yield* untilEnd("Read Card", (m) => m._tag === "StatusInformation" || m._tag === "AbortFromTerminal")
        if (end._tag === "AbortFromTerminal") return yield* cardErrorOf(end.result)
        if (end._tag !== "StatusInformation") return yield* protocol(`Read Card ended with ${end._tag}, not Status Information`)
        if (end.result !== Zvt.ResultCode.NoError) return yield* cardErrorOf(end.result)
        const cardId = Zvt.findTlv(end.tlv, Zvt.TlvTag.CardId)
        if (cardId === undefined) return yield* protocol("Status Information carries no card identifier (TLV 1F14)")
        return { cardId }
      }).pipe(
        // The abort runs in its own interruptible fiber: inside the (uninterruptible) interruption handler its
        // T2/T3 timeouts could never interrupt their waits, and a silent terminal would hang the read forever.
        Effect.onInterrupt(() => Effect.flatMap(Effect.forkDaemon(Effect.interruptible(abortRead)), Fiber.join))
      )

    const readCard = Effect.fn("ZvtCardTerminal.readCard")(function*(timeout: Duration.Duration) {
      yield* lineUp
      const seconds = Math.min(255, Math.max(1, Math.ceil(Duration.toMillis(timeout) / 1000)))
      const signal = yield* Deferred.make<void>()
      const aborted = Effect.zipRight(Deferred.await(signal), Effect.fail(new CardError({ reason: "Aborted", message: "the read was aborted" })))
      return yield* app.withPermits(1)(Effect.gen(function*() {
        yield* Ref.set(running, Option.some(signal))
        // The port promises to wait up to `timeout`; the terminal only counts whole seconds, so the driver
        // keeps the exact limit itself (and aborts the read when it strikes first).
        return yield* Effect.raceFirst(read(seconds), aborted).pipe(
          Effect.timeoutFail({ duration: timeout, onTimeout: () => new CardError({ reason: "Timeout", message: "no card was presented" }) }),
          Effect.tapError((e) => e.reason === "Offline" || e.reason === "Protocol" ? Ref.set(registered, false) : Effect.void),
          Effect.ensuring(Ref.set(running, Option.none()))
        )
      }))
    })

    const abort = Effect.gen(function*() {
      const current = yield* Ref.get(running)
      if (Option.isSome(current)) {
        yield* Deferred.succeed(current.value, undefined)
        // returns once the read has let go of the terminal
        return yield* app.withPermits(1)(Effect.void)
      }
      // Idle: Abort still releases a retained card; a negative answer only means there was nothing to abort.
      yield* app.withPermits(1)(command(Zvt.abort(), "Abort")).pipe(
        Effect.catchIf((e) => e.reason !== "Offline", () => Effect.void)
      )
    }).pipe(Effect.withSpan("ZvtCardTerminal.abort"))

    const health = Effect.gen(function*() {
      // A line that is down is known without asking the bus (DeviceStatus "card" has the detail).
      yield* lineUp
      const done = yield* app.withPermitsIfAvailable(1)(enquiry)
      if (Option.isSome(done)) return done.value
      // A read is running: the terminal is busy, not broken. Anything else (registration) is short: wait.
      if (Option.isNone(yield* Ref.get(running))) return yield* app.withPermits(1)(enquiry)
      return Option.getOrElse(yield* Ref.get(lastHealth), () => ({ ready: true, status: "reading a card" }))
    }).pipe(Effect.withSpan("ZvtCardTerminal.health"))

    // The terminal itself (beside its serial port): up once it registered and while it answers the health
    // check, down with the reason otherwise. Only a change is logged (by the device watch), never each try;
    // and a kiosk is told the card reader works only once a read can really start.
    const say = (up: boolean, detail: string) => status.report("card", up, detail)

    // At every (re)open: a clean link and a fresh Registration, in the background; failures show in `health`.
    yield* line.opened.pipe(
      Stream.runForEach((generation) =>
        app.withPermits(1)(Effect.gen(function*() {
          yield* Ref.set(registered, false)
          yield* link.reset
          yield* register
        })).pipe(
          Effect.matchEffect({
            onFailure: (e) => say(false, `registration failed: ${e.message}`),
            onSuccess: () => say(true, "registered")
          }),
          Effect.withSpan("ZvtCardTerminal.register", { attributes: { generation } })
        )
      ),
      Effect.forkScoped
    )
    yield* Effect.sleep(ms(timing.healthMillis)).pipe(
      Effect.zipRight(
        Effect.zipRight(line.awaitOpen, app.withPermitsIfAvailable(1)(enquiry)).pipe(
          Effect.matchEffect({
            onFailure: (e) => say(false, `no answer to the status enquiry: ${e.message}`),
            onSuccess: (done) => Option.isSome(done) ? say(true, done.value.status) : Effect.void
          })
        )
      ),
      Effect.forever,
      Effect.forkScoped
    )

    return CardTerminal.of({ readCard, abort, health })
  })

/** The CardTerminal port on a ZVT terminal's serial line. */
export const layer = (options: ZvtCardOptions) => Layer.scoped(CardTerminal, make(options))
