/**
 * ZVT APDU layer: `CLASS INSTR LEN DATA...`; LEN is one byte 00..FE, or FF followed by a
 * two-byte length, low byte first. Over TCP (port 20007) APDUs follow each other unframed;
 * `ApduSplitter` cuts such a stream.
 */
import { Either } from "effect"
import { checkByte } from "./bytes.ts"
import { ZvtDecodeError, ZvtEncodeError } from "./errors.ts"

export interface Apdu {
  readonly cls: number
  readonly instr: number
  readonly data: Uint8Array
}

export const encodeApdu = (apdu: Apdu): Either.Either<Uint8Array, ZvtEncodeError> =>
  Either.gen(function*() {
    const cls = yield* checkByte("cls", apdu.cls)
    const instr = yield* checkByte("instr", apdu.instr)
    const n = apdu.data.length
    if (n > 0xffff) {
      return yield* Either.left(
        new ZvtEncodeError({ reason: "TooLong", field: "data", message: `APDU data of ${n} bytes exceeds 65535` })
      )
    }
    const header = n < 0xff ? Uint8Array.of(cls, instr, n) : Uint8Array.of(cls, instr, 0xff, n & 0xff, n >> 8)
    const out = new Uint8Array(header.length + n)
    out.set(header, 0)
    out.set(apdu.data, header.length)
    return out
  })

/** Length of the header and of the data, or undefined when more bytes are needed to tell. */
const headerAt = (bytes: Uint8Array, at: number): { readonly header: number; readonly length: number } | undefined => {
  if (bytes.length - at < 3) return undefined
  if (bytes[at + 2] !== 0xff) return { header: 3, length: bytes[at + 2]! }
  if (bytes.length - at < 5) return undefined
  return { header: 5, length: bytes[at + 3]! | (bytes[at + 4]! << 8) }
}

/** Decodes exactly one APDU; missing or surplus bytes are typed errors. */
export const decodeApdu = (bytes: Uint8Array): Either.Either<Apdu, ZvtDecodeError> => {
  const h = headerAt(bytes, 0)
  if (h === undefined) {
    return Either.left(
      new ZvtDecodeError({
        reason: "Truncated",
        offset: bytes.length,
        message: `APDU header truncated at offset ${bytes.length}`
      })
    )
  }
  const end = h.header + h.length
  if (bytes.length < end) {
    return Either.left(
      new ZvtDecodeError({
        reason: "Truncated",
        offset: bytes.length,
        message: `APDU announces ${h.length} data bytes but only ${bytes.length - h.header} follow`
      })
    )
  }
  if (bytes.length > end) {
    return Either.left(
      new ZvtDecodeError({
        reason: "TrailingBytes",
        offset: end,
        message: `${bytes.length - end} byte(s) after the end of the APDU at offset ${end}`
      })
    )
  }
  return Either.right({ cls: bytes[0]!, instr: bytes[1]!, data: bytes.slice(h.header, end) })
}

/** Offset of the data inside an encoded APDU (3, or 5 with an extended length). */
export const dataOffset = (bytes: Uint8Array): number => (bytes[2] === 0xff ? 5 : 3)

/** Cuts consecutive APDUs from an unframed (TCP) byte stream; keeps an incomplete tail. */
export class ApduSplitter {
  private buffer: Uint8Array = new Uint8Array(0)

  push(chunk: Uint8Array): ReadonlyArray<Apdu> {
    const joined = new Uint8Array(this.buffer.length + chunk.length)
    joined.set(this.buffer, 0)
    joined.set(chunk, this.buffer.length)
    const out: Array<Apdu> = []
    let at = 0
    for (;;) {
      const h = headerAt(joined, at)
      if (h === undefined || joined.length - at < h.header + h.length) break
      const data = joined.slice(at + h.header, at + h.header + h.length)
      out.push({ cls: joined[at]!, instr: joined[at + 1]!, data })
      at += h.header + h.length
    }
    this.buffer = joined.slice(at)
    return out
  }

  get pending(): Uint8Array {
    return this.buffer
  }

  reset(): void {
    this.buffer = new Uint8Array(0)
  }
}
