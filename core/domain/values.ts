/**
 * Value types of the domain: phone numbers, document kinds, sizes.
 */
import { ParseResult, Schema } from "effect"
import { phoneProblemSentence, type PhoneUse, readPhone } from "./phone.ts"

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const PhoneNumber = Schema.String.pipe(
  Schema.pattern(/^\+[1-9][0-9]{6,14}$/, {
    message: () => "a phone number must be in E.164 form, e.g. +4915112345678"
  }),
  Schema.brand("PhoneNumber")
)
export type PhoneNumber = typeof PhoneNumber.Type

/**
 * A phone number as staff type it (national, international, spaced), decoded to its E.164
 * form; encoded back as E.164. A number that is not one fails with one sentence.
 */
const typedPhone = (use: PhoneUse) =>
  Schema.transformOrFail(Schema.String.pipe(Schema.maxLength(40, { message: () => "a phone number has at most 40 characters" })), PhoneNumber, {
    strict: true,
    decode: (typed, _, ast) => {
      const read = readPhone(typed, use)
      return read.ok ? ParseResult.succeed(read.e164) : ParseResult.fail(new ParseResult.Type(ast, typed, phoneProblemSentence(read.problem, typed)))
    },
    encode: (e164) => ParseResult.succeed(e164)
  })

/** A mobile number for the pickup code's SMS, typed in any common form. */
export const SmsPhoneInput = typedPhone("sms")

/** Shows only the last two digits: enough for a citizen to recognise their phone, nothing for a passer-by. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)} ••• ••• ${phone.slice(-2)}`

/** Document kinds: ID card and passport by default; a municipality may configure more. */
export const DocumentKind = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{1,31}$/, { message: () => "a document kind is a lower-case slug, e.g. id-card" }),
  Schema.brand("DocumentKind")
)
export type DocumentKind = typeof DocumentKind.Type
export const defaultDocumentKinds: ReadonlyArray<string> = ["id-card", "passport", "child-passport", "residence-permit"]

export const SizeClass = Schema.Literal("S", "M", "L")
export type SizeClass = typeof SizeClass.Type
export const sizeRank: Record<SizeClass, number> = { S: 1, M: 2, L: 3 }

/** low: reachable from a wheelchair (ca. 40–120 cm); high: above that. */
export const HeightBand = Schema.Literal("low", "high")
export type HeightBand = typeof HeightBand.Type

export const Utc = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/))
