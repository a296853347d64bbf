/**
 * Protocol twin of a GSM/LTE modem speaking AT commands (3GPP TS 27.005/27.007):
 * AT, ATE, AT+CMEE, AT+CPIN, AT+CREG, AT+CSQ, AT+CMGF, and AT+CMGS in PDU and
 * text mode, with the `> ` prompt and Ctrl-Z. A PDU is decoded with the codec
 * (decodeSubmitPdu) and the text delivered to the phones.
 *
 * The phones' inboxes and the SIM/network faults are the behavioural SMS
 * twin's model (hardware-sim/behavioural/SmsTwin.ts): a sent message is the
 * model's `send`, so both twins share one control handle (SmsTwinControl).
 * This twin adds a faults handle for the line.
 */
import { Context, Duration, Effect, Either, Layer, Ref } from "effect"
import * as Sms from "../../core/protocols/sms.ts"
import type { PhoneNumber } from "../../core/domain/values.ts"
import * as SmsTwin from "../behavioural/SmsTwin.ts"
import { type DeviceLine, openSerialLine, type SerialLineOptions } from "./line.ts"

export interface SmsModemOptions {
  /** echo commands back, as a modem does after power-on (default true) */
  readonly echo?: boolean
  /** the SIM starts locked with this PIN */
  readonly pin?: string
  /** time the network takes to accept a message */
  readonly sendDelay?: Duration.DurationInput
}

export interface SmsModemFaultState {
  /** no reply at all */
  readonly silent: boolean
  /** the +CMS ERROR a network fault produces (331 no network, 332 network timeout, 38, 41, 42 …) */
  readonly networkError: number
  /** the next n messages fail with this +CMS ERROR, whatever the model says */
  readonly failNext: { readonly code: number; readonly count: number } | null
}

export interface ModemFaults {
  readonly noReply: (on: boolean) => Effect.Effect<void>
  readonly networkError: (code: number) => Effect.Effect<void>
  readonly failNext: (code: number, count: number) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** every command line the host sent, oldest first */
  readonly received: Effect.Effect<ReadonlyArray<string>>
}

export class SmsModemFaults extends Context.Tag("amtomat/twin/SmsModemFaults")<SmsModemFaults, ModemFaults>() {}

const noFaults: SmsModemFaultState = { silent: false, networkError: 331, failNext: null }

type Body = { readonly mode: "pdu"; readonly length: number } | { readonly mode: "text"; readonly to: string }

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

