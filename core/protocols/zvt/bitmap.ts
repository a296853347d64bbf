/**
 * ZVT bitmap fields: a one-byte tag, then a value whose length the tag fixes, or an LLVAR
 * (`F x F y`, two decimal digits in the low nibbles) / LLLVAR (`F x F y F z`) prefix, or for
 * tag 06 a BER length followed by the TLV container. The decoder does not guess: a tag missing
 * from `bitmapFormats` is a typed "UnknownTag" error naming its offset.
 *
 * Lengths as listed in PA00P015 and agreed by Portalum.Zvt and EVerest/zvt.
 */
import { Either } from "effect"
import { concatBytes, hexByte } from "./bytes.ts"
import { ZvtDecodeError, ZvtEncodeError } from "./errors.ts"
import { decodeBerLength, encodeBerLength } from "./tlv.ts"

export type BitmapFormat =
  | { readonly _tag: "Fixed"; readonly length: number }
  | { readonly _tag: "LLVar" }
  | { readonly _tag: "LLLVar" }
  | { readonly _tag: "Tlv" }

export interface BitmapField {
  readonly tag: number
  /** the value without its length prefix; for tag 06 the TLV bytes */
  readonly value: Uint8Array
}

const fixed = (length: number): BitmapFormat => ({ _tag: "Fixed", length })
const ll: BitmapFormat = { _tag: "LLVar" }
const lll: BitmapFormat = { _tag: "LLLVar" }

export const BitmapTag = {
  Timeout: 0x01,
  MaxStatusInfos: 0x02,
  ServiceByte: 0x03,
  Amount: 0x04,
  Tlv: 0x06,
  TraceNumber: 0x0b,
  Time: 0x0c,
  Date: 0x0d,
  ExpiryDate: 0x0e,
  CardSequenceNumber: 0x17,
  /** status byte (Registration) / payment type (Authorisation) / card type (Read Card) */
  CardType: 0x19,
  Pan: 0x22,
  Track2: 0x23,
  Track3: 0x24,
  ResultCode: 0x27,
  TerminalId: 0x29,
  VuNumber: 0x2a,
  AdditionalText: 0x3c,
  Currency: 0x49,
  ReceiptNumber: 0x87,
  ZvtCardType: 0x8a,
  CardName: 0x8b,
  DialogControl: 0xfc
} as const

export const bitmapFormats: ReadonlyMap<number, BitmapFormat> = new Map<number, BitmapFormat>([
  [0x01, fixed(1)], // timeout
  [0x02, fixed(1)], // max. number of status informations
  [0x03, fixed(1)], // service byte
  [0x04, fixed(6)], // amount, BCD
  [0x05, fixed(1)], // pump number
  [0x06, { _tag: "Tlv" }], // TLV container, BER length
  [0x0b, fixed(3)], // trace number, BCD
  [0x0c, fixed(3)], // time HHMMSS, BCD
  [0x0d, fixed(2)], // date MMDD, BCD
  [0x0e, fixed(2)], // expiry date YYMM, BCD
  [0x17, fixed(2)], // card sequence number, BCD
  [0x19, fixed(1)], // status byte / payment type / card type
  [0x22, ll], // PAN / EF_ID
  [0x23, ll], // track 2
  [0x24, lll], // track 3
  [0x27, fixed(1)], // result code
  [0x29, fixed(4)], // terminal id, BCD
  [0x2a, fixed(15)], // VU number, ASCII
  [0x37, fixed(3)], // trace number of the original transaction
  [0x3a, fixed(2)], // CVV/CVC
  [0x3b, fixed(8)], // AID authorisation attribute
  [0x3c, lll], // additional data / text
  [0x3d, fixed(3)], // password
  [0x49, fixed(2)], // currency code, BCD
  [0x60, lll], // individual totals
  [0x87, fixed(2)], // receipt number, BCD
  [0x88, fixed(3)], // turnover record number
  [0x8a, fixed(1)], // ZVT card type
  [0x8b, ll], // card name
  [0x8c, fixed(1)], // card type id of the network operator
  [0x9a, lll], // Geldkarte records
  [0xa0, fixed(1)], // result code AS
  [0xa7, ll], // chip data EF_ID
  [0xaa, fixed(3)], // date YYMMDD
  [0xaf, lll], // EF_Info
  [0xba, fixed(5)], // AID parameter
  [0xd0, fixed(1)], // algorithm key
  [0xd1, ll], // card offset / PIN data
  [0xd2, fixed(1)], // card output direction
  [0xd3, fixed(1)], // DUKPT key identifier
  [0xe0, fixed(1)], // min. input length
  [0xe1, ll],
  [0xe2, ll],
  [0xe3, ll],
  [0xe4, ll],
  [0xe5, ll],
  [0xe6, ll],
  [0xe7, ll],
  [0xe8, ll], // text2 lines
  [0xe9, fixed(1)], // max. input length
  [0xea, fixed(1)], // echo input
  [0xeb, fixed(8)], // MAC
  [0xf0, fixed(1)], // display duration
  [0xf1, ll],
  [0xf2, ll],
  [0xf3, ll],
  [0xf4, ll],
  [0xf5, ll],
  [0xf6, ll],
  [0xf7, ll],
  [0xf8, ll], // text1 lines
  [0xf9, fixed(1)], // beeps
  [0xfa, fixed(1)], // card reader activation
  [0xfb, fixed(1)], // confirmation with OK required
  [0xfc, fixed(1)], // dialog control
  [0xfd, fixed(1)] // display device
])

