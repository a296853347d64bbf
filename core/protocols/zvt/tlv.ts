/**
 * BER-TLV as used in the ZVT bitmap 06 container. Lengths: `<80` one byte, `81 nn`,
 * `82 nn nn` (big-endian). Tags: one byte, or — when the low five bits of the first byte are
 * all set (e.g. `1F`) — continued by further bytes while their top bit is set (`1F 14`).
 * A tag is represented as the number formed by its bytes (0x1F14). Constructed values are kept
 * as raw bytes; decode them again with `decodeTlv` when needed.
 */
import { Either } from "effect"
import { concatBytes, hexByte } from "./bytes.ts"
import { ZvtDecodeError, ZvtEncodeError } from "./errors.ts"

export interface TlvEntry {
  readonly tag: number
  readonly value: Uint8Array
}

const truncated = (offset: number, what: string) => new ZvtDecodeError({ reason: "Truncated", offset, message: `${what} truncated at offset ${offset}` })

/** Reads a BER length at `at`; `base` is added to error offsets. */
export const decodeBerLength = (
  bytes: Uint8Array,
  at: number,
  base = 0
): Either.Either<{ readonly length: number; readonly next: number }, ZvtDecodeError> => {
  if (at >= bytes.length) return Either.left(truncated(base + at, "BER length"))
  const first = bytes[at]!
  if (first < 0x80) return Either.right({ length: first, next: at + 1 })
  const count = first & 0x7f
  if (count === 0 || count > 2) {
    return Either.left(
      new ZvtDecodeError({
        reason: "BadLength",
        offset: base + at,
        message: `unsupported BER length byte ${hexByte(first)} at offset ${base + at}`
      })
    )
  }
  if (at + count >= bytes.length) return Either.left(truncated(base + at, "BER length"))
  const length = count === 1 ? bytes[at + 1]! : (bytes[at + 1]! << 8) | bytes[at + 2]!
  return Either.right({ length, next: at + 1 + count })
}

export const encodeBerLength = (length: number): Either.Either<Uint8Array, ZvtEncodeError> => {
  if (!Number.isInteger(length) || length < 0 || length > 0xffff) {
    return Either.left(
      new ZvtEncodeError({ reason: "TooLong", field: "length", message: `BER length ${length} is not 0..65535` })
    )
  }
  if (length < 0x80) return Either.right(Uint8Array.of(length))
  if (length <= 0xff) return Either.right(Uint8Array.of(0x81, length))
  return Either.right(Uint8Array.of(0x82, length >> 8, length & 0xff))
}

const decodeTag = (
  bytes: Uint8Array,
  at: number,
  base: number
): Either.Either<{ readonly tag: number; readonly next: number }, ZvtDecodeError> => {
  let tag = bytes[at]!
  let next = at + 1
  if ((tag & 0x1f) !== 0x1f) return Either.right({ tag, next })
  for (;;) {
    if (next >= bytes.length) return Either.left(truncated(base + at, "TLV tag"))
    if (next - at >= 3) {
      return Either.left(
        new ZvtDecodeError({
          reason: "BadValue",
          offset: base + at,
          message: `TLV tag longer than 3 bytes at offset ${base + at}`
        })
      )
    }
    const b = bytes[next++]!
    tag = tag * 256 + b
    if ((b & 0x80) === 0) return Either.right({ tag, next })
  }
}

/** Bytes of a tag number, or an error when they would not read back as the same tag. */
export const encodeTag = (tag: number): Either.Either<Uint8Array, ZvtEncodeError> => {
  const bad = Either.left(
    new ZvtEncodeError({ reason: "BadValue", field: "tag", message: `${tag} is not a valid BER tag of 1..3 bytes` })
  )
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff) return bad
  const bytes = tag > 0xffff ? [tag >> 16, (tag >> 8) & 0xff, tag & 0xff] : tag > 0xff ? [tag >> 8, tag & 0xff] : [tag]
  const ok = bytes.every((b, i) =>
    i === 0
      ? ((b & 0x1f) === 0x1f) === (bytes.length > 1)
      : i === bytes.length - 1
      ? (b & 0x80) === 0
      : (b & 0x80) !== 0
  )
  return ok ? Either.right(Uint8Array.from(bytes)) : bad
}

export const decodeTlv = (bytes: Uint8Array, base = 0): Either.Either<ReadonlyArray<TlvEntry>, ZvtDecodeError> =>
  Either.gen(function*() {
    const out: Array<TlvEntry> = []
    let at = 0
    while (at < bytes.length) {
      const { next: afterTag, tag } = yield* decodeTag(bytes, at, base)
      const { length, next } = yield* decodeBerLength(bytes, afterTag, base)
      if (next + length > bytes.length) {
        return yield* Either.left(
          new ZvtDecodeError({
            reason: "Truncated",
            offset: base + bytes.length,
            message: `TLV ${tag.toString(16).toUpperCase()} at offset ${base + at} announces ${length} bytes, ${bytes.length - next} follow`
          })
        )
      }
      out.push({ tag, value: bytes.slice(next, next + length) })
      at = next + length
    }
    return out
  })

export const encodeTlv = (entries: ReadonlyArray<TlvEntry>): Either.Either<Uint8Array, ZvtEncodeError> =>
  Either.map(
    Either.all(entries.map((e) => Either.zipWith(encodeTag(e.tag), encodeBerLength(e.value.length), (t, l) => concatBytes([t, l, e.value])))),
    concatBytes
  )

export const findTlv = (entries: ReadonlyArray<TlvEntry> | undefined, tag: number): Uint8Array | undefined => entries?.find((e) => e.tag === tag)?.value
