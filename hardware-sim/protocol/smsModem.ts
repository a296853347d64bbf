/**
 * Protocol twin of a GSM/LTE modem speaking AT commands (3GPP TS 27.005/27.007):
 * AT, ATE, AT+CMEE, AT+CPIN, AT+CREG, AT+CSQ, AT+CMGF, and AT+CMGS in PDU and
 * text mode, with the `> ` prompt and Ctrl-Z. A PDU is decoded with the codec
 * (decodeSubmitPdu) and the text delivered to the phones.
 *
 * The phones' inboxes and the SIM/network faults are the behavioural SMS
 * twin's model (hardware-sim/behavioural/SmsTwin.ts): a sent message is the
 * model's `send`, so both twins share one control handle (SmsTwinControl).
 * This twin adds a faults handle for the line and for the modem itself: a
 * reset (volatile settings lost, the start-up notices RDY … SMS Ready), a SIM
 * that counts wrong PINs (three → SIM PUK), an LTE-only or unregistered
 * modem, and unsolicited lines on their own or inside an answer.
 */
import { Context, Duration, Effect, Either, Layer, Ref } from "effect"
import type { PhoneNumber } from "../../core/domain/values.ts"
import * as Sms from "../../core/protocols/sms.ts"
import * as SmsTwin from "../behavioural/SmsTwin.ts"
import { type DeviceLine, openSerialLine, type SerialLineOptions } from "./line.ts"

export interface SmsModemOptions {
  /** echo commands back, as a modem does after power-on (default true) */
  readonly echo?: boolean
  /** the SIM starts locked with this PIN */
  readonly pin?: string
  /** wrong PINs the SIM has already counted (3: it asks for the PUK) */
  readonly wrongPinAttempts?: number
  /** time the network takes to accept a message */
  readonly sendDelay?: Duration.DurationInput
  /** how long a reset takes, commands ignored meanwhile (default 50 ms) */
  readonly bootDelay?: Duration.DurationInput
  /** after a correct PIN, print `+CPIN: READY` and `SMS Ready` a moment later, as SIMCom modems do (default false) */
  readonly noticesAfterPin?: boolean
}

export interface SmsModemFaultState {
  /** no reply at all */
  readonly silent: boolean
  /** the +CMS ERROR a network fault produces (331 no network, 332 network timeout, 38, 41, 42 …) */
  readonly networkError: number
  /** the next n messages fail with this +CMS ERROR, whatever the model says */
  readonly failNext: { readonly code: number; readonly count: number } | null
  /** AT+CREG? says not registered, AT+CEREG? registered (an LTE-only modem) */
  readonly lteOnly: boolean
  /** neither AT+CREG? nor AT+CEREG? registered (searching); a send fails with +CMS ERROR: 331 */
  readonly unregistered: boolean
  /** lines printed inside the next answer, before its final result */
  readonly interject: ReadonlyArray<string>
}

/** The SIM card: survives a reset of the modem. */
export interface SimState {
  /** the PIN it asks for after power-on; null: no PIN */
  readonly pin: string | null
  /** asking for the PIN now */
  readonly locked: boolean
  /** wrong PINs since the last right one */
  readonly wrongAttempts: number
  /** three wrong PINs: blocked until the PUK is entered */
  readonly puk: boolean
}

export interface ModemFaults {
  readonly noReply: (on: boolean) => Effect.Effect<void>
  readonly networkError: (code: number) => Effect.Effect<void>
  readonly failNext: (code: number, count: number) => Effect.Effect<void>
  readonly clear: Effect.Effect<void>
  /** every command line the host sent, oldest first */
  readonly received: Effect.Effect<ReadonlyArray<string>>
  /**
   * The modem resets: echo as at power-on, CMEE=0, PDU mode, the SIM locked again if it has a PIN, a message in
   * progress lost; commands are ignored for `bootDelay`, then it prints RDY, +CFUN: 1,
   * +CPIN: <state> and, when the SIM is ready, SMS Ready and PB DONE.
   */
  readonly reboot: Effect.Effect<void>
  /** a SIM with this PIN (null: none), locked now, no wrong attempts yet */
  readonly simPin: (pin: string | null) => Effect.Effect<void>
  readonly sim: Effect.Effect<SimState>
  readonly lteOnly: (on: boolean) => Effect.Effect<void>
  readonly unregistered: (on: boolean) => Effect.Effect<void>
  /** prints these lines now, as unsolicited result codes */
  readonly unsolicited: (lines: ReadonlyArray<string>) => Effect.Effect<void>
  /** prints these lines inside the next answer, before its final result */
  readonly interject: (lines: ReadonlyArray<string>) => Effect.Effect<void>
}

