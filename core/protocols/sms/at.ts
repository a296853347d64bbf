/**
 * AT command side of the modem (3GPP TS 27.005 / 27.007): command builders, a streaming parser
 * for what the modem answers, and the error classification the SMS gateway acts on.
 */
import { Either } from "effect"
import { SmsDecodeError, SmsEncodeError } from "./errors.ts"

export type AtEvent =
  | { readonly _tag: "Ok" }
  | { readonly _tag: "Error" }
  | { readonly _tag: "CmsError"; readonly code: number | undefined; readonly text: string }
  | { readonly _tag: "CmeError"; readonly code: number | undefined; readonly text: string }
  /** `+NAME: value`, e.g. `+CREG: 0,1` → name "+CREG", value "0,1", params ["0", "1"] */
  | { readonly _tag: "Info"; readonly name: string; readonly value: string; readonly params: ReadonlyArray<string> }
  /** the `> ` prompt of AT+CMGS (it has no line ending) */
  | { readonly _tag: "Prompt" }
  /** any other line: command echo, unsolicited text, "RING" … */
  | { readonly _tag: "Line"; readonly text: string }

export type AtInfo = Extract<AtEvent, { readonly _tag: "Info" }>

/** True for the events that end a command: OK, ERROR, +CMS ERROR, +CME ERROR. */
export const isFinal = (e: AtEvent): boolean => e._tag === "Ok" || e._tag === "Error" || e._tag === "CmsError" || e._tag === "CmeError"

/** Splits `0,"REC READ",,145` into ["0", "REC READ", "", "145"], honouring quotes. */
export const splitParams = (value: string): ReadonlyArray<string> => {
  if (value.length === 0) return []
  const out: Array<string> = []
  let current = ""
  let quoted = false
  for (const c of value) {
    if (c === "\"") quoted = !quoted
    else if (c === "," && !quoted) {
      out.push(current.trim())
      current = ""
    } else current += c
  }
  out.push(current.trim())
  return out
}

