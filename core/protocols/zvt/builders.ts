/**
 * Small helpers for the drivers and the twin: build the APDUs they send, parse the ones they
 * expect. All return APDU bytes (pass them to `frame` for the serial line).
 */
import { Either } from "effect"
import type { BitmapField } from "./bitmap.ts"
import { CardReadingControl, TlvTag } from "./codes.ts"
import { decodeMessage } from "./decode.ts"
import { encodeMessage } from "./encode.ts"
import { ZvtDecodeError, ZvtEncodeError } from "./errors.ts"
import type { StatusInformation, ZvtMessage } from "./messages.ts"
import { findTlv, type TlvEntry } from "./tlv.ts"

type Encoded = Either.Either<Uint8Array, ZvtEncodeError>

/** `80 00 00` */
export const positiveAnswer = (): Uint8Array => Uint8Array.of(0x80, 0x00, 0x00)

/** `84 xx 00` */
export const negativeAnswer = (code: number): Encoded => encodeMessage({ _tag: "NegativeAnswer", code })

export interface RegistrationOptions {
  /** six decimal digits, e.g. "123456" */
  readonly password: string
  /** sum of `ConfigBit` values */
  readonly config: number
  /** ISO 4217 numeric; required with serviceByte or tlv */
  readonly currency?: number
  readonly serviceByte?: number
  readonly tlv?: ReadonlyArray<TlvEntry>
}

/**
 * Registration `06 00`, e.g. `{ password: "123456", config: 0xBA, currency: 978 }`
 * → `06 00 06 12 34 56 BA 09 78`.
 */
export const registration = (options: RegistrationOptions): Encoded => encodeMessage({ _tag: "Registration", ...options })

/** Status Enquiry `05 01`. */
export const statusEnquiry = (
  options: { readonly password?: string; readonly serviceByte?: number; readonly tlv?: ReadonlyArray<TlvEntry> } = {}
): Encoded => encodeMessage({ _tag: "StatusEnquiry", ...options })

export interface ReadCardOptions {
  /** 1..255; an unlimited read (0) is refused here, as the protocol notes advise */
  readonly timeoutSeconds: number
  readonly cardType?: number
  readonly dialogControl?: number
  /** ask for the opaque card identifier `1F14` (sets the top bit of `1F15`) */
  readonly request1F14?: boolean
  /** full `1F15` card-reading-control byte, e.g. 0xD0 */
  readonly cardReadingControl?: number
  /** further TLV entries, after `1F15` */
  readonly tlv?: ReadonlyArray<TlvEntry>
}

/**
 * Read Card `06 C0`. `{ timeoutSeconds: 15, cardType: 0x10, dialogControl: 2, cardReadingControl: 0xD0,
 * tlv: [{ tag: 0x1F60, value: [7] }] }` gives the captured `06 C0 0F 0F 19 10 FC 02 06 08 1F 15 01 D0 1F 60 01 07`.
 */
export const readCard = (options: ReadCardOptions): Encoded => {
  if (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds < 1 || options.timeoutSeconds > 255) {
    return Either.left(
      new ZvtEncodeError({
        reason: "OutOfRange",
        field: "timeoutSeconds",
        message: `Read Card timeout must be 1..255 s (no unlimited read), got ${options.timeoutSeconds}`
      })
    )
  }
  const control = options.request1F14 === true
    ? (options.cardReadingControl ?? 0) | CardReadingControl.RequestCardId
    : options.cardReadingControl
  const tlv: ReadonlyArray<TlvEntry> = [
    ...(control === undefined ? [] : [{ tag: TlvTag.CardReadingControl, value: Uint8Array.of(control & 0xff) }]),
    ...(options.tlv ?? [])
  ]
  return encodeMessage({
    _tag: "ReadCard",
    timeoutSeconds: options.timeoutSeconds,
    ...(options.cardType === undefined ? {} : { cardType: options.cardType }),
    ...(options.dialogControl === undefined ? {} : { dialogControl: options.dialogControl }),
    ...(tlv.length === 0 ? {} : { tlv })
  })
}

/** Abort `06 B0 00`. */
export const abort = (): Uint8Array => Uint8Array.of(0x06, 0xb0, 0x00)

/** Intermediate Status `04 FF`, e.g. code 0x0A "insert card". */
export const intermediateStatus = (code: number, timeout?: number): Encoded =>
  encodeMessage({ _tag: "IntermediateStatus", code, ...(timeout === undefined ? {} : { timeout }) })

export interface StatusInformationOptions {
  readonly result: number
  /** put into the TLV container as `1F14`, first */
  readonly cardId?: Uint8Array
  readonly cardType?: number
  readonly terminalId?: string
  readonly currency?: number
  readonly tlv?: ReadonlyArray<TlvEntry>
  readonly other?: ReadonlyArray<BitmapField>
}

/** Status Information `04 0F` (the twin's answer to Read Card). */
export const statusInformation = (options: StatusInformationOptions): Encoded => {
  const { cardId, tlv: extra, ...rest } = options
  const tlv = [...(cardId === undefined ? [] : [{ tag: TlvTag.CardId, value: cardId }]), ...(extra ?? [])]
  return encodeMessage({ _tag: "StatusInformation", ...rest, ...(tlv.length === 0 ? {} : { tlv }) })
}

/** Completion `06 0F` in bitmap form (after Registration and most commands). */
export const completion = (
  options: Omit<Extract<ZvtMessage, { _tag: "Completion" }>, "_tag"> = {}
): Encoded => encodeMessage({ _tag: "Completion", ...options })

/** Completion `06 0F` answering Status Enquiry. */
export const statusEnquiryCompletion = (softwareVersion: string, terminalStatus: number): Encoded =>
  encodeMessage({ _tag: "StatusEnquiryCompletion", softwareVersion, terminalStatus })

/** Abort from the terminal `06 1E <result>`. */
export const abortFromTerminal = (result: number): Encoded => encodeMessage({ _tag: "AbortFromTerminal", result })

/** Print Line `06 D1 <attribute> <text>`. */
export const printLine = (attribute: number, text: string): Encoded => encodeMessage({ _tag: "PrintLine", attribute, text })

export interface StatusInformationSummary extends StatusInformation {
  /** `1F14` from the TLV container: the opaque per-card identifier */
  readonly cardId?: Uint8Array
}

/** Parses Status Information `04 0F` and lifts `1F14` out of its TLV container. */
export const parseStatusInformation = (apdu: Uint8Array): Either.Either<StatusInformationSummary, ZvtDecodeError> =>
  Either.flatMap(decodeMessage(apdu), (m) => {
    if (m._tag !== "StatusInformation") {
      return Either.left(
        new ZvtDecodeError({
          reason: "BadValue",
          offset: 0,
          message: `expected Status Information 04 0F, got ${m._tag}`
        })
      )
    }
    const cardId = findTlv(m.tlv, TlvTag.CardId)
    return Either.right(cardId === undefined ? m : { ...m, cardId })
  })