export class SmsModemFaults extends Context.Tag("amtomat/twin/SmsModemFaults")<SmsModemFaults, ModemFaults>() {}

const noFaults: SmsModemFaultState = { silent: false, networkError: 331, failNext: null, lteOnly: false, unregistered: false, interject: [] }

type Body = { readonly mode: "pdu"; readonly length: number } | { readonly mode: "text"; readonly to: string }

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

export const make = (options: SmsModemOptions, line: DeviceLine) =>
  Effect.gen(function*() {
    const model = yield* SmsTwin.make
    const faults = yield* Ref.make(noFaults)
    const received = yield* Ref.make<ReadonlyArray<string>>([])
    const scope = yield* Effect.scope
    const bootDelay = options.bootDelay ?? Duration.millis(50)
    const sim = { pin: options.pin ?? null, wrongAttempts: options.wrongPinAttempts ?? 0, puk: (options.wrongPinAttempts ?? 0) >= 3 }
    const session = {
      echo: options.echo ?? true,
      cmee: 0,
      textMode: false,
      pinLocked: options.pin !== undefined,
      buffer: "",
      body: null as Body | null,
      /** resets so far: a delivery in progress when it changes is lost */
      boots: 0,
      booting: false
    }

    const say = (s: string) => line.write(ascii(s))
    const info = (s: string) => say(`\r\n${s}\r\n`)
    const final = (s: string) =>
      Effect.gen(function*() {
        const extra = yield* Ref.modify(faults, (f) => [f.interject, f.interject.length === 0 ? f : { ...f, interject: [] }])
        for (const l of extra) yield* info(l)
        yield* say(`\r\n${s}\r\n`)
      })
    const error = (code: number, kind: "CMS" | "CME") => final(session.cmee === 0 ? "ERROR" : `+${kind} ERROR: ${code}`)
    /** SIM state as the modem sees it: 10 not inserted, 11 PIN required, 12 PUK required, undefined ready. */
    const simProblem = Effect.map(model.control.fault, (f) => f === "sim-missing" ? 10 : sim.puk ? 12 : session.pinLocked ? 11 : undefined)
    const cpinText = (problem: number | undefined) => problem === 10 ? "NOT INSERTED" : problem === 12 ? "SIM PUK" : problem === 11 ? "SIM PIN" : "READY"
    const registered = Effect.map(model.control.fault, (f) => f === "none" && !session.pinLocked && !sim.puk)

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
          const problem = yield* simProblem
          if (problem === 10) return yield* error(10, "CME")
          yield* info(`+CPIN: ${cpinText(problem)}`)
          return yield* final("OK")
        }
        if (upper === "AT+CPINR" || upper === "AT+CPINR=\"SIM PIN\"") {
          if ((yield* simProblem) === 10) return yield* error(10, "CME")
          yield* info(`+CPINR: SIM PIN,${sim.puk ? 0 : 3 - sim.wrongAttempts},3`)
          return yield* final("OK")
        }
        m = /^AT\+CPIN="?([0-9]{4,8})"?$/.exec(upper)
        if (m) {
          const problem = yield* simProblem
          if (problem === 10) return yield* error(10, "CME")
          if (problem === 12) return yield* error(12, "CME")
          if (sim.pin !== null && m[1] !== sim.pin) {
            sim.wrongAttempts++
            if (sim.wrongAttempts >= 3) sim.puk = true
            return yield* error(16, "CME")
          }
          sim.wrongAttempts = 0
          const wasLocked = session.pinLocked
          session.pinLocked = false
          yield* final("OK")
          if (wasLocked && options.noticesAfterPin === true) {
            const boots = session.boots
            yield* Effect.forkIn(
              Effect.zipRight(
                Effect.sleep("10 millis"),
                Effect.suspend(() => session.boots === boots ? Effect.zipRight(info("+CPIN: READY"), info("SMS Ready")) : Effect.void)
              ),
              scope
            )
          }
          return
        }
        if (upper === "AT+CREG?" || upper === "AT+CEREG?" || upper === "AT+CGREG?") {
          const f = yield* Ref.get(faults)
          const on = (yield* registered) && !f.unregistered && !(f.lteOnly && upper !== "AT+CEREG?")
          yield* info(`${upper.slice(2, -1)}: 0,${on ? 1 : f.unregistered ? 2 : 0}`)
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
          const problem = yield* simProblem
          if (problem !== undefined) return yield* error(problem === 10 ? 310 : problem === 12 ? 316 : 311, "CMS")
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
        const boots = session.boots
        if (options.sendDelay !== undefined) yield* Effect.sleep(options.sendDelay)
        // reset while the network was busy: the message is lost, and so is its answer
        if (session.boots !== boots) return
        if ((yield* Ref.get(faults)).unregistered) return yield* error(331, "CMS")
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
          // ESC and Ctrl-Z outside a message are ignored, as a modem does
          if (c === "\n" || byte === Sms.CTRL_Z || byte === Sms.ESC) continue
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
      if (!(yield* Ref.get(faults)).silent && !session.booting) yield* feed(chunk)
    }).pipe(Effect.forever, Effect.forkScoped)

    const reboot = Effect.gen(function*() {
      session.boots++
      const boots = session.boots
      session.echo = options.echo ?? true
      session.cmee = 0
      session.textMode = false
      session.pinLocked = sim.pin !== null
      session.buffer = ""
      session.body = null
      session.booting = true
      yield* Effect.forkIn(
        Effect.gen(function*() {
          yield* Effect.sleep(bootDelay)
          if (session.boots !== boots) return
          session.booting = false
          const problem = yield* simProblem
          yield* info("RDY")
          yield* info("+CFUN: 1")
          yield* info(`+CPIN: ${cpinText(problem)}`)
          if (problem === undefined) {
            yield* info("SMS Ready")
            yield* info("PB DONE")
          }
        }),
        scope
      )
    })

    const handle: ModemFaults = {
      noReply: (on) => Ref.update(faults, (f) => ({ ...f, silent: on })),
      networkError: (code) => Ref.update(faults, (f) => ({ ...f, networkError: code })),
      failNext: (code, count) => Ref.update(faults, (f) => ({ ...f, failNext: count > 0 ? { code, count } : null })),
      clear: Ref.set(faults, noFaults),
      received: Ref.get(received),
      reboot,
      simPin: (pin) =>
        Effect.sync(() => {
          sim.pin = pin
          sim.wrongAttempts = 0
          sim.puk = false
          session.pinLocked = pin !== null
        }),
      sim: Effect.sync(() => ({ pin: sim.pin, locked: session.pinLocked || sim.puk, wrongAttempts: sim.wrongAttempts, puk: sim.puk })),
      lteOnly: (on) => Ref.update(faults, (f) => ({ ...f, lteOnly: on })),
      unregistered: (on) => Ref.update(faults, (f) => ({ ...f, unregistered: on })),
      unsolicited: (lines) => Effect.forEach(lines, info, { discard: true }),
      interject: (lines) => Ref.update(faults, (f) => ({ ...f, interject: [...f.interject, ...lines] }))
    }
    return { control: model.control, faults: handle }
  })

/** The modem twin on a serial line: SmsTwin + SmsModemFaults. */
export const layer = (options: SmsModemOptions, line: SerialLineOptions) =>
  Layer.scopedContext(Effect.gen(function*() {
    const { control, faults } = yield* make(options, yield* openSerialLine(line))
    return Context.make(SmsTwin.SmsTwin, control).pipe(Context.add(SmsModemFaults, faults))
  }))
