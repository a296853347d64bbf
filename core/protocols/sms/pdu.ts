/**
 * SMS-SUBMIT in PDU mode (3GPP TS 23.040 / 27.005). The encoder writes exactly
 * `00 11 MR <DA> 00 00 AA UDL <7-bit packed text>`; the decoder reads any SMS-SUBMIT in the
 * GSM 7-bit or UCS-2 alphabet, with or without SMSC address and user data header.
 */
import { Either } from "effect"
import { SmsDecodeError, SmsEncodeError } from "./errors.ts"
import { decodeGsm7, encodeGsm7, packSeptets, unpackSeptets } from "./gsm7.ts"

export const MAX_SEPTETS = 160

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join("")

export const fromHex = (hex: string): Either.Either<Uint8Array, SmsDecodeError> => {
  const bad = /[^0-9A-Fa-f]/.exec(hex)
  if (bad !== null || hex.length % 2 !== 0) {
    const offset = bad === null ? hex.length : bad.index
    return Either.left(
      new SmsDecodeError({
        reason: "BadHex",
        offset: Math.floor(offset / 2),
        message: bad === null ? "odd number of hex digits" : `not a hex digit at character ${bad.index}`
      })
    )
  }
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return Either.right(out)
}

const SEMI_OCTETS = "0123456789*#abc"

/** `+4670…` → `0B 91 64 07 …` (digit count, type of address, swapped nibbles, F-padded). */
export const encodeAddress = (number: string): Either.Either<Uint8Array, SmsEncodeError> => {
  const m = /^(\+?)([0-9]{1,20})$/.exec(number)
  if (m === null) {
    return Either.left(
      new SmsEncodeError({
        reason: "BadNumber",
        offset: 0,
        message: `phone number ${JSON.stringify(number)} must be an optional + and 1..20 digits`
      })
    )
  }
  const digits = m[2]!
  const padded = digits.length % 2 === 0 ? digits : `${digits}F`
  const out = new Uint8Array(2 + padded.length / 2)
  out[0] = digits.length
  out[1] = m[1] === "+" ? 0x91 : 0x81
  for (let i = 0; i < padded.length; i += 2) {
    out[2 + i / 2] = (parseInt(padded[i + 1]!, 16) << 4) | parseInt(padded[i]!, 16)
  }
  return Either.right(out)
}

const decodeSemiOctets = (bytes: Uint8Array, count: number): string => {
  let out = ""
  for (let i = 0; i < count; i++) {
    const nibble = (bytes[i >> 1]! >> ((i & 1) * 4)) & 0x0f
    out += SEMI_OCTETS[nibble] ?? ""
  }
  return out
}

const decodeAddressValue = (typeOfAddress: number, bytes: Uint8Array, semiOctets: number): string =>
  ((typeOfAddress >> 4) & 0x07) === 0x05
    ? decodeGsm7(unpackSeptets(bytes, Math.floor((semiOctets * 4) / 7)))
    : `${((typeOfAddress >> 4) & 0x07) === 0x01 ? "+" : ""}${decodeSemiOctets(bytes, semiOctets)}`

export interface SubmitPduInput {
  /** `+` and digits (international, type 91) or digits only (type 81) */
  readonly to: string
  readonly text: string
  readonly messageReference?: number
}

export interface EncodedSubmitPdu {
  /** hex of SMSC byte + TPDU, to send after the `> ` prompt (followed by Ctrl-Z) */
  readonly pdu: string
  /** TPDU octets without the SMSC byte: the n of `AT+CMGS=n` */
  readonly tpduLength: number
}

export const encodeSubmitPdu = (input: SubmitPduInput): Either.Either<EncodedSubmitPdu, SmsEncodeError> =>
  Either.gen(function*() {
    const mr = input.messageReference ?? 0
    if (!Number.isInteger(mr) || mr < 0 || mr > 255) {
      return yield* Either.left(
        new SmsEncodeError({ reason: "BadNumber", offset: 0, message: `message reference ${mr} is not 0..255` })
      )
    }
    const address = yield* encodeAddress(input.to)
    const septets = yield* encodeGsm7(input.text)
    if (septets.length > MAX_SEPTETS) {
      return yield* Either.left(
        new SmsEncodeError({
          reason: "TooLong",
          offset: 0,
          message: `text needs ${septets.length} septets; one SMS holds ${MAX_SEPTETS} (no concatenation)`
        })
      )
    }
    const ud = packSeptets(septets)
    const bytes = Uint8Array.from([0x00, 0x11, mr, ...address, 0x00, 0x00, 0xaa, septets.length, ...ud])
    return { pdu: toHex(bytes), tpduLength: bytes.length - 1 }
  })

export type Validity =
  | { readonly _tag: "Relative"; readonly value: number }
  | { readonly _tag: "Enhanced" | "Absolute"; readonly octets: Uint8Array }

export interface SubmitPdu {
  readonly smsc?: string
  readonly firstOctet: number
  readonly messageReference: number
  readonly to: string
  readonly typeOfAddress: number
  readonly protocolId: number
  readonly dataCodingScheme: number
  readonly validity?: Validity
  readonly userDataHeader?: Uint8Array
  readonly text: string
  readonly tpduLength: number
}