const truncated = (offset: number, tag: number) =>
  new ZvtDecodeError({
    reason: "Truncated",
    offset,
    message: `bitmap ${hexByte(tag)} truncated at offset ${offset}`
  })

/** Reads an LLVAR/LLLVAR prefix of `digits` bytes `Fd`. */
export const decodeVarLength = (
  bytes: Uint8Array,
  at: number,
  digits: number,
  base = 0
): Either.Either<number, ZvtDecodeError> => {
  let n = 0
  for (let i = 0; i < digits; i++) {
    const b = bytes[at + i]!
    if ((b & 0xf0) !== 0xf0 || (b & 0x0f) > 9) {
      return Either.left(
        new ZvtDecodeError({
          reason: "BadLength",
          offset: base + at + i,
          message: `byte ${hexByte(b)} at offset ${base + at + i} is not an LL/LLL length digit (F0..F9)`
        })
      )
    }
    n = n * 10 + (b & 0x0f)
  }
  return Either.right(n)
}

export const encodeVarLength = (length: number, digits: number): Uint8Array =>
  Uint8Array.from(String(length).padStart(digits, "0").split(""), (d) => 0xf0 | Number(d))

/** Reads one bitmap field at `at`; `base` is added to error offsets. */
export const decodeBitmapAt = (
  bytes: Uint8Array,
  at: number,
  base = 0
): Either.Either<{ readonly field: BitmapField; readonly next: number }, ZvtDecodeError> =>
  Either.gen(function*() {
    if (at >= bytes.length) return yield* Either.left(truncated(base + at, 0))
    const tag = bytes[at]!
    const format = bitmapFormats.get(tag)
    if (format === undefined) {
      return yield* Either.left(
        new ZvtDecodeError({
          reason: "UnknownTag",
          offset: base + at,
          message: `unknown bitmap tag ${hexByte(tag)} at offset ${base + at}; its length cannot be known`
        })
      )
    }
    let start = at + 1
    let length: number
    switch (format._tag) {
      case "Fixed":
        length = format.length
        break
      case "LLVar":
      case "LLLVar": {
        const digits = format._tag === "LLVar" ? 2 : 3
        if (start + digits > bytes.length) return yield* Either.left(truncated(base + bytes.length, tag))
        length = yield* decodeVarLength(bytes, start, digits, base)
        start += digits
        break
      }
      case "Tlv": {
        const ber = yield* decodeBerLength(bytes, start, base)
        length = ber.length
        start = ber.next
        break
      }
    }
    if (start + length > bytes.length) return yield* Either.left(truncated(base + bytes.length, tag))
    return { field: { tag, value: bytes.slice(start, start + length) }, next: start + length }
  })

/** Decodes a run of bitmap fields filling `bytes` completely. */
export const decodeBitmaps = (
  bytes: Uint8Array,
  base = 0
): Either.Either<ReadonlyArray<BitmapField>, ZvtDecodeError> =>
  Either.gen(function*() {
    const out: Array<BitmapField> = []
    let at = 0
    while (at < bytes.length) {
      const { field, next } = yield* decodeBitmapAt(bytes, at, base)
      out.push(field)
      at = next
    }
    return out
  })

export const encodeBitmap = (field: BitmapField): Either.Either<Uint8Array, ZvtEncodeError> => {
  const format = bitmapFormats.get(field.tag)
  const name = `bitmap ${hexByte(field.tag & 0xff)}`
  const n = field.value.length
  const tooLong = (max: number) => Either.left(new ZvtEncodeError({ reason: "TooLong", field: name, message: `${name}: ${n} bytes, at most ${max}` }))
  if (format === undefined) {
    return Either.left(
      new ZvtEncodeError({
        reason: "UnknownTag",
        field: name,
        message: `${name} is not a known bitmap`
      })
    )
  }
  const tag = Uint8Array.of(field.tag)
  switch (format._tag) {
    case "Fixed":
      return n === format.length
        ? Either.right(concatBytes([tag, field.value]))
        : Either.left(
          new ZvtEncodeError({
            reason: "BadValue",
            field: name,
            message: `${name} needs ${format.length} bytes, got ${n}`
          })
        )
    case "LLVar":
      return n > 99 ? tooLong(99) : Either.right(concatBytes([tag, encodeVarLength(n, 2), field.value]))
    case "LLLVar":
      return n > 999 ? tooLong(999) : Either.right(concatBytes([tag, encodeVarLength(n, 3), field.value]))
    case "Tlv":
      return Either.map(encodeBerLength(n), (l) => concatBytes([tag, l, field.value]))
  }
}

export const encodeBitmaps = (fields: ReadonlyArray<BitmapField>): Either.Either<Uint8Array, ZvtEncodeError> =>
  Either.map(Either.all(fields.map(encodeBitmap)), concatBytes)
