import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import * as Sms from "../../../core/protocols/sms.ts"

const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))
const leftOf = <A, E>(e: Either.Either<A, E>): E => Either.getOrThrowWith(Either.flip(e), () => new Error("expected Left"))
const ascii = (b: Uint8Array): string => String.fromCharCode(...b)
const hex = (b: Uint8Array): string => Sms.toHex(b)

const parseAll = (...chunks: ReadonlyArray<string>) => {
  const p = new Sms.AtLineParser()
  return chunks.flatMap((c) => p.push(c)).map((e) => right(e))
}

describe("sms: worked example of protocols.md", () => {
  it("\"hellohello\" to +46708251358", () => {
    const { pdu, tpduLength } = right(Sms.encodeSubmitPdu({ to: "+46708251358", text: "hellohello" }))
    expect(pdu).toBe("0011000B916407281553F80000AA0AE8329BFD4697D9EC37")
    expect(tpduLength).toBe(23)
    expect(ascii(Sms.sendPduCommand(tpduLength))).toBe("AT+CMGS=23\r")
    expect(ascii(Sms.pduBody(pdu))).toBe(`${pdu}\u001a`)
    const decoded = right(Sms.decodeSubmitPdu(pdu))
    expect(decoded).toMatchObject({
      firstOctet: 0x11,
      messageReference: 0,
      to: "+46708251358",
      typeOfAddress: 0x91,
      protocolId: 0,
      dataCodingScheme: 0,
      validity: { _tag: "Relative", value: 0xaa },
      text: "hellohello",
      tpduLength: 23
    })
    expect(decoded.smsc).toBeUndefined()
  })
})

describe("sms: GSM 7-bit alphabet", () => {
  it("has 128 basic characters and packs \"Test\" as D4F29C0E", () => {
    expect([...Sms.GSM7_BASIC]).toHaveLength(128)
    expect(hex(Sms.packSeptets(right(Sms.encodeGsm7("Test"))))).toBe("D4F29C0E")
    expect(hex(Sms.packSeptets(right(Sms.encodeGsm7("abcdefgh"))))).toHaveLength(14)
  })

  it("German umlauts and ß are single septets", () => {
    expect(Array.from(right(Sms.encodeGsm7("ÄÖÜäöüß")))).toEqual([0x5b, 0x5c, 0x5e, 0x7b, 0x7c, 0x7e, 0x1e])
    const { pdu } = right(Sms.encodeSubmitPdu({ to: "+4915112345678", text: "Grüße aus Köln, Ihr Bürgeramt" }))
    expect(right(Sms.decodeSubmitPdu(pdu)).text).toBe("Grüße aus Köln, Ihr Bürgeramt")
  })

  it("€ [ ] { } \\ ~ ^ | use the escape table (two septets each)", () => {
    expect(Array.from(right(Sms.encodeGsm7("€[]{}\\~^|")))).toEqual([
      0x1b,
      0x65,
      0x1b,
      0x3c,
      0x1b,
      0x3e,
      0x1b,
      0x28,
      0x1b,
      0x29,
      0x1b,
      0x2f,
      0x1b,
      0x3d,
      0x1b,
      0x14,
      0x1b,
      0x40
    ])
    expect(Sms.septetCount("5 €")).toBe(4)
    expect(Sms.decodeGsm7(Uint8Array.of(0x1b, 0x65, 0x1b, 0x41, 0x1b))).toBe("€A ")
  })

  it("characters outside the alphabet are typed errors with their position", () => {
    const e = leftOf(Sms.encodeGsm7("Code: Łódź"))
    expect(e).toBeInstanceOf(Sms.SmsEncodeError)
    expect(e.reason).toBe("Unencodable")
    expect(e.offset).toBe(6)
    expect(leftOf(Sms.encodeSubmitPdu({ to: "+491701234567", text: "ok 😀" })).offset).toBe(3)
    expect(Sms.septetCount("`")).toBeUndefined()
  })

  it("one message holds 160 septets, no more", () => {
    expect(Either.isRight(Sms.encodeSubmitPdu({ to: "+491701234567", text: "a".repeat(160) }))).toBe(true)
    expect(Either.isRight(Sms.encodeSubmitPdu({ to: "+491701234567", text: "€".repeat(80) }))).toBe(true)
    expect(leftOf(Sms.encodeSubmitPdu({ to: "+491701234567", text: "a".repeat(161) })).reason).toBe("TooLong")
    expect(leftOf(Sms.encodeSubmitPdu({ to: "+491701234567", text: `${"a".repeat(159)}€` })).reason).toBe("TooLong")
  })
})