export const make = (options: SmsModemOptions, line: DeviceLine) =>
  Effect.gen(function*() {
    const model = yield* SmsTwin.make
    const faults = yield* Ref.make(noFaults)
    const received = yield* Ref.make<ReadonlyArray<string>>([])
    const session = {
      echo: options.echo ?? true,
      cmee: 0,
      textMode: false,
      pinLocked: options.pin !== undefined,
      buffer: "",
      body: null as Body | null
    }

    const say = (s: string) => line.write(ascii(s))
    const final = (s: string) => say(`\r\n${s}\r\n`)
    const info = (s: string) => say(`\r\n${s}\r\n`)
    const error = (code: number, kind: "CMS" | "CME") => final(session.cmee === 0 ? "ERROR" : `+${kind} ERROR: ${code}`)
    /** SIM state as the modem sees it: 10 not inserted, 11 PIN required, undefined ready. */
    const simProblem = Effect.map(model.control.fault, (f) => f === "sim-missing" ? 10 : session.pinLocked ? 11 : undefined)

    const command = (text: string) =>
      Effect.gen(function*() {
        const upper = text.toUpperCase()
        if (upper === "AT") return yield* final("OK")
        if (upper === "ATE0" || upper === "ATE1") {
          session.echo = upper === "ATE1"
          return yield* final("OK")
        }
        let m = /^AT\+CMEE=([012])$/.exec(upper)
        if (m) {
          session.cmee = Number(m[1])
          return yield* final("OK")
        }
        if (upper === "AT+CPIN?") {
          const sim = yield* simProblem
          if (sim === 10) return yield* error(10, "CME")
          yield* info(sim === 11 ? "+CPIN: SIM PIN" : "+CPIN: READY")
          return yield* final("OK")
        }
        m = /^AT\+CPIN="?([0-9]{4,8})"?$/.exec(upper)
        if (m) {
          if ((yield* simProblem) === 10) return yield* error(10, "CME")
          if (options.pin !== undefined && m[1] !== options.pin) return yield* error(16, "CME")
          session.pinLocked = false
          return yield* final("OK")
        }
        if (upper === "AT+CREG?") {
          const registered = (yield* model.control.fault) === "none" && !session.pinLocked
          yield* info(`+CREG: 0,${registered ? 1 : 0}`)
          return yield* final("OK")
        }
        if (upper === "AT+CSQ") {
          yield* info("+CSQ: 21,99")
          return yield* final("OK")
        }
        m = /^AT\+CMGF=([01])$/.exec(upper)
        if (m) {
          session.textMode = m[1] === "1"
          return yield* final("OK")
        }
        if (upper === "AT+CMGF?") {
          yield* info(`+CMGF: ${session.textMode ? 1 : 0}`)
          return yield* final("OK")
        }
        m = /^AT\+CMGS=(?:([0-9]{1,3})|"(\+?[0-9]{1,20})")$/.exec(upper)
        if (m) {
          const sim = yield* simProblem
          if (sim !== undefined) return yield* error(sim === 10 ? 310 : 311, "CMS")
          if (session.textMode !== (m[2] !== undefined)) return yield* error(session.textMode ? 304 : 305, "CMS")
          session.body = m[1] !== undefined ? { mode: "pdu", length: Number(m[1]) } : { mode: "text", to: m[2]! }
          return yield* say("\r\n> ")
        }
        return yield* final("ERROR")
      })

    const deliver = (body: Body, content: string) =>
      Effect.gen(function*() {
        let to: string
        let text: string
        if (body.mode === "pdu") {
          const pdu = Sms.decodeSubmitPdu(content.trim())
          if (Either.isLeft(pdu) || pdu.right.tpduLength !== body.length) return yield* error(304, "CMS")
          to = pdu.right.to
          text = pdu.right.text
        } else {
          to = body.to
          text = content
        }
        if (options.sendDelay !== undefined) yield* Effect.sleep(options.sendDelay)
        const forced = yield* Ref.modify(faults, (f) =>
          f.failNext === null
            ? [undefined, f]
            : [f.failNext.code, { ...f, failNext: f.failNext.count > 1 ? { ...f.failNext, count: f.failNext.count - 1 } : null }])
        if (forced !== undefined) return yield* error(forced, "CMS")
        const sent = yield* Effect.either(model.port.send(to as PhoneNumber, text))
        if (Either.isRight(sent)) {
          yield* info(`+CMGS: ${sent.right.reference}`)
          return yield* final("OK")
        }
        const reason = sent.left.reason
        return yield* error(
          reason === "RetryLater" ? (yield* Ref.get(faults)).networkError : reason === "NeedsStaff" ? 310 : 304,
          "CMS"
        )
      })

    const feed = (chunk: Uint8Array) =>
      Effect.gen(function*() {
        for (const byte of chunk) {
          const c = String.fromCharCode(byte)
          if (session.body !== null) {
            if (byte === Sms.CTRL_Z || byte === Sms.ESC) {
              const body = session.body
              const content = session.buffer
              session.body = null
              session.buffer = ""
              if (session.echo) yield* say(content)
              if (byte === Sms.ESC) yield* final("OK")
              else yield* deliver(body, content)
            } else if (c !== "\r" && c !== "\n") session.buffer += c
            continue
          }
          if (c === "\n") continue
          if (c !== "\r") {
            session.buffer = (session.buffer + c).slice(-1024)
            continue
          }
          const text = session.buffer.trim()
          session.buffer = ""
          if (text.length === 0) continue
          yield* Ref.update(received, (xs) => [...xs, text])
          if (session.echo) yield* say(`${text}\r`)
          yield* command(text)
        }
      })

    yield* Effect.gen(function*() {
      const chunk = yield* line.input.take
      if (!(yield* Ref.get(faults)).silent) yield* feed(chunk)
    }).pipe(Effect.forever, Effect.forkScoped)

    const handle: ModemFaults = {
      noReply: (on) => Ref.update(faults, (f) => ({ ...f, silent: on })),
      networkError: (code) => Ref.update(faults, (f) => ({ ...f, networkError: code })),
      failNext: (code, count) => Ref.update(faults, (f) => ({ ...f, failNext: count > 0 ? { code, count } : null })),
      clear: Ref.set(faults, noFaults),
      received: Ref.get(received)
    }
    return { control: model.control, faults: handle }
  })

/** The modem twin on a serial line: SmsTwin + SmsModemFaults. */
export const layer = (options: SmsModemOptions, line: SerialLineOptions) =>
  Layer.scopedContext(Effect.gen(function*() {
    const { control, faults } = yield* make(options, yield* openSerialLine(line))
    return Context.make(SmsTwin.SmsTwin, control).pipe(Context.add(SmsModemFaults, faults))
  }))
