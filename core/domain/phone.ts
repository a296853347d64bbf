/**
 * Phone numbers as people type them: national ("0151 23456789"), international
 * ("+49 151 23456789", "0049 …") or with slashes and dashes, read with Google's
 * metadata (libphonenumber-js, full set) and normalised to E.164. Effect-free, so
 * the back office and the kiosk check a field with the same verdict as the server.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max"
import type { CountryCode } from "libphonenumber-js/max"

/** What the number is for: an SMS needs a mobile phone; a call-back number may be a landline. */
export type PhoneUse = "sms" | "call"

/** Why a typed number was refused. */
export type PhoneProblem = "empty" | "unreadable" | "invalid" | "landline"

export type PhoneReading =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly problem: PhoneProblem }

/** The region a national number (leading 0) belongs to. */
export const defaultRegion: CountryCode = "DE"

/** Reads a typed phone number: its E.164 form, or why it is not one. */
export const readPhone = (input: string, use: PhoneUse, region: CountryCode = defaultRegion): PhoneReading => {
  // any kind of space (a pasted non-breaking one included) is a space
  const typed = input.replace(/\s/g, " ").trim()
  if (typed === "") return { ok: false, problem: "empty" }
  if (!/^[+0-9(][0-9 ()/.-]*$/.test(typed) || typed.replace(/\D/g, "").length < 3) return { ok: false, problem: "unreadable" }
  const parsed = parsePhoneNumberFromString(typed.replace(/^00/, "+"), region)
  if (parsed === undefined || !parsed.isValid()) return { ok: false, problem: "invalid" }
  const type = parsed.getType()
  // an SMS reaches a mobile phone (or a number that may be one); not a landline, a service or a pager number
  if (use === "sms" && type !== undefined && type !== "MOBILE" && type !== "FIXED_LINE_OR_MOBILE") {
    return { ok: false, problem: "landline" }
  }
  return { ok: true, e164: parsed.number }
}

/** The one sentence, in English (the API's language), for a refused number. */
export const phoneProblemSentence = (problem: PhoneProblem, input: string): string => {
  const typed = input.trim()
  switch (problem) {
    case "empty":
      return "the phone number is missing"
    case "unreadable":
      return `"${typed.slice(0, 40)}" is not a phone number: use digits, for example 0151 23456789 or +49 151 23456789`
    case "invalid":
      return `${typed} is not a valid phone number: check the digits and the country code, for example 0151 23456789 or +49 151 23456789`
    case "landline":
      return `${typed} is a landline number; the pickup code comes by SMS, so a mobile number is needed`
  }
}

/** A number in E.164 written for reading: "+49 151 23456789". */
export const phoneForReading = (e164: string): string => parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