describe("sms: PDU details", () => {
  it("numbers without + use type 81; malformed numbers are refused", () => {
    expect(hex(right(Sms.encodeAddress("01701234567")))).toBe("0B811007214365F7")
    expect(right(Sms.decodeSubmitPdu(right(Sms.encodeSubmitPdu({ to: "0170123", text: "x" })).pdu)).to).toBe("0170123")
    expect(leftOf(Sms.encodeSubmitPdu({ to: "+49 170 123", text: "x" })).reason).toBe("BadNumber")
    expect(leftOf(Sms.encodeSubmitPdu({ to: "", text: "x" })).reason).toBe("BadNumber")
  })

  it("decodes an SMSC address, a user data header and UCS-2", () => {
    const smsc = "07919471227200F0"
    const tpdu = right(Sms.encodeSubmitPdu({ to: "+46708251358", text: "hellohello" })).pdu.slice(2)
    const withSmsc = right(Sms.decodeSubmitPdu(smsc + tpdu))
    expect(withSmsc.smsc).toBe("+49172227000")
    expect(withSmsc.tpduLength).toBe(23)

    const header = Uint8Array.of(0x05, 0x00, 0x03, 0x2a, 0x02, 0x01)
    const text = Sms.packSeptets(right(Sms.encodeGsm7("hi")), 1)
    const udh = `0051000B916407281553F80000AA09${hex(header)}${hex(text)}`
    const decoded = right(Sms.decodeSubmitPdu(udh))
    expect(decoded.text).toBe("hi")
    expect(hex(decoded.userDataHeader!)).toBe("00032A0201")

    expect(right(Sms.decodeSubmitPdu("0011000B916407281553F80008AA0400480069")).text).toBe("Hi")
  })

  it("bad PDUs are typed errors", () => {
    expect(leftOf(Sms.decodeSubmitPdu("0G")).reason).toBe("BadHex")
    expect(leftOf(Sms.decodeSubmitPdu("001")).reason).toBe("BadHex")
    expect(leftOf(Sms.decodeSubmitPdu("0004000B916407281553F80000AA00")).reason).toBe("NotSubmit")
    expect(leftOf(Sms.decodeSubmitPdu("0011000B916407281553F80000AA0AE8329BFD")).reason).toBe("Truncated")
    const trailing = "0011000B916407281553F80000AA0AE8329BFD4697D9EC3700"
    expect(leftOf(Sms.decodeSubmitPdu(trailing)).reason).toBe("TrailingBytes")
    expect(leftOf(Sms.decodeSubmitPdu("0011000B916407281553F80004AA0141")).reason).toBe("UnsupportedEncoding")
  })
})

