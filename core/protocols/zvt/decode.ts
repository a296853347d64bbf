/**
 * APDU bytes → typed ZVT message. Never throws; every failure is a ZvtDecodeError whose offset
 * counts from the first byte of the APDU.
 */
import { Either } from "effect"
import { type Apdu, dataOffset, decodeApdu } from "./apdu.ts"
import { type BitmapField, decodeBitmapAt, decodeVarLength } from "./bitmap.ts"
import { decodeBcd, latin1Decode } from "./bytes.ts"
import { ZvtDecodeError } from "./errors.ts"
import type {
  Completion,
  IntermediateStatus,
  ReadCard,
  Registration,
  StatusEnquiry,
  StatusEnquiryCompletion,
  StatusInformation,
  ZvtMessage
} from "./messages.ts"
import { decodeTlv, type TlvEntry } from "./tlv.ts"

interface Located {
  readonly field: BitmapField
  /** offset of the value inside the APDU */
  readonly offset: number
}

const readBitmaps = (
  data: Uint8Array,
  from: number,
  base: number
): Either.Either<ReadonlyArray<Located>, ZvtDecodeError> =>
  Either.gen(function*() {
    const out: Array<Located> = []
    let at = from
    while (at < data.length) {
      const { field, next } = yield* decodeBitmapAt(data, at, base)
      out.push({ field, offset: base + next - field.value.length })
      at = next
    }
    return out
  })

interface Picked {
  readonly found: ReadonlyMap<number, Located>
  readonly other: ReadonlyArray<BitmapField>
}

/** Reads bitmaps from `from` and splits them into the first occurrence of each named tag and the rest. */
const fieldsOf = (
  data: Uint8Array,
  from: number,
  base: number,
  named: ReadonlyArray<number>
): Either.Either<Picked, ZvtDecodeError> =>
  Either.map(readBitmaps(data, from, base), (located) => {
    const found = new Map<number, Located>()
    const other: Array<BitmapField> = []
    for (const l of located) {
      if (named.includes(l.field.tag) && !found.has(l.field.tag)) found.set(l.field.tag, l)
      else other.push(l.field)
    }
    return { found, other }
  })

const byte = (p: Picked, tag: number): number | undefined => p.found.get(tag)?.field.value[0]

const bcd = (p: Picked, tag: number): Either.Either<string | undefined, ZvtDecodeError> => {
  const l = p.found.get(tag)
  return l === undefined ? Either.right(undefined) : decodeBcd(l.field.value, l.offset)
}

const bcdNumber = (p: Picked, tag: number): Either.Either<number | undefined, ZvtDecodeError> =>
  Either.map(bcd(p, tag), (d) => (d === undefined ? undefined : Number(d)))

const tlv = (p: Picked): Either.Either<ReadonlyArray<TlvEntry> | undefined, ZvtDecodeError> => {
  const l = p.found.get(0x06)
  return l === undefined ? Either.right(undefined) : decodeTlv(l.field.value, l.offset)
}

/** `{ key: value }`, or `{}` when the value is absent (exactOptionalPropertyTypes). */
const opt = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>

const extras = (p: Picked) => Either.map(tlv(p), (t) => ({ ...opt("tlv", t), ...opt("other", p.other.length > 0 ? p.other : undefined) }))

const missing = (offset: number, what: string) => new ZvtDecodeError({ reason: "MissingField", offset, message: `${what} missing at offset ${offset}` })

/** Decodes the APDU bytes of any message. */
export const decodeMessage = (bytes: Uint8Array): Either.Either<ZvtMessage, ZvtDecodeError> =>
  Either.flatMap(decodeApdu(bytes), (apdu) => messageOfApdu(apdu, dataOffset(bytes)))

