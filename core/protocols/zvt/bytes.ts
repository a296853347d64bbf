import { Either } from "effect"
import { ZvtDecodeError, ZvtEncodeError } from "./errors.ts"

export const hexByte = (n: number): string => n.toString(16).toUpperCase().padStart(2, "0")

export const concatBytes = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export const checkByte = (field: string, value: number): Either.Either<number, ZvtEncodeError> => checkInt(field, value, 0, 0xff)

export const checkInt = (
  field: string,
  value: number,
  min: number,
  max: number
): Either.Either<number, ZvtEncodeError> =>
  Number.isInteger(value) && value >= min && value <= max
    ? Either.right(value)
    : Either.left(
      new ZvtEncodeError({ reason: "OutOfRange", field, message: `${field} must be ${min}..${max}, got ${value}` })
    )

/** Packs a string of decimal digits into `size` BCD bytes, left-padded with zeros. */
export const encodeBcd = (field: string, digits: string, size: number): Either.Either<Uint8Array, ZvtEncodeError> => {
  if (!/^[0-9]*$/.test(digits) || digits.length > size * 2) {
    return Either.left(
      new ZvtEncodeError({
        reason: "BadValue",
        field,
        message: `${field} must be at most ${size * 2} decimal digits, got "${digits}"`
      })
    )
  }
  const padded = digits.padStart(size * 2, "0")
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1])
  return Either.right(out)
}

export const encodeBcdNumber = (
  field: string,
  value: number,
  size: number
): Either.Either<Uint8Array, ZvtEncodeError> => Either.flatMap(checkInt(field, value, 0, 10 ** (size * 2) - 1), (v) => encodeBcd(field, String(v), size))

/** Unpacks BCD bytes into their decimal digits; a nibble above 9 is a typed error. */
export const decodeBcd = (bytes: Uint8Array, offset: number): Either.Either<string, ZvtDecodeError> => {
  let digits = ""
  for (let i = 0; i < bytes.length; i++) {
    const hi = bytes[i]! >> 4
    const lo = bytes[i]! & 0x0f
    if (hi > 9 || lo > 9) {
      return Either.left(
        new ZvtDecodeError({
          reason: "BadValue",
          offset: offset + i,
          message: `byte ${hexByte(bytes[i]!)} at offset ${offset + i} is not BCD`
        })
      )
    }
    digits += `${hi}${lo}`
  }
  return Either.right(digits)
}

/** Bytes as ISO-8859-1 characters (ZVT texts are single-byte; no byte is lost). */
export const latin1Decode = (bytes: Uint8Array): string => {
  let s = ""
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!)
  return s
}

export const latin1Encode = (field: string, text: string): Either.Either<Uint8Array, ZvtEncodeError> => {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c > 0xff) {
      return Either.left(
        new ZvtEncodeError({
          reason: "BadValue",
          field,
          message: `${field}: character ${JSON.stringify(text[i])} at ${i} is not a single byte`
        })
      )
    }
    out[i] = c
  }
  return Either.right(out)
}