/** Interprets one complete, non-empty line. */
export const parseLine = (line: string): AtEvent => {
  const text = line.trim()
  if (text === "OK") return { _tag: "Ok" }
  if (text === "ERROR") return { _tag: "Error" }
  const error = /^\+(CMS|CME) ERROR:\s*(.*)$/.exec(text)
  if (error !== null) {
    const detail = error[2]!.trim()
    const code = /^\d+$/.test(detail) ? Number(detail) : undefined
    return { _tag: error[1] === "CMS" ? "CmsError" : "CmeError", code, text: detail }
  }
  const info = /^(\+[A-Z0-9^#]+):\s*(.*)$/i.exec(text)
  if (info !== null) {
    const value = info[2]!.trim()
    return { _tag: "Info", name: info[1]!.toUpperCase(), value, params: splitParams(value) }
  }
  return { _tag: "Line", text }
}

/**
 * Streaming parser: push characters or bytes (bytes are read as ISO-8859-1) as they arrive.
 * Lines end at CR or LF (so `AT\r` echoes count as lines), also at Ctrl-Z / ESC (the end of an
 * echoed PDU); empty lines are skipped. `> ` at the start of a line is the prompt and is emitted
 * at once. A line longer than `maxLineLength` is dropped up to its end with a "LineTooLong" error.
 */
export class AtLineParser {
  private buffer = ""
  private position = 0
  private lineStart = 0
  private discarding = false

  constructor(private readonly maxLineLength = 2048) {}

  push(chunk: Uint8Array | string): ReadonlyArray<Either.Either<AtEvent, SmsDecodeError>> {
    const out: Array<Either.Either<AtEvent, SmsDecodeError>> = []
    const text = typeof chunk === "string" ? chunk : latin1(chunk)
    for (const c of text) {
      const at = this.position
      this.position += c.length
      if (c === "\r" || c === "\n" || c === "\u001a" || c === "\u001b") {
        if (!this.discarding && this.buffer.trim().length > 0) out.push(Either.right(parseLine(this.buffer)))
        this.buffer = ""
        this.discarding = false
        continue
      }
      if (this.discarding) continue
      if (this.buffer.length === 0) this.lineStart = at
      this.buffer += c
      if (this.buffer === "> ") {
        out.push(Either.right({ _tag: "Prompt" }))
        this.buffer = ""
      } else if (this.buffer.length > this.maxLineLength) {
        out.push(Either.left(
          new SmsDecodeError({
            reason: "LineTooLong",
            offset: this.lineStart,
            message: `modem line from character ${this.lineStart} exceeds ${this.maxLineLength} characters; dropped`
          })
        ))
        this.buffer = ""
        this.discarding = true
      }
    }
    return out
  }

  /** characters of the current, unterminated line */
  get pending(): string {
    return this.buffer
  }

  reset(): void {
    this.buffer = ""
    this.discarding = false
  }
}

const latin1 = (bytes: Uint8Array): string => {
  let s = ""
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!)
  return s
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

// ---------------------------------------------------------------------------------------------
// Commands (each ends with CR)

export const CTRL_Z = 0x1a
export const ESC = 0x1b

export const atCommand = (body: string): Uint8Array => ascii(`${body}\r`)

export const attention = (): Uint8Array => atCommand("AT")
export const echoOff = (): Uint8Array => atCommand("ATE0")
/** numeric +CME / +CMS error codes */
export const numericErrors = (): Uint8Array => atCommand("AT+CMEE=1")
export const queryPin = (): Uint8Array => atCommand("AT+CPIN?")
export const queryRegistration = (): Uint8Array => atCommand("AT+CREG?")
/** EPS (LTE) registration: an LTE-only modem may answer AT+CREG? with "not registered" */
export const queryLteRegistration = (): Uint8Array => atCommand("AT+CEREG?")
/** remaining PIN attempts (27.007 +CPINR), asked before a PIN is sent */
export const queryPinRetries = (): Uint8Array => atCommand("AT+CPINR=\"SIM PIN\"")
export const querySignal = (): Uint8Array => atCommand("AT+CSQ")
export const pduMode = (): Uint8Array => atCommand("AT+CMGF=0")
export const textMode = (): Uint8Array => atCommand("AT+CMGF=1")

/** `AT+CPIN="<pin>"`: 4 to 8 digits, nothing else reaches the modem. */
export const enterPin = (pin: string): Either.Either<Uint8Array, SmsEncodeError> =>
  /^[0-9]{4,8}$/.test(pin)
    ? Either.right(atCommand(`AT+CPIN="${pin}"`))
    : Either.left(new SmsEncodeError({ reason: "BadText", offset: 0, message: "a SIM PIN is 4 to 8 digits" }))

/** `AT+CMGS=<tpduLength>` (PDU mode). */
export const sendPduCommand = (tpduLength: number): Uint8Array => atCommand(`AT+CMGS=${tpduLength}`)

/** The PDU hex followed by Ctrl-Z, sent after the `> ` prompt. */
export const pduBody = (pdu: string): Uint8Array => Uint8Array.from([...ascii(pdu), CTRL_Z])

/** ESC: abandons the message at the prompt. */
export const cancelInput = (): Uint8Array => Uint8Array.of(ESC)

/** `AT+CMGS="+49…"` (text mode). */
export const sendTextCommand = (to: string): Either.Either<Uint8Array, SmsEncodeError> =>
  /^\+?[0-9]{1,20}$/.test(to)
    ? Either.right(atCommand(`AT+CMGS="${to}"`))
    : Either.left(
      new SmsEncodeError({
        reason: "BadNumber",
        offset: 0,
        message: `phone number ${JSON.stringify(to)} is not + and digits`
      })
    )

/** Text-mode body + Ctrl-Z; only printable ASCII, so the modem's character set cannot garble it. */
export const textBody = (text: string): Either.Either<Uint8Array, SmsEncodeError> => {
  const bad = /[^\x20-\x7e]/.exec(text)
  return bad === null
    ? Either.right(Uint8Array.from([...ascii(text), CTRL_Z]))
    : Either.left(
      new SmsEncodeError({
        reason: "BadText",
        offset: bad.index,
        message: `character at ${bad.index} is not printable ASCII; use PDU mode`
      })
    )
}

// ---------------------------------------------------------------------------------------------
// Reading answers

/**
 * `+CREG: n,stat` (circuit-switched), `+CGREG` (GPRS) or `+CEREG: n,stat` (LTE) → stat and whether it
 * means registered (1 home, 5 roaming).
 */
export const registrationOf = (info: AtInfo): { readonly stat: number; readonly registered: boolean } | undefined => {
  if (info.name !== "+CREG" && info.name !== "+CGREG" && info.name !== "+CEREG") return undefined
  const stat = Number(info.params.length >= 2 ? info.params[1] : info.params[0])
  return Number.isInteger(stat) ? { stat, registered: stat === 1 || stat === 5 } : undefined
}

/** `+CMGS: <reference>` → the message reference. */
export const messageReferenceOf = (info: AtInfo): number | undefined => {
  if (info.name !== "+CMGS") return undefined
  const n = Number(info.params[0])
  return Number.isInteger(n) ? n : undefined
}

export type SmsErrorClass = "retry-later" | "needs-staff" | "failed"

/**
 * What to do about a `+CMS ERROR` (default) or `+CME ERROR` code.
 * CMS: 38 network out of order, 41 temporary failure, 42 congestion, 330 SMSC address unknown,
 * 331 no network, 332 network timeout, 314 SIM busy → retry later; 310..318 SIM problems
 * (not inserted, PIN/PUK required, failure, wrong) → staff; anything else → failed.
 * CME: 14 SIM busy, 30 no network service, 31 network timeout → retry later;
 * 5, 10..13, 15..18 SIM and PIN problems → staff.
 */
export const classifySmsError = (code: number, kind: "cms" | "cme" = "cms"): SmsErrorClass => {
  if (kind === "cms") {
    if ([38, 41, 42, 330, 331, 332, 314].includes(code)) return "retry-later"
    if (code >= 310 && code <= 318) return "needs-staff"
    return "failed"
  }
  if ([14, 30, 31].includes(code)) return "retry-later"
  if ([5, 10, 11, 12, 13, 15, 16, 17, 18].includes(code)) return "needs-staff"
  return "failed"
}

/** What the SIM needs, from `+CPIN: <code>`: ready, the PIN, the PUK, or something staff must see to. */
export type SimState = "ready" | "pin" | "puk" | "missing" | "other"

export const simStateOf = (value: string): SimState => {
  const v = value.trim().toUpperCase()
  if (v === "READY") return "ready"
  if (v === "SIM PIN") return "pin"
  if (v === "SIM PUK") return "puk"
  if (v === "NOT INSERTED" || v === "NO SIM" || v === "SIM REMOVED") return "missing"
  return "other"
}

/** `+CPINR: SIM PIN,<retries>,<default retries>` → how many PIN attempts the SIM has left. */
export const pinRetriesOf = (info: AtInfo): { readonly left: number; readonly initial: number | undefined } | undefined => {
  if (info.name !== "+CPINR" || info.params.length < 2 || info.params[0]!.toUpperCase() !== "SIM PIN") return undefined
  const left = Number(info.params[1])
  const initial = info.params.length >= 3 ? Number(info.params[2]) : NaN
  return Number.isInteger(left) ? { left, initial: Number.isInteger(initial) ? initial : undefined } : undefined
}

/**
 * The unsolicited result codes a modem prints when it (re)starts — SIMCom and Quectel: `RDY`,
 * `+CFUN: 1`, `+CPIN: READY` (or `SIM PIN` …), `SMS Ready`, `Call Ready`, `PB DONE`, `+QIND: SMS DONE`,
 * `+QUSIM: 1`. Outside a command they mean the modem lost its settings (PDU mode, CMEE, the PIN).
 * An `+CPIN` or `+CFUN` line can also be the answer to one's own query: the caller tells them apart.
 */
export const isStartNotice = (e: AtEvent): boolean => {
  if (e._tag === "Line") return /^(RDY|SMS READY|CALL READY|PB DONE)$/i.test(e.text)
  if (e._tag !== "Info") return false
  if (e.name === "+CPIN" || e.name === "+QUSIM") return true
  if (e.name === "+CFUN") return e.value === "1"
  if (e.name === "+QIND") return /^(SMS DONE|PB DONE)$/i.test(e.value.replace(/"/g, ""))
  return false
}

/** `RDY`: printed once, when the modem's UART is ready after power-on or reset; anything in progress is lost. */
export const isRestart = (e: AtEvent): boolean => e._tag === "Line" && /^RDY$/i.test(e.text)