/** Interprets an already split APDU; `base` is the offset of its data (3, or 5 when LEN is FF). */
export const messageOfApdu = (apdu: Apdu, base = 3): Either.Either<ZvtMessage, ZvtDecodeError> => {
  const { cls, data, instr } = apdu
  switch ((cls << 8) | instr) {
    case 0x0600:
      return registration(data, base)
    case 0x0501:
      return statusEnquiry(data, base)
    case 0x06c0:
      return Either.gen(function*() {
        if (data.length < 1) return yield* Either.left(missing(base, "timeout"))
        const p = yield* fieldsOf(data, 1, base, [0x19, 0xfc, 0x06])
        const m: ReadCard = {
          _tag: "ReadCard",
          timeoutSeconds: data[0]!,
          ...opt("cardType", byte(p, 0x19)),
          ...opt("dialogControl", byte(p, 0xfc)),
          ...yield* extras(p)
        }
        return m
      })
    case 0x06b0:
      return Either.right({ _tag: "Abort" })
    case 0x04ff:
      return Either.gen(function*() {
        if (data.length < 1) return yield* Either.left(missing(base, "intermediate status code"))
        const p = yield* fieldsOf(data, 2, base, [0x06])
        const m: IntermediateStatus = {
          _tag: "IntermediateStatus",
          code: data[0]!,
          ...opt("timeout", data[1]),
          ...yield* extras(p)
        }
        return m
      })
    case 0x040f:
      return Either.gen(function*() {
        const p = yield* fieldsOf(data, 0, base, [0x27, 0x19, 0x29, 0x49, 0x06])
        const result = byte(p, 0x27)
        if (result === undefined) return yield* Either.left(missing(base, "result code (bitmap 27)"))
        const m: StatusInformation = {
          _tag: "StatusInformation",
          result,
          ...opt("cardType", byte(p, 0x19)),
          ...opt("terminalId", yield* bcd(p, 0x29)),
          ...opt("currency", yield* bcdNumber(p, 0x49)),
          ...yield* extras(p)
        }
        return m
      })
    case 0x060f:
      return data.length > 0 && (data[0]! & 0xf0) === 0xf0
        ? statusEnquiryCompletion(data, base)
        : Either.gen(function*() {
          const p = yield* fieldsOf(data, 0, base, [0x27, 0x19, 0x29, 0x49, 0x06])
          const m: Completion = {
            _tag: "Completion",
            ...opt("resultCode", byte(p, 0x27)),
            ...opt("statusByte", byte(p, 0x19)),
            ...opt("terminalId", yield* bcd(p, 0x29)),
            ...opt("currency", yield* bcdNumber(p, 0x49)),
            ...yield* extras(p)
          }
          return m
        })
    case 0x061e:
      return data.length < 1
        ? Either.left(missing(base, "result code"))
        : Either.right({
          _tag: "AbortFromTerminal",
          result: data[0]!,
          ...opt("rest", data.length > 1 ? data.slice(1) : undefined)
        })
    case 0x06d1:
      return data.length < 1
        ? Either.left(missing(base, "print attribute"))
        : Either.right({ _tag: "PrintLine", attribute: data[0]!, text: latin1Decode(data.slice(1)) })
  }
  const extra = opt("data", data.length > 0 ? data : undefined)
  if (cls === 0x80 && instr === 0x00) return Either.right({ _tag: "PositiveAnswer", ...extra })
  if (cls === 0x84) return Either.right({ _tag: "NegativeAnswer", code: instr, ...extra })
  return Either.right({ _tag: "Unknown", cls, instr, data })
}

const registration = (data: Uint8Array, base: number): Either.Either<ZvtMessage, ZvtDecodeError> =>
  Either.gen(function*() {
    if (data.length < 4) return yield* Either.left(missing(base + data.length, "password and config byte"))
    const password = yield* decodeBcd(data.slice(0, 3), base)
    // ZVT: the currency must be sent whenever a service byte or a TLV container follows,
    // so the two bytes after the config byte are always the currency.
    if (data.length === 5) {
      return yield* Either.left(
        new ZvtDecodeError({
          reason: "Truncated",
          offset: base + 5,
          message: "currency code truncated at offset " + (base + 5)
        })
      )
    }
    const currency = data.length >= 6 ? Number(yield* decodeBcd(data.slice(4, 6), base + 4)) : undefined
    const p = yield* fieldsOf(data, 6, base, [0x03, 0x06])
    const m: Registration = {
      _tag: "Registration",
      password,
      config: data[3]!,
      ...opt("currency", currency),
      ...opt("serviceByte", byte(p, 0x03)),
      ...yield* extras(p)
    }
    return m
  })

const statusEnquiry = (data: Uint8Array, base: number): Either.Either<ZvtMessage, ZvtDecodeError> =>
  Either.gen(function*() {
    // The password is untagged and optional: the data are taken as bitmaps alone when they start
    // with 03 or 06 and parse completely as service byte / TLV; otherwise 3 password bytes lead.
    const withoutPassword = data.length === 0 || data[0] === 0x03 || data[0] === 0x06
      ? fieldsOf(data, 0, base, [0x03, 0x06])
      : undefined
    const usable = withoutPassword !== undefined && Either.isRight(withoutPassword) &&
        withoutPassword.right.other.length === 0
      ? withoutPassword.right
      : undefined
    if (usable === undefined && data.length < 3) return yield* Either.left(missing(base + data.length, "password"))
    const password = usable === undefined ? yield* decodeBcd(data.slice(0, 3), base) : undefined
    const p = usable ?? (yield* fieldsOf(data, 3, base, [0x03, 0x06]))
    const m: StatusEnquiry = {
      _tag: "StatusEnquiry",
      ...opt("password", password),
      ...opt("serviceByte", byte(p, 0x03)),
      ...yield* extras(p)
    }
    return m
  })

const statusEnquiryCompletion = (data: Uint8Array, base: number): Either.Either<ZvtMessage, ZvtDecodeError> =>
  Either.gen(function*() {
    if (data.length < 3) {
      return yield* Either.left(
        new ZvtDecodeError({
          reason: "Truncated",
          offset: base + data.length,
          message: "software version length truncated"
        })
      )
    }
    const n = yield* decodeVarLength(data, 0, 3, base)
    if (3 + n >= data.length) return yield* Either.left(missing(base + data.length, "terminal status code"))
    const p = yield* fieldsOf(data, 4 + n, base, [0x06])
    const m: StatusEnquiryCompletion = {
      _tag: "StatusEnquiryCompletion",
      softwareVersion: latin1Decode(data.slice(3, 3 + n)),
      terminalStatus: data[3 + n]!,
      ...yield* extras(p)
    }
    return m
  })

/** The TLV entries of a message, if it carries a container. */
export const tlvOfMessage = (m: ZvtMessage): ReadonlyArray<TlvEntry> | undefined => "tlv" in m ? m.tlv : undefined
