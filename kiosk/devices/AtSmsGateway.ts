/**
 * SmsGateway on a GSM/LTE modem with AT commands: the start-up sequence (AT,
 * AT+CMEE=1, AT+CPIN?, AT+CREG? / AT+CEREG?, AT+CMGF), SMS-SUBMIT in PDU mode
 * (text mode by configuration), modem errors classified into RetryLater /
 * NeedsStaff / Rejected. Messages go out one at a time from a queue; a
 * RetryLater is tried again with exponential back-off, a bounded number of
 * times, and then reaches the caller — a job is never dropped.
 *
 * Left alone for a night, the modem is kept usable:
 * - the start-up runs at once, again on every (re)open of the serial line,
 *   again after the modem is seen restarting (RDY, +CFUN: 1, +CPIN: …, SMS Ready,
 *   PB DONE outside a command), and — while the modem is down for a passing
 *   reason (no network, no answer) — again with back-off up to `recheckMillis`;
 * - the configured SIM PIN is sent only when the SIM asks for it and still has
 *   all its attempts (AT+CPINR, where the modem knows it); once the SIM refuses
 *   it, it is never sent again by this process: sends fail with NeedsStaff;
 * - every state change is reported to DeviceStatus ("sms") and logged once.
 */
import { Data, Deferred, Duration, Effect, Either, Layer, Option, Queue, Ref, Schedule, Stream } from "effect"
import { SmsError } from "../../core/domain/errors.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { SmsGateway, type SmsReceipt } from "../../core/ports/SmsGateway.ts"
import * as Sms from "../../core/protocols/sms.ts"
import type { ModemConfig } from "./config.ts"
import { type LineSettings, openLine } from "./serialLine.ts"

/** Quiet time after the ESC that opens every start-up, for a modem's answer to it to arrive. */
const ESC_SETTLE_MILLIS = 50

export interface AtSmsOptions extends Omit<ModemConfig, "port"> {
  /** the modem's line; it reports as device "sms" whatever `device` says */
  readonly line: Omit<LineSettings, "device"> & Partial<Pick<LineSettings, "device">>
}

type Answer =
  | { readonly _tag: "Final"; readonly final: Sms.AtEvent; readonly infos: ReadonlyArray<Sms.AtInfo> }
  | { readonly _tag: "Prompt" }

/** What a modem error means for the caller. */
export const smsErrorOf = (event: Sms.AtEvent, during: string): SmsError => {
  if (event._tag !== "CmsError" && event._tag !== "CmeError") {
    return new SmsError({ reason: "Rejected", message: `${during}: modem answered ${event._tag === "Error" ? "ERROR" : event._tag}` })
  }
  const kind = event._tag === "CmsError" ? "cms" : "cme"
  const text = `${during}: +${kind.toUpperCase()} ERROR: ${event.text}`
  if (event.code === undefined) return new SmsError({ reason: "Rejected", message: text })
  const cls = Sms.classifySmsError(event.code, kind)
  return new SmsError({ reason: cls === "retry-later" ? "RetryLater" : cls === "needs-staff" ? "NeedsStaff" : "Rejected", message: text })
}

/** The one-sentence reasons the modem is reported down for. */
export const detail = {
  up: "ready to send",
  pinRefused: "the SIM refused the configured PIN; staff must check it",
  pinTried: "the SIM has had a wrong PIN before; staff must check the PIN",
  noPin: "the SIM asks for a PIN and none is configured; staff must configure it",
  puk: "the SIM is blocked and needs its PUK; staff must unblock it",
  noSim: "there is no SIM card in the modem; staff must insert one",
  sim: "the SIM is not ready; staff must check it",
  notRegistered: "the modem is not registered with the mobile network",
  noAnswer: "the modem does not answer",
  restarted: "the modem restarted; it is being set up again",
  lineClosed: "the modem's serial line is closed"
} as const

interface Job {
  readonly to: string
  readonly text: string
  readonly result: Deferred.Deferred<SmsReceipt, SmsError>
  readonly cancelled: Ref.Ref<boolean>
}

/** What makes the start-up run again. */
type Trigger = "line" | "restart"

/** The start-up refused, with the sentence for DeviceStatus (inside the driver only; callers see SmsError). */
class ModemDown extends Data.TaggedError("ModemDown")<{
  readonly reason: SmsError["reason"]
  readonly message: string
  readonly detail: string
}> {}