describe("sms: AT responses", () => {
  it("start-up dialogue", () => {
    expect(parseAll("AT\r", "\r\nOK\r\n", "AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n")).toEqual([
      { _tag: "Line", text: "AT" },
      { _tag: "Ok" },
      { _tag: "Line", text: "AT+CPIN?" },
      { _tag: "Info", name: "+CPIN", value: "READY", params: ["READY"] },
      { _tag: "Ok" }
    ])
    const [creg] = parseAll("\r\n+CREG: 0,1\r\n")
    expect(creg?._tag === "Info" && Sms.registrationOf(creg)).toEqual({ stat: 1, registered: true })
    const [roaming, searching] = parseAll("+CREG: 0,5\r\n+CREG: 0,2\r\n")
    expect(roaming?._tag === "Info" && Sms.registrationOf(roaming)?.registered).toBe(true)
    expect(searching?._tag === "Info" && Sms.registrationOf(searching)?.registered).toBe(false)
  })

  it("AT+CMGS: prompt without line end, echoed PDU, reference, OK", () => {
    const events = parseAll(
      "AT+CMGS=23\r\r\n>",
      " ",
      "0011000B916407281553F80000AA0AE8329BFD4697D9EC37\u001a",
      "\r\n+CMGS: 12\r\n\r\nOK\r\n"
    )
    expect(events.map((e) => e._tag)).toEqual(["Line", "Prompt", "Line", "Info", "Ok"])
    const info = events[3]!
    expect(info._tag === "Info" && Sms.messageReferenceOf(info)).toBe(12)
    expect(events.filter(Sms.isFinal)).toEqual([{ _tag: "Ok" }])
  })

  it("+CMS ERROR and +CME ERROR, numeric and verbose", () => {
    expect(parseAll("\r\n+CMS ERROR: 331\r\n", "+CME ERROR: SIM not inserted\r\n", "ERROR\r\n")).toEqual([
      { _tag: "CmsError", code: 331, text: "331" },
      { _tag: "CmeError", code: undefined, text: "SIM not inserted" },
      { _tag: "Error" }
    ])
  })

  it("an endless line is dropped with a typed error and the parser recovers", () => {
    const p = new Sms.AtLineParser(16)
    const out = [...p.push("x".repeat(40)), ...p.push("yy\r\nOK\r\n")]
    expect(out.map((e) => (Either.isLeft(e) ? e.left.reason : e.right._tag))).toEqual(["LineTooLong", "Ok"])
  })

  it("commands end with CR", () => {
    expect([Sms.attention(), Sms.numericErrors(), Sms.queryPin(), Sms.queryRegistration(), Sms.pduMode()].map(ascii))
      .toEqual(["AT\r", "AT+CMEE=1\r", "AT+CPIN?\r", "AT+CREG?\r", "AT+CMGF=0\r"])
    expect(ascii(right(Sms.sendTextCommand("+491701234567")))).toBe("AT+CMGS=\"+491701234567\"\r")
    expect(leftOf(Sms.sendTextCommand("+49\"; AT")).reason).toBe("BadNumber")
    expect(leftOf(Sms.textBody("Grüße")).reason).toBe("BadText")
    expect(Array.from(Sms.cancelInput())).toEqual([0x1b])
  })

  it("error classification", () => {
    for (const code of [38, 41, 42, 330, 331, 332]) expect(Sms.classifySmsError(code)).toBe("retry-later")
    for (const code of [310, 311, 312, 313, 316]) expect(Sms.classifySmsError(code)).toBe("needs-staff")
    for (const code of [0, 300, 500, 96]) expect(Sms.classifySmsError(code)).toBe("failed")
    expect(Sms.classifySmsError(10, "cme")).toBe("needs-staff")
    expect(Sms.classifySmsError(30, "cme")).toBe("retry-later")
  })

  it("LTE registration: +CEREG reads like +CREG; an LTE-only modem answers CREG 0,0 but CEREG 0,1", () => {
    const [creg, cereg, cgreg] = parseAll("+CREG: 0,0\r\n+CEREG: 0,1\r\n+CGREG: 2,5,\"1A2B\",\"0C3D\",7\r\n")
    expect(creg?._tag === "Info" && Sms.registrationOf(creg)).toEqual({ stat: 0, registered: false })
    expect(cereg?._tag === "Info" && Sms.registrationOf(cereg)).toEqual({ stat: 1, registered: true })
    expect(cgreg?._tag === "Info" && Sms.registrationOf(cgreg)).toEqual({ stat: 5, registered: true })
    expect(ascii(Sms.queryLteRegistration())).toBe("AT+CEREG?\r")
  })

  it("SIM state, PIN attempts left, the PIN command", () => {
    expect(["READY", "SIM PIN", "SIM PUK", "NOT INSERTED", "PH-SIM PIN"].map(Sms.simStateOf)).toEqual(["ready", "pin", "puk", "missing", "other"])
    const [retries] = parseAll("+CPINR: SIM PIN,2,3\r\n")
    expect(retries?._tag === "Info" && Sms.pinRetriesOf(retries)).toEqual({ left: 2, initial: 3 })
    expect(ascii(Sms.queryPinRetries())).toBe("AT+CPINR=\"SIM PIN\"\r")
    expect(ascii(right(Sms.enterPin("1234")))).toBe("AT+CPIN=\"1234\"\r")
    expect(leftOf(Sms.enterPin("12\"\r")).reason).toBe("BadText")
  })

  it("start-up notices (SIMCom, Quectel) are recognised; RDY is the restart itself", () => {
    const events = parseAll("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nSMS Ready\r\n\r\nPB DONE\r\n+QIND: SMS DONE\r\n")
    expect(events.map(Sms.isStartNotice)).toEqual([true, true, true, true, true, true])
    expect(events.map(Sms.isRestart)).toEqual([true, false, false, false, false, false])
    expect(parseAll("+CFUN: 0\r\n+CMTI: \"SM\",3\r\nRING\r\nOK\r\n").map(Sms.isStartNotice)).toEqual([false, false, false, false])
  })

  it("notices inside an answer do not end it: the final result and the information still come through", () => {
    const events = parseAll("AT+CREG?\r\r\n+CREG: 0,1\r\n\r\nSMS Ready\r\n\r\n+CPIN: READY\r\n\r\nOK\r\n")
    expect(events.filter(Sms.isFinal)).toEqual([{ _tag: "Ok" }])
    expect(events.filter((e) => !Sms.isStartNotice(e)).map((e) => e._tag)).toEqual(["Line", "Info", "Ok"])
  })
})

