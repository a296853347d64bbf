/**
 * SmsGateway on a GSM/LTE modem with AT commands: the start-up sequence (AT,
 * AT+CMEE=1, AT+CPIN?, AT+CREG?, AT+CMGF), SMS-SUBMIT in PDU mode (text mode
 * by configuration), modem errors classified into RetryLater / NeedsStaff /
 * Rejected. Messages go out one at a time from a queue; a RetryLater is tried
 * again with exponential back-off, a bounded number of times.
 */
import { Deferred, Duration, Effect, Either, Layer, Queue, Ref, Schedule } from "effect"
import { SmsError } from "../../core/domain/errors.ts"
import * as Sms from "../../core/protocols/sms.ts"
import { SmsGateway, type SmsReceipt } from "../../core/ports/SmsGateway.ts"
import type { ModemConfig } from "./config.ts"
import { type LineSettings, openLine } from "./serialLine.ts"

export interface AtSmsOptions extends Omit<ModemConfig, "port"> {
  readonly line: LineSettings
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

interface Job {
  readonly to: string
  readonly text: string
  readonly result: Deferred.Deferred<SmsReceipt, SmsError>
  readonly cancelled: Ref.Ref<boolean>
}

export const make = (options: AtSmsOptions) =>
  Effect.gen(function*() {
    const { timing } = options
    const line = yield* openLine(options.line)
    const events = yield* Queue.unbounded<Sms.AtEvent>()
    const parser = new Sms.AtLineParser()
    const ready = yield* Ref.make(false)
    const jobs = yield* Queue.unbounded<Job>()

    yield* Queue.take(line.input).pipe(
      Effect.flatMap((chunk) => Queue.offerAll(events, parser.push(chunk).flatMap((r) => (Either.isRight(r) ? [r.right] : [])))),
      Effect.forever,
      Effect.forkScoped
    )

    const write = (bytes: Uint8Array) =>
      line.write(bytes).pipe(Effect.mapError((e) => new SmsError({ reason: "RetryLater", message: `modem port: ${e.message}` })))

    /** Writes `bytes`, then collects information lines until the final result or the prompt. */
    const exchange = (bytes: Uint8Array, wait: number, what: string) =>
      Effect.gen(function*() {
        yield* Queue.takeAll(events)
        yield* write(bytes)
        const infos: Array<Sms.AtInfo> = []
        for (;;) {
          const e = yield* Queue.take(events)
          if (e._tag === "Prompt") return { _tag: "Prompt" } as Answer
          if (e._tag === "Info") infos.push(e)
          if (Sms.isFinal(e)) return { _tag: "Final", final: e, infos } as Answer
        }
      }).pipe(Effect.timeoutFail({
        duration: Duration.millis(wait),
        onTimeout: () => new SmsError({ reason: "RetryLater", message: `modem does not answer ${what} within ${wait} ms` })
      }))

    /** A command that must end with OK; returns its information lines. */
    const command = (bytes: Uint8Array, what: string) =>
      Effect.flatMap(exchange(bytes, timing.commandMillis, what), (a) =>
        a._tag === "Final" && a.final._tag === "Ok"
          ? Effect.succeed(a.infos)
          : Effect.fail(a._tag === "Prompt" ? new SmsError({ reason: "Rejected", message: `${what}: unexpected prompt` }) : smsErrorOf(a.final, what)))

    const startUp = Effect.gen(function*() {
      yield* command(Sms.attention(), "AT")
      yield* command(Sms.numericErrors(), "AT+CMEE=1")
      const pin = (yield* command(Sms.queryPin(), "AT+CPIN?")).find((i) => i.name === "+CPIN")?.value ?? "READY"
      if (pin === "SIM PIN") {
        if (options.pin === undefined) return yield* new SmsError({ reason: "NeedsStaff", message: "the SIM asks for its PIN and none is configured" })
        yield* command(Sms.atCommand(`AT+CPIN="${options.pin}"`), "AT+CPIN=<pin>")
      } else if (pin !== "READY") {
        return yield* new SmsError({ reason: "NeedsStaff", message: `SIM not ready: +CPIN: ${pin}` })
      }
      const creg = (yield* command(Sms.queryRegistration(), "AT+CREG?")).find((i) => i.name === "+CREG")
      const registration = creg === undefined ? undefined : Sms.registrationOf(creg)
      if (registration !== undefined && !registration.registered) {
        return yield* new SmsError({ reason: "RetryLater", message: `modem not registered with the network (+CREG stat ${registration.stat})` })
      }
      yield* command(options.mode === "pdu" ? Sms.pduMode() : Sms.textMode(), "AT+CMGF")
      yield* Ref.set(ready, true)
    }).pipe(Effect.withSpan("AtSmsGateway.startUp"))

    const rejected = (e: { readonly message: string }) => new SmsError({ reason: "Rejected", message: e.message })

    /** AT+CMGS: the command, the prompt, the message and Ctrl-Z, then +CMGS: <reference> and OK. */
    const submit = (head: Uint8Array, body: Uint8Array) =>
      Effect.gen(function*() {
        const prompt = yield* exchange(head, timing.commandMillis, "AT+CMGS")
        if (prompt._tag === "Final") return yield* smsErrorOf(prompt.final, "AT+CMGS")
        const answer = yield* exchange(body, timing.sendMillis, "the message")
        if (answer._tag === "Prompt") return yield* new SmsError({ reason: "RetryLater", message: "modem prompted twice" })
        if (answer.final._tag !== "Ok") return yield* smsErrorOf(answer.final, "AT+CMGS")
        const info = answer.infos.find((i) => i.name === "+CMGS")
        const reference = info === undefined ? undefined : Sms.messageReferenceOf(info)
        return { reference: reference === undefined ? "" : String(reference) } satisfies SmsReceipt
      })

    const viaPdu = (to: string, text: string) =>
      Effect.flatMap(Either.mapLeft(Sms.encodeSubmitPdu({ to, text }), rejected), (p) =>
        submit(Sms.sendPduCommand(p.tpduLength), Sms.pduBody(p.pdu)))

    const sendOnce = (to: string, text: string) =>
      Effect.gen(function*() {
        if (!(yield* Ref.get(ready))) yield* startUp
        if (options.mode === "pdu") return yield* viaPdu(to, text)
        const plain = Either.all([Sms.sendTextCommand(to), Sms.textBody(text)])
        if (Either.isRight(plain)) return yield* submit(plain.right[0], plain.right[1])
        // Text mode cannot carry umlauts safely (the modem's character set); such a message goes as a PDU.
        yield* command(Sms.pduMode(), "AT+CMGF=0")
        return yield* viaPdu(to, text).pipe(Effect.ensuring(Effect.ignore(command(Sms.textMode(), "AT+CMGF=1"))))
      }).pipe(
        // After a timeout or a SIM problem the modem may have restarted: run the start-up again next time.
        Effect.tapError((e) => e.reason === "Rejected" ? Effect.void : Ref.set(ready, false))
      )

    const deliver = (to: string, text: string) =>
      sendOnce(to, text).pipe(Effect.retry({
        schedule: Schedule.exponential(Duration.millis(timing.backoffMillis)),
        times: timing.attempts - 1,
        while: (e) => e.reason === "RetryLater"
      }))

    // The worker owns the line: the start-up at once (so problems show early; a failure is retried with
    // the first message), then one message at a time, in order.
    const worker = Effect.gen(function*() {
      const job = yield* Queue.take(jobs)
      if (yield* Ref.get(job.cancelled)) return
      yield* Deferred.complete(job.result, deliver(job.to, job.text))
    })
    yield* Effect.ignore(startUp).pipe(Effect.zipRight(Effect.forever(worker)), Effect.forkScoped)

    const send = Effect.fn("AtSmsGateway.send")(function*(to: string, text: string) {
      const job: Job = { to, text, result: yield* Deferred.make<SmsReceipt, SmsError>(), cancelled: yield* Ref.make(false) }
      yield* Queue.offer(jobs, job)
      return yield* Deferred.await(job.result).pipe(Effect.onInterrupt(() => Ref.set(job.cancelled, true)))
    })

    return SmsGateway.of({ send })
  })

/** The SmsGateway port on an AT modem. */
export const layer = (options: AtSmsOptions) => Layer.scoped(SmsGateway, make(options))