const refuse = (reason: SmsError["reason"], message: string, why: string) => new ModemDown({ reason, message, detail: why })

const downOf = (e: SmsError | ModemDown): ModemDown =>
  e._tag === "ModemDown" ? e : refuse(
    e.reason,
    e.message,
    e.reason === "RetryLater" ? detail.noAnswer : e.reason === "NeedsStaff" ? detail.sim : "the modem refused its set-up commands"
  )

export const make = (options: AtSmsOptions) =>
  Effect.gen(function*() {
    const { timing } = options
    const settleMillis = timing.settleMillis ?? 2000
    const recheckMillis = timing.recheckMillis ?? 300_000
    const status = yield* DeviceStatus
    const line = yield* openLine({ ...options.line, device: "sms" })
    const events = yield* Queue.unbounded<Sms.AtEvent>()
    const parser = new Sms.AtLineParser()
    const ready = yield* Ref.make(false)
    /** set once the SIM refused the configured PIN: it is never sent again */
    const pinRefused = yield* Ref.make(false)
    /** the information names the command in progress answers with; undefined between commands */
    const expecting = yield* Ref.make<ReadonlyArray<string> | undefined>(undefined)
    /** during the start-up the modem's late start notices are expected, except a new RDY */
    const starting = yield* Ref.make(false)
    /** restarts of the modem seen so far */
    const restarts = yield* Ref.make(0)
    const triggers = yield* Queue.sliding<Trigger>(4)
    const jobs = yield* Queue.unbounded<Job>()
    const current = yield* Ref.make<Job | undefined>(undefined)
    const lock = yield* Effect.makeSemaphore(1)
    const health = yield* Ref.make<{ readonly up: boolean; readonly detail: string } | undefined>(undefined)

    /** Reports every time (DeviceStatus keeps the latest detail); logs only a change. */
    const setHealth = (up: boolean, why: string) =>
      Effect.gen(function*() {
        const before = yield* Ref.getAndSet(health, { up, detail: why })
        yield* status.report("sms", up, why)
        if (before !== undefined && before.up === up && before.detail === why) return
        yield* up ? Effect.logInfo(`SMS modem up: ${why}`) : Effect.logWarning(`SMS modem down: ${why}`)
      })

    /** Modem output: start notices outside a command mean a reset; inside one they are skipped. */
    const onEvent = (e: Sms.AtEvent) =>
      Effect.gen(function*() {
        if (!Sms.isStartNotice(e)) return yield* Queue.offer(events, e)
        const answering = yield* Ref.get(expecting)
        if (e._tag === "Info" && answering !== undefined && answering.includes(e.name)) return yield* Queue.offer(events, e)
        const restart = Sms.isRestart(e)
        if (!restart && (yield* Ref.get(starting))) return
        // RDY ends whatever was in progress: the exchange hears it and gives up at once
        if (restart && answering !== undefined) yield* Queue.offer(events, e)
        yield* Ref.set(ready, false)
        yield* Ref.update(restarts, (n) => n + 1)
        yield* Queue.offer(triggers, "restart")
      })

    yield* Queue.take(line.input).pipe(
      Effect.flatMap((chunk) => Effect.forEach(parser.push(chunk), (r) => Either.isRight(r) ? onEvent(r.right) : Effect.void, { discard: true })),
      Effect.forever,
      Effect.forkScoped
    )

    const write = (bytes: Uint8Array) =>
      line.write(bytes).pipe(Effect.mapError((e) => new SmsError({ reason: "RetryLater", message: `modem port: ${e.message}` })))

    /** Writes `bytes`, then collects information lines until the final result or the prompt. */
    const exchange = (bytes: Uint8Array, wait: number, what: string, answers: ReadonlyArray<string> = []) =>
      Effect.gen(function*() {
        yield* Queue.takeAll(events)
        yield* Ref.set(expecting, answers)
        yield* write(bytes)
        const infos: Array<Sms.AtInfo> = []
        for (;;) {
          const e = yield* Queue.take(events)
          if (Sms.isRestart(e)) return yield* new SmsError({ reason: "RetryLater", message: `the modem restarted during ${what}` })
          if (e._tag === "Prompt") return { _tag: "Prompt" } as Answer
          if (e._tag === "Info") infos.push(e)
          if (Sms.isFinal(e)) return { _tag: "Final", final: e, infos } as Answer
        }
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.millis(wait),
          onTimeout: () => new SmsError({ reason: "RetryLater", message: `modem does not answer ${what} within ${wait} ms` })
        }),
        Effect.ensuring(Ref.set(expecting, undefined))
      )

    /** ESC: leaves a message prompt the modem may still be in; its answer (OK, or none) is awaited and dropped. */
    const cancelInput = Effect.ignore(exchange(Sms.cancelInput(), timing.commandMillis, "ESC"))

    /** A command that must end with OK; returns its information lines. */
    const command = (bytes: Uint8Array, what: string, answers: ReadonlyArray<string> = []) =>
      Effect.flatMap(exchange(bytes, timing.commandMillis, what, answers), (a) =>
        a._tag === "Final" && a.final._tag === "Ok"
          ? Effect.succeed(a.infos)
          : a._tag === "Prompt"
          ? Effect.zipRight(cancelInput, Effect.fail(new SmsError({ reason: "RetryLater", message: `${what}: unexpected prompt` })))
          : Effect.fail(smsErrorOf(a.final, what)))

    const statOf = (infos: ReadonlyArray<Sms.AtInfo>) => {
      for (const i of infos) {
        const r = Sms.registrationOf(i)
        if (r !== undefined) return r
      }
      return undefined
    }

    /** Sends the configured PIN once — unless the SIM already counted a wrong one. */
    const enterPin = Effect.gen(function*() {
      const pin = options.pin
      if (pin === undefined) return yield* refuse("NeedsStaff", "the SIM asks for its PIN and none is configured", detail.noPin)
      const retries = yield* Effect.either(command(Sms.queryPinRetries(), "AT+CPINR", ["+CPINR"]))
      const left = Either.isRight(retries) ? retries.right.map(Sms.pinRetriesOf).find((r) => r !== undefined) : undefined
      if (left !== undefined && left.left < (left.initial ?? 3)) {
        return yield* refuse("NeedsStaff", `the SIM has ${left.left} PIN attempts left; the PIN is not sent`, detail.pinTried)
      }
      const bytes = yield* Either.mapLeft(Sms.enterPin(pin), (e) => new SmsError({ reason: "NeedsStaff", message: e.message }))
      const answer = yield* exchange(bytes, timing.commandMillis, "AT+CPIN=<pin>")
      if (answer._tag === "Final" && answer.final._tag === "Ok") {
        // the SIM starts up now (and may print +CPIN: READY, SMS Ready): give it time before registration
        return yield* Effect.sleep(Duration.millis(Math.min(settleMillis, timing.commandMillis)))
      }
      yield* Ref.set(pinRefused, true)
      const said = answer._tag === "Prompt" ? "a prompt" : smsErrorOf(answer.final, "AT+CPIN=<pin>").message
      return yield* refuse("NeedsStaff", `the SIM refused the configured PIN (${said}); it is not sent again`, detail.pinRefused)
    })

    const startUp = Effect.zipRight(
      Ref.set(starting, true),
      Effect.gen(function*() {
        // A terminal killed in the middle of a send leaves the modem at its "> " prompt, taking every
        // later byte as the message: ESC leaves the prompt (outside one a modem ignores it). Its answer,
        // if any, is dropped by the next exchange.
        yield* Effect.ignore(write(Sms.cancelInput()))
        yield* Effect.sleep(Duration.millis(ESC_SETTLE_MILLIS))
        yield* command(Sms.attention(), "AT")
        yield* command(Sms.numericErrors(), "AT+CMEE=1")
        const cpin = yield* command(Sms.queryPin(), "AT+CPIN?", ["+CPIN"]).pipe(
          Effect.catchIf(
            (e) => e.reason === "NeedsStaff",
            (e) => refuse("NeedsStaff", e.message, /: \+CME ERROR: 10$/.test(e.message) ? detail.noSim : detail.sim)
          )
        )
        const value = cpin.find((i) => i.name === "+CPIN")?.value ?? "READY"
        const sim = Sms.simStateOf(value)
        if (sim === "pin") yield* enterPin
        else if (sim === "puk") return yield* refuse("NeedsStaff", "the SIM asks for its PUK", detail.puk)
        else if (sim === "missing") return yield* refuse("NeedsStaff", `no SIM: +CPIN: ${value}`, detail.noSim)
        else if (sim !== "ready") return yield* refuse("NeedsStaff", `SIM not ready: +CPIN: ${value}`, detail.sim)
        const creg = statOf(yield* command(Sms.queryRegistration(), "AT+CREG?", ["+CREG"]))
        if (creg !== undefined && !creg.registered) {
          // an LTE-only modem is not registered for circuit-switched service, but is on the LTE network
          const lte = yield* Effect.either(command(Sms.queryLteRegistration(), "AT+CEREG?", ["+CEREG"]))
          const cereg = Either.isRight(lte) ? statOf(lte.right) : undefined
          if (cereg === undefined || !cereg.registered) {
            return yield* refuse(
              "RetryLater",
              `modem not registered with the network (+CREG stat ${creg.stat}${cereg === undefined ? "" : `, +CEREG stat ${cereg.stat}`})`,
              detail.notRegistered
            )
          }
        }
        yield* command(options.mode === "pdu" ? Sms.pduMode() : Sms.textMode(), "AT+CMGF")
      })
    ).pipe(Effect.ensuring(Ref.set(starting, false)), Effect.withSpan("AtSmsGateway.startUp"))

    /** The start-up if it is due; with the line held. Fails fast while the line is closed or the PIN was refused. */
    const ensureReady = Effect.gen(function*() {
      if (yield* Ref.get(pinRefused)) {
        yield* setHealth(false, detail.pinRefused)
        return yield* new SmsError({ reason: "NeedsStaff", message: detail.pinRefused })
      }
      if (!(yield* line.isOpen)) return yield* new SmsError({ reason: "RetryLater", message: detail.lineClosed })
      if (yield* Ref.get(ready)) return
      const seen = yield* Ref.get(restarts)
      const result = yield* Effect.either(Effect.zipRight(
        startUp,
        Effect.suspend(() =>
          Effect.flatMap(
            Ref.get(restarts),
            (n) => n === seen ? Effect.void : Effect.fail(new SmsError({ reason: "RetryLater", message: "the modem restarted during its start-up" }))
          )
        )
      ))
      if (Either.isLeft(result)) {
        const down = downOf(result.left)
        const restarted = (yield* Ref.get(restarts)) !== seen && down.reason === "RetryLater"
        yield* setHealth(false, restarted ? detail.restarted : down.detail)
        return yield* new SmsError({ reason: down.reason, message: down.message })
      }
      yield* Ref.set(ready, true)
      yield* setHealth(true, detail.up)
    })

    const rejected = (e: { readonly message: string }) => new SmsError({ reason: "Rejected", message: e.message })

    /** AT+CMGS: the command, the prompt, the message and Ctrl-Z, then +CMGS: <reference> and OK. */
    const submit = (head: Uint8Array, body: Uint8Array) =>
      Effect.flatMap(Ref.get(restarts), (seen) => {
        // no answer: the modem may still wait for the message, so leave it; not after a restart (it forgot it)
        const unanswered = <A>(step: Effect.Effect<A, SmsError>) =>
          Effect.tapError(step, () => Effect.flatMap(Ref.get(restarts), (n) => n === seen ? cancelInput : Effect.void))
        return Effect.gen(function*() {
          const prompt = yield* unanswered(exchange(head, timing.commandMillis, "AT+CMGS"))
          if (prompt._tag === "Final") return yield* smsErrorOf(prompt.final, "AT+CMGS")
          const answer = yield* unanswered(exchange(body, timing.sendMillis, "the message", ["+CMGS"]))
          if (answer._tag === "Prompt") return yield* new SmsError({ reason: "RetryLater", message: "modem prompted twice" })
          if (answer.final._tag !== "Ok") return yield* smsErrorOf(answer.final, "AT+CMGS")
          const info = answer.infos.find((i) => i.name === "+CMGS")
          const reference = info === undefined ? undefined : Sms.messageReferenceOf(info)
          return { reference: reference === undefined ? "" : String(reference) } satisfies SmsReceipt
        })
      })

    const viaPdu = (to: string, text: string) =>
      Effect.flatMap(Either.mapLeft(Sms.encodeSubmitPdu({ to, text }), rejected), (p) => submit(Sms.sendPduCommand(p.tpduLength), Sms.pduBody(p.pdu)))

    /** One attempt, holding the line: the start-up if due, then the message. */
    const sendOnce = (to: string, text: string) =>
      lock.withPermits(1)(
        Effect.gen(function*() {
          yield* ensureReady
          if (options.mode === "pdu") return yield* viaPdu(to, text)
          const plain = Either.all([Sms.sendTextCommand(to), Sms.textBody(text)])
          if (Either.isRight(plain)) {
            return yield* submit(plain.right[0], plain.right[1])
          }
          // Text mode cannot carry umlauts safely (the modem's character set); such a message goes as a PDU.
          yield* command(Sms.pduMode(), "AT+CMGF=0")
          return yield* viaPdu(to, text).pipe(Effect.ensuring(Effect.ignore(command(Sms.textMode(), "AT+CMGF=1"))))
        }).pipe(
          // After a timeout, a restart or a SIM problem the modem may have lost its settings: start up again next time.
          Effect.tapError((e) => e.reason === "Rejected" ? Effect.void : Ref.set(ready, false))
        )
      )

    const deliver = (to: string, text: string) =>
      sendOnce(to, text).pipe(Effect.retry({
        schedule: Schedule.exponential(Duration.millis(timing.backoffMillis)),
        times: timing.attempts - 1,
        while: (e) => e.reason === "RetryLater"
      }))

    // Jobs left when the gateway stops are answered, never dropped.
    yield* Effect.addFinalizer(() =>
      Effect.gen(function*() {
        const busy = yield* Ref.get(current)
        const left = [...(busy === undefined ? [] : [busy]), ...(yield* Queue.takeAll(jobs))]
        yield* Effect.forEach(left, (job) => Deferred.fail(job.result, new SmsError({ reason: "RetryLater", message: "the SMS gateway stopped" })), {
          discard: true
        })
      })
    )

    // The worker: one message at a time, in order, each with its attempts.
    yield* Effect.gen(function*() {
      const job = yield* Queue.take(jobs)
      if (yield* Ref.get(job.cancelled)) return
      yield* Ref.set(current, job)
      yield* Deferred.complete(job.result, deliver(job.to, job.text))
      yield* Ref.set(current, undefined)
    }).pipe(Effect.forever, Effect.forkScoped)

    // The start-up at every (re)open of the line; after a restart of the modem once it settled; and,
    // while the modem is down for a passing reason, again with back-off (no log line per try).
    yield* line.opened.pipe(
      Stream.runForEach(() => Effect.zipRight(Ref.set(ready, false), Queue.offer(triggers, "line"))),
      Effect.forkScoped
    )
    const recover = (first: Trigger) =>
      Effect.gen(function*() {
        let next: Trigger | "retry" = first
        let delay = timing.backoffMillis
        for (;;) {
          if (next === "restart") {
            yield* Ref.set(ready, false)
            if ((yield* Ref.get(health))?.up === true) yield* setHealth(false, detail.restarted)
            yield* Effect.sleep(Duration.millis(settleMillis))
            yield* Queue.takeAll(triggers)
          }
          if (next !== "retry") delay = timing.backoffMillis
          const result = yield* Effect.either(lock.withPermits(1)(ensureReady))
          const again = Either.isLeft(result) && result.left.reason === "RetryLater" && (yield* line.isOpen)
          if (!again) return
          const woken = yield* Effect.timeoutOption(Queue.take(triggers), Duration.millis(delay))
          delay = Math.min(delay * 2, recheckMillis)
          next = Option.getOrElse(woken, () => "retry" as const)
        }
      })
    yield* Queue.take(triggers).pipe(Effect.flatMap(recover), Effect.forever, Effect.forkScoped)

    const send = Effect.fn("AtSmsGateway.send")(function*(to: string, text: string) {
      const job: Job = { to, text, result: yield* Deferred.make<SmsReceipt, SmsError>(), cancelled: yield* Ref.make(false) }
      yield* Queue.offer(jobs, job)
      return yield* Deferred.await(job.result).pipe(Effect.onInterrupt(() => Ref.set(job.cancelled, true)))
    })

    return SmsGateway.of({ send })
  })

/** The SmsGateway port on an AT modem; it reports the modem's state to DeviceStatus. */
export const layer = (options: AtSmsOptions) => Layer.scoped(SmsGateway, make(options))
