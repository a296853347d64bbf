/**
 * The rules the screens share with the server (core/domain/rules.ts), one
 * copy: the check digit catches every single-digit typo, the code SMS reads
 * back as written, and the kiosk's early field check and the server's form
 * validation give the same verdict on any input.
 */
import { Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { defaultCatalogue, validateForm } from "../../../core/domain/catalogue.ts"
import { codeIn, codeSms, lastCodeIn, luhnCheckDigit, luhnValid, readDate } from "../../../core/domain/rules.ts"
import { checkField, filledValues } from "../../../kiosk/ui/kiosk/validate.ts"

const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(""))

describe("the pickup number's check digit", () => {
  it("valid with its check digit; any single changed digit is caught", () => {
    fc.assert(fc.property(digits(7, 7), fc.nat(7), fc.integer({ min: 1, max: 9 }), (body, at, by) => {
      const number = body + String(luhnCheckDigit(body))
      expect(luhnValid(number)).toBe(true)
      const typo = number.slice(0, at) + String((Number(number[at]) + by) % 10) + number.slice(at + 1)
      expect(luhnValid(typo)).toBe(false)
    }))
    expect(luhnValid("98858822")).toBe(true)
    for (const bad of ["", "7", "9885882a", "98858823"]) expect(luhnValid(bad), bad).toBe(false)
  })
})

describe("the code SMS", () => {
  it("reads back the code it carries, the newest of several", () => {
    fc.assert(fc.property(digits(6, 6), fc.integer({ min: 1, max: 60 }), (code, minutes) => {
      expect(codeIn(codeSms(code, minutes))).toBe(code)
    }))
    expect(lastCodeIn([codeSms("111111", 10), "Ihr Reisepass liegt bereit.", codeSms("222222", 10), "Erinnerung"])).toBe("222222")
    expect(lastCodeIn(["Ihr Reisepass liegt bereit."])).toBeUndefined()
  })
})

describe("form fields: the screen and the server agree", () => {
  const fields = defaultCatalogue.flatMap((service) => service.fields.map((field) => ({ service, field })))
  const values = fc.oneof(
    fc.string({ maxLength: 30 }),
    digits(0, 7),
    fc.constantFrom("2026-02-30", "2026-12-01", "a@b.de", "x@y", "+49 151 1234567", "-3.5", "12345", "1234", " 56068 "),
    fc.string({ minLength: 190, maxLength: 2100 })
  )
  it("for every field of the catalogue and any value, the kiosk's check passes exactly when the server accepts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...fields), values, ({ service, field }, value) => {
        const others: Record<string, string> = {}
        // the other required fields filled with values that pass, so only this field decides
        for (const f of service.fields) {
          if (f.name === field.name || !f.required) continue
          others[f.name] = f.type === "select" ? f.options![0]!.value : f.type === "postcode" ? "56068" : f.type === "date" ?
            "2026-12-01"
            : f.type === "email"
            ? "a@b.de"
            : f.type === "phone"
            ? "+4915112345678"
            : f.type === "number"
            ? "1"
            : "x"
        }
        const server = Either.isRight(validateForm(service, { ...others, [field.name]: value }))
        const screen = checkField(field as never, value) === null
        expect(screen, `${service.id}.${field.name} = ${JSON.stringify(value.slice(0, 40))}`).toBe(server)
      }),
      { numRuns: 400 }
    )
  })
})

describe("dates as people type them", () => {
  it("any calendar day written the German way or in ISO reads to its ISO form", () => {
    fc.assert(fc.property(fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2100-12-31T00:00:00Z"), noInvalidDate: true }), (d) => {
      const iso = d.toISOString().slice(0, 10)
      const [y, m, day] = iso.split("-")
      expect(readDate(`${day}.${m}.${y}`)).toBe(iso)
      expect(readDate(`${Number(day)}.${Number(m)}.${y}`)).toBe(iso)
      expect(readDate(iso)).toBe(iso)
    }))
  })

  it.each(["31.02.2024", "29.02.2023", "00.01.2024", "15.13.2024", "2024-02-30", "15/03/2019", "03/15/2019", "15.03.19", "gestern", ""])(
    "%j is no date",
    (typed) => {
      expect(readDate(typed)).toBeUndefined()
    }
  )

  it("the kiosk sends a typed date as ISO", () => {
    const field = { name: "since", type: "date", required: true, label: { de: "", en: "", ls: "" } } as never
    expect(filledValues([field], { since: " 1.4.2021 " })).toEqual({ since: "2021-04-01" })
    expect(checkField(field, "29.02.2024")).toBeNull()
    expect(checkField(field, "29.02.2023")).toBe("date")
  })
})
