/**
 * Rules the screens share with the server, effect-free so the browser
 * bundles import them as they are: the pickup number's check digit, the form
 * fields' formats and lengths, and the one-time code's SMS text (written by
 * the Notifier, read back by the twin's users: tests, benches, the soak).
 * One copy, so the screen's early check and the server's verdict agree.
 */
import { readPhone } from "./phone.ts"

/** The Luhn check digit of a string of digits. */
export const luhnCheckDigit = (digits: string): number => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/** Digits only, at least two, the last the Luhn check digit of the others. */
export const luhnValid = (s: string): boolean => /^[0-9]{2,}$/.test(s) && luhnCheckDigit(s.slice(0, -1)) === s.charCodeAt(s.length - 1) - 48

export type FieldKind = "text" | "longtext" | "date" | "email" | "phone" | "number" | "postcode" | "select"

/** What a filled field of each kind must look like (select: one of its options, checked apart). */
export const fieldFormats: Record<FieldKind, { readonly valid: (v: string) => boolean; readonly problem: string }> = {
  text: { valid: () => true, problem: "" },
  longtext: { valid: () => true, problem: "" },
  date: { valid: (v) => readDate(v) !== undefined, problem: "must be a date, DD.MM.YYYY or YYYY-MM-DD" },
  email: { valid: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), problem: "must be an e-mail address" },
  phone: { valid: (v) => readPhone(v, "call").ok, problem: "must be a phone number, for example 0261 1234567 or +49 151 23456789" },
  number: { valid: (v) => /^-?\d+(\.\d+)?$/.test(v), problem: "must be a number" },
  postcode: { valid: (v) => /^\d{5}$/.test(v), problem: "must be a 5-digit postcode" },
  select: { valid: () => true, problem: "" }
}

/**
 * A date as people in Germany write it ("15.3.2019", "15.03.2019") or in ISO ("2019-03-15"):
 * its ISO form, or undefined when it is not a real calendar date (31.02. is not).
 */
export const readDate = (text: string): string | undefined => {
  const t = text.trim()
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t)
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)
  const [y, m, d] = german !== null ? [german[3]!, german[2]!, german[1]!] : iso !== null ? [iso[1]!, iso[2]!, iso[3]!] : [undefined, undefined, undefined]
  if (y === undefined) return undefined
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined
  return `${y}-${m!.padStart(2, "0")}-${d!.padStart(2, "0")}`
}

/** A staff user name: lower-case letters, digits and . _ - ; 2 to 32 characters, starting with a letter or digit. */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,31}$/

/** A field's length limit: its own, else 2000 for long text and 200 for the rest. */
export const maxLengthOf = (field: { readonly type: FieldKind; readonly maxLength?: number | undefined }): number =>
  field.maxLength ?? (field.type === "longtext" ? 2000 : 200)

/** The SMS that carries a one-time code. */
export const codeSms = (code: string, minutes: number): string =>
  `Amt-O-Mat Code: ${code}. Gültig ${minutes} Min. Niemals weitergeben. / Never share this code.`

/** The code in an SMS written by `codeSms`, if it is one. */
export const codeIn = (text: string): string | undefined => /Code: (\d+)/.exec(text)?.[1]

/** The code of the newest code SMS among `texts` (oldest first). */
export const lastCodeIn = (texts: ReadonlyArray<string>): string | undefined => {
  for (let i = texts.length - 1; i >= 0; i--) {
    const code = codeIn(texts[i]!)
    if (code !== undefined) return code
  }
  return undefined
}
