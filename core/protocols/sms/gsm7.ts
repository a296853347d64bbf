/**
 * GSM 03.38 / 3GPP TS 23.038 default alphabet and its extension table, and 7-bit packing.
 */
import { Either } from "effect"
import { SmsEncodeError } from "./errors.ts"

/** Septet value → character (index = septet). 0x1B is the escape to the extension table. */
export const GSM7_BASIC: string = "@£$¥èéùìòÇ\nØø\rÅå" +
  "Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ" +
  " !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§" +
  "¿abcdefghijklmnopqrstuvwxyzäöñüà"

export const ESCAPE = 0x1b

/** Extension table: septet after ESC → character. */
export const GSM7_EXTENSION: ReadonlyMap<number, string> = new Map([
  [0x0a, "\f"],
  [0x14, "^"],
  [0x28, "{"],
  [0x29, "}"],
  [0x2f, "\\"],
  [0x3c, "["],
  [0x3d, "~"],
  [0x3e, "]"],
  [0x40, "|"],
  [0x65, "€"]
])

const basicIndex: ReadonlyMap<string, number> = new Map(
  Array.from(GSM7_BASIC, (c, i) => [c, i] as const).filter(([, i]) => i !== ESCAPE)
)
const extensionIndex: ReadonlyMap<string, number> = new Map(Array.from(GSM7_EXTENSION, ([k, v]) => [v, k] as const))

/** Every character the default alphabet can carry (for tests and input validation). */
export const gsm7Characters: ReadonlyArray<string> = [...basicIndex.keys(), ...extensionIndex.keys()]

/** Text → septet values (extension characters become ESC + code). */
export const encodeGsm7 = (text: string): Either.Either<Uint8Array, SmsEncodeError> => {
  const out: Array<number> = []
  let index = 0
  for (const c of text) {
    const basic = basicIndex.get(c)
    if (basic !== undefined) {
      out.push(basic)
    } else {
      const ext = extensionIndex.get(c)
      if (ext === undefined) {
        return Either.left(
          new SmsEncodeError({
            reason: "Unencodable",
            offset: index,
            message: `character ${JSON.stringify(c)} (U+${
              c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")
            }) at position ${index} is not in the GSM 7-bit alphabet`
          })
        )
      }
      out.push(ESCAPE, ext)
    }
    index += c.length
  }
  return Either.right(Uint8Array.from(out))
}

/** Number of septets `text` needs, or undefined if it is not encodable. */
export const septetCount = (text: string): number | undefined => Either.match(encodeGsm7(text), { onLeft: () => undefined, onRight: (s) => s.length })

/**
 * Septet values → text. Never fails: per TS 23.038 an escape followed by a code missing from the
 * extension table shows the default-table character; a lone trailing escape or ESC ESC shows a space.
 */
export const decodeGsm7 = (septets: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]! & 0x7f
    if (s !== ESCAPE) {
      out += GSM7_BASIC[s]
      continue
    }
    const next = septets[i + 1]
    i++
    if (next === undefined || (next & 0x7f) === ESCAPE) {
      out += " "
    } else {
      out += GSM7_EXTENSION.get(next & 0x7f) ?? GSM7_BASIC[next & 0x7f]
    }
  }
  return out
}

/** Packs septets LSB first into octets (`fillBits` zero bits first, for a user data header). */
export const packSeptets = (septets: Uint8Array, fillBits = 0): Uint8Array => {
  const totalBits = fillBits + septets.length * 7
  const out = new Uint8Array(Math.ceil(totalBits / 8))
  let bit = fillBits
  for (let i = 0; i < septets.length; i++) {
    const v = septets[i]! & 0x7f
    const byte = bit >> 3
    const shift = bit & 7
    out[byte] = out[byte]! | ((v << shift) & 0xff)
    if (shift > 1) out[byte + 1] = out[byte + 1]! | (v >> (8 - shift))
    bit += 7
  }
  return out
}

/** Unpacks `count` septets starting at bit `fillBits`; the caller checks that enough octets exist. */
export const unpackSeptets = (octets: Uint8Array, count: number, fillBits = 0): Uint8Array => {
  const out = new Uint8Array(count)
  let bit = fillBits
  for (let i = 0; i < count; i++) {
    const byte = bit >> 3
    const shift = bit & 7
    const word = (octets[byte] ?? 0) | ((octets[byte + 1] ?? 0) << 8)
    out[i] = (word >> shift) & 0x7f
    bit += 7
  }
  return out
}