type Alphabet = "gsm7" | "8bit" | "ucs2" | "reserved"

const alphabetOf = (dcs: number): Alphabet => {
  if ((dcs & 0xc0) === 0x00) return (["gsm7", "8bit", "ucs2", "reserved"] as const)[(dcs >> 2) & 0x03]!
  if ((dcs & 0xf0) === 0xf0) return dcs & 0x04 ? "8bit" : "gsm7"
  if ((dcs & 0xf0) === 0xc0 || (dcs & 0xf0) === 0xd0) return "gsm7"
  if ((dcs & 0xf0) === 0xe0) return "ucs2"
  return "reserved"
}

/** Decodes the hex of an SMS-SUBMIT (SMSC part + TPDU), as sent after `AT+CMGS=n`. */
export const decodeSubmitPdu = (hex: string): Either.Either<SubmitPdu, SmsDecodeError> =>
  Either.gen(function*() {
    const b = yield* fromHex(hex)
    let at = 0
    const need = (n: number, what: string) =>
      at + n <= b.length
        ? Either.right(undefined)
        : Either.left(
          new SmsDecodeError({
            reason: "Truncated",
            offset: b.length,
            message: `${what} truncated at octet ${b.length}`
          })
        )
    yield* need(1, "SMSC length")
    const smscLength = b[at++]!
    let smsc: string | undefined
    if (smscLength > 0) {
      yield* need(smscLength, "SMSC address")
      smsc = decodeAddressValue(b[at]!, b.slice(at + 1, at + smscLength), (smscLength - 1) * 2)
      at += smscLength
    }
    const tpduStart = at
    yield* need(3, "TPDU header")
    const firstOctet = b[at++]!
    if ((firstOctet & 0x03) !== 0x01) {
      return yield* Either.left(
        new SmsDecodeError({
          reason: "NotSubmit",
          offset: at - 1,
          message: `first octet ${firstOctet.toString(16)} is not SMS-SUBMIT`
        })
      )
    }
    const messageReference = b[at++]!
    const digits = b[at++]!
    yield* need(1 + Math.ceil(digits / 2), "destination address")
    const typeOfAddress = b[at]!
    const to = decodeAddressValue(typeOfAddress, b.slice(at + 1, at + 1 + Math.ceil(digits / 2)), digits)
    at += 1 + Math.ceil(digits / 2)
    yield* need(2, "protocol id and coding scheme")
    const protocolId = b[at++]!
    const dataCodingScheme = b[at++]!
    const vpf = (firstOctet >> 3) & 0x03
    let validity: Validity | undefined
    if (vpf === 0x02) {
      yield* need(1, "validity period")
      validity = { _tag: "Relative", value: b[at++]! }
    } else if (vpf !== 0x00) {
      yield* need(7, "validity period")
      validity = { _tag: vpf === 0x01 ? "Enhanced" : "Absolute", octets: b.slice(at, at + 7) }
      at += 7
    }
    yield* need(1, "user data length")
    const udl = b[at++]!
    const alphabet = alphabetOf(dataCodingScheme)
    if (alphabet !== "gsm7" && alphabet !== "ucs2") {
      return yield* Either.left(
        new SmsDecodeError({
          reason: "UnsupportedEncoding",
          offset: at - 2,
          message: `data coding scheme ${dataCodingScheme.toString(16)} (${alphabet}) is not supported`
        })
      )
    }
    const udOctets = alphabet === "gsm7" ? Math.ceil((udl * 7) / 8) : udl
    yield* need(udOctets, "user data")
    if (at + udOctets < b.length) {
      return yield* Either.left(
        new SmsDecodeError({
          reason: "TrailingBytes",
          offset: at + udOctets,
          message: `octets after the user data at ${at + udOctets}`
        })
      )
    }
    const ud = b.slice(at, at + udOctets)
    const headerOctets = (firstOctet & 0x40) !== 0 && ud.length > 0 ? ud[0]! + 1 : 0
    if (headerOctets > ud.length) {
      return yield* Either.left(
        new SmsDecodeError({
          reason: "Truncated",
          offset: at,
          message: "user data header longer than the user data"
        })
      )
    }
    let text: string
    if (alphabet === "gsm7") {
      const skip = Math.ceil((headerOctets * 8) / 7)
      text = decodeGsm7(unpackSeptets(ud, udl).slice(Math.min(skip, udl)))
    } else {
      text = ""
      for (let i = headerOctets; i + 1 < ud.length; i += 2) text += String.fromCharCode((ud[i]! << 8) | ud[i + 1]!)
    }
    return {
      ...(smsc === undefined ? {} : { smsc }),
      firstOctet,
      messageReference,
      to,
      typeOfAddress,
      protocolId,
      dataCodingScheme,
      ...(validity === undefined ? {} : { validity }),
      ...(headerOctets > 0 ? { userDataHeader: ud.slice(1, headerOctets) } : {}),
      text,
      tpduLength: b.length - tpduStart
    }
  })
