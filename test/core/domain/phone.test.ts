/**
 * Phone numbers as people type them: every common way of writing a German mobile
 * number reads to the same E.164 form, a landline is refused for the SMS and taken
 * for a call-back, and what is not a number gets a sentence that names it.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { phoneForReading, phoneProblemSentence, readPhone } from "../../../core/domain/phone.ts"

describe("readPhone", () => {
  it.each([
    ["0151 23456789", "+4915123456789"],
    ["015123456789", "+4915123456789"],
    ["0151/23456789", "+4915123456789"],
    ["0151-234 567 89", "+4915123456789"],
    ["+49 151 23456789", "+4915123456789"],
    ["0049 151 23456789", "+4915123456789"],
    ["+49 (0)151 23456789", "+4915123456789"],
    ["0171 1234567", "+491711234567"],
    ["+43 664 1234567", "+436641234567"],
    ["  0160 98765432 ", "+4916098765432"],
    ["(0151) 23456789", "+4915123456789"],
    ["0151\u00a023456789", "+4915123456789"]
  ])("reads %s as %s for an SMS", (typed, e164) => {
    expect(readPhone(typed, "sms")).toEqual({ ok: true, e164 })
  })

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["abc", "unreadable"],
    ["0151 2345678x", "unreadable"],
    ["12", "unreadable"],
    ["0151 2", "invalid"],
    ["0000 12345678", "invalid"],
    ["+49 151 234567890123", "invalid"],
    ["02651 12345", "landline"],
    ["0700 12345678", "landline"],
    ["+49 261 1234567", "landline"]
  ])("refuses %j: %s", (typed, problem) => {
    expect(readPhone(typed, "sms")).toEqual({ ok: false, problem })
  })

  it("takes a landline for a call-back number", () => {
    expect(readPhone("02651 12345", "call")).toEqual({ ok: true, e164: "+49265112345" })
  })

  it("every sentence is one line that names what was typed", () => {
    for (const problem of ["unreadable", "invalid", "landline"] as const) {
      const sentence = phoneProblemSentence(problem, " 0151 x ")
      expect(sentence).toContain("0151 x")
      expect(sentence).not.toMatch(/\n/)
    }
  })

  // German mobile numbers of the 015x/016x/017x blocks, written in any of the ways people write them
  const subscriber = fc.stringMatching(/^[1-9][0-9]{7}$/)
  const prefix = fc.constantFrom("151", "152", "157", "160", "162", "163", "170", "172", "175", "176", "177", "178", "179")
  const written = fc.record({ prefix, subscriber, style: fc.nat(5), split: fc.nat(7) }).map(({ prefix, split, style, subscriber }) => {
    const rest = `${subscriber.slice(0, split)}${split > 0 && split < 8 ? " " : ""}${subscriber.slice(split)}`
    const national = ["0", "+49 ", "0049 ", "+49 (0)", "0", "+49"][style]!
    const sep = [" ", " ", " ", "", "/", "-"][style]!
    return { typed: `${national}${prefix}${sep}${rest}`, e164: `+49${prefix}${subscriber}` }
  }).filter(({ e164 }) => readPhone(e164, "sms").ok)

  it("every way of writing a valid mobile number reads to one E.164 form, and reads back from its display form", () => {
    fc.assert(
      fc.property(written, ({ e164, typed }) => {
        expect(readPhone(typed, "sms")).toEqual({ ok: true, e164 })
        expect(readPhone(phoneForReading(e164), "sms")).toEqual({ ok: true, e164 })
      }),
      { numRuns: 500 }
    )
  })

  it("a digit dropped from a valid 015x number is refused, never read as another number", () => {
    fc.assert(
      fc.property(fc.constantFrom("151", "152", "157"), fc.stringMatching(/^[1-9][0-9]{7}$/), fc.nat(7), (prefix, subscriber, at) => {
        const short = subscriber.slice(0, at) + subscriber.slice(at + 1)
        expect(readPhone(`0${prefix} ${short}`, "sms").ok).toBe(false)
      })
    )
  })
})