const gsmText = fc.array(fc.constantFrom(...Sms.gsm7Characters), { maxLength: 80 }).map((cs) => cs.join(""))
const number = fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 20 }))
  .map(([plus, ds]) => `${plus ? "+" : ""}${ds.join("")}`)

/** Splits a string into consecutive chunks at random cut points. */
const chunked = (data: string, cuts: ReadonlyArray<number>): ReadonlyArray<string> => {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b)
  return [...points, data.length].map((p, i, all) => data.slice(i === 0 ? 0 : all[i - 1]!, p))
}

describe("sms: properties", () => {
  it("any GSM-alphabet text to any number: encode then decode is the identity", () => {
    fc.assert(
      fc.property(number, gsmText, fc.integer({ min: 0, max: 255 }), (to, text, messageReference) => {
        const { pdu, tpduLength } = right(Sms.encodeSubmitPdu({ to, text, messageReference }))
        expect(tpduLength).toBe(pdu.length / 2 - 1)
        const decoded = right(Sms.decodeSubmitPdu(pdu))
        expect(decoded).toMatchObject({ to, text, messageReference, tpduLength })
      }),
      { numRuns: 500 }
    )
  })

  it("septet packing round trip with any fill bits", () => {
    const septets = fc.array(fc.integer({ min: 0, max: 127 }), { maxLength: 200 }).map((s) => Uint8Array.from(s))
    fc.assert(fc.property(septets, fc.integer({ min: 0, max: 6 }), (s, fill) => {
      expect(Sms.unpackSeptets(Sms.packSeptets(s, fill), s.length, fill)).toEqual(s)
    }))
  })

  it("a text with any character outside the alphabet is refused with its position", () => {
    const outside = fc.string({ minLength: 1, maxLength: 2, unit: "grapheme" })
      .filter((c) => [...c].some((x) => !Sms.gsm7Characters.includes(x)))
    fc.assert(fc.property(gsmText, outside, gsmText, (a, bad, b) => {
      const e = leftOf(Sms.encodeGsm7(a + bad + b))
      expect(e.reason).toBe("Unencodable")
      expect(e.offset).toBeGreaterThanOrEqual(a.length)
    }))
  })

  it("AT transcripts parse the same however they are cut", () => {
    const line = fc.oneof(
      fc.constantFrom("OK", "ERROR", "+CPIN: READY", "+CREG: 0,1", "+CMGS: 12", "+CMS ERROR: 42", "+CME ERROR: 10"),
      fc.stringMatching(/^[A-Z0-9+:, ]{1,20}$/)
    )
    fc.assert(fc.property(fc.array(line, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
      const transcript = lines.map((l) => `\r\n${l}\r\n`).join("")
      const p = new Sms.AtLineParser()
      const events = chunked(transcript, cuts).flatMap((c) => p.push(c)).map((e) => right(e))
      expect(events).toEqual(lines.filter((l) => l.trim().length > 0).map(Sms.parseLine))
    }))
  })

  it("fuzz: random input never throws in the PDU decoder or the AT parser", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (s, b) => {
        for (const r of [Sms.decodeSubmitPdu(s), Sms.decodeSubmitPdu(hex(b)), Sms.decodeSubmitPdu(`0011${hex(b)}`)]) {
          if (Either.isLeft(r)) expect(r.left).toBeInstanceOf(Sms.SmsDecodeError)
        }
        const p = new Sms.AtLineParser(32)
        for (const e of [...p.push(b), ...p.push(s)]) {
          if (Either.isLeft(e)) expect(e.left).toBeInstanceOf(Sms.SmsDecodeError)
        }
      }),
      { numRuns: 1000 }
    )
  })
})
