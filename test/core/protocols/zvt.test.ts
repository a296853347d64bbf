import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import * as Zvt from "../../../core/protocols/zvt.ts"

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/).filter((h) => h), (h) => parseInt(h, 16))
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ")
const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))
const leftOf = <A, E>(e: Either.Either<A, E>): E => Either.getOrThrowWith(Either.flip(e), () => new Error("expected Left"))
const events = (out: ReadonlyArray<Either.Either<Zvt.ZvtLinkEvent, Zvt.ZvtTransportError>>) =>
  out.map((e) => (Either.isLeft(e) ? e.left.reason : e.right._tag === "Frame" ? hex(e.right.apdu) : e.right._tag))

describe("zvt transport: worked examples", () => {
  const vectors = [
    ["80 00 00", "10 02 80 00 00 10 03 F5 1F"],
    ["06 00 06 12 34 56 BA 09 78", "10 02 06 00 06 12 34 56 BA 09 78 10 03 24 C3"],
    ["06 70 00", "10 02 06 70 00 10 03 D9 F9"],
    // CRC hi byte is 10 and goes out raw, not doubled
    ["04 FF 01 68", "10 02 04 FF 01 68 10 03 10 2B"],
    // 10 inside the APDU is doubled; the CRC covers it once
    ["06 D1 03 10 10 41", "10 02 06 D1 03 10 10 10 10 41 10 03 F8 2F"]
  ] as const
  for (const [apdu, wire] of vectors) {
    it(`${apdu} <-> ${wire}`, () => {
      expect(hex(Zvt.frame(bytes(apdu)))).toBe(wire)
      expect(hex(right(Zvt.unframe(bytes(wire))))).toBe(apdu)
    })
  }

  it("CRC-16/KERMIT check value", () => {
    expect(Zvt.crc16Kermit(new TextEncoder().encode("123456789"))).toBe(0x2189)
  })

  it("deframer: ACK, frames, NAK, bad CRC, 10 02 inside a frame, garbage", () => {
    const d = new Zvt.Deframer()
    const out = [
      ...d.push(bytes("06 10 02 80 00")),
      ...d.push(bytes("00 10 03 F5")),
      ...d.push(bytes("1F 15 AA BB 10 02 80 00 00 10 03 F5 1E")),
      ...d.push(bytes("10 02 06 B0 10 02 06 70 00 10 03 D9 F9 10 02 01 10 55"))
    ]
    expect(events(out)).toEqual([
      "Ack",
      "80 00 00",
      "Nak",
      "Garbage",
      "BadCrc",
      "BadFrame",
      "06 70 00",
      "BadFrame"
    ])
    const bad = out.map((e) => (Either.isLeft(e) ? e.left : undefined)).filter((e) => e !== undefined)
    expect(bad.map((e) => e.offset)).toEqual([11, 20, 26, 38])
    expect(d.inFrame).toBe(false)
  })

  it("unframe refuses a truncated frame and anything but one frame", () => {
    expect(leftOf(Zvt.unframe(bytes("10 02 80 00 00 10 03 F5"))).reason).toBe("Incomplete")
    expect(leftOf(Zvt.unframe(bytes("06 10 02 80 00 00 10 03 F5 1F"))).reason).toBe("BadFrame")
    expect(leftOf(Zvt.unframe(bytes("10 02 80 00 00 10 03 F5 1E"))).reason).toBe("BadCrc")
  })
})

describe("zvt messages: worked examples", () => {
  it("Registration 06 00 06 12 34 56 BA 09 78", () => {
    const m = right(Zvt.decodeMessage(bytes("06 00 06 12 34 56 BA 09 78")))
    expect(m).toEqual({ _tag: "Registration", password: "123456", config: 0xba, currency: 978 })
    const built = Zvt.registration({
      password: "123456",
      config: Zvt.ConfigBit.EcrPrintsPaymentReceipt | Zvt.ConfigBit.SendIntermediateStatus |
        Zvt.ConfigBit.NoAmountEntry | Zvt.ConfigBit.NoAdminFunctions | Zvt.ConfigBit.ReceiptsAsPrintLines,
      currency: 978
    })
    expect(hex(right(built))).toBe("06 00 06 12 34 56 BA 09 78")
  })

  it("captured Read Card request parses and re-encodes to the same bytes", () => {
    const wire = "06 C0 0F 0F 19 10 FC 02 06 08 1F 15 01 D0 1F 60 01 07"
    const m = right(Zvt.decodeMessage(bytes(wire)))
    expect(m).toEqual({
      _tag: "ReadCard",
      timeoutSeconds: 15,
      cardType: 0x10,
      dialogControl: 0x02,
      tlv: [{ tag: 0x1f15, value: Uint8Array.of(0xd0) }, { tag: 0x1f60, value: Uint8Array.of(0x07) }]
    })
    expect(hex(right(Zvt.encodeMessage(m)))).toBe(wire)
    const built = Zvt.readCard({
      timeoutSeconds: 15,
      cardType: 0x10,
      dialogControl: 0x02,
      request1F14: true,
      cardReadingControl: 0xd0,
      tlv: [{ tag: 0x1f60, value: Uint8Array.of(0x07) }]
    })
    expect(hex(right(built))).toBe(wire)
    expect(hex(right(Zvt.readCard({ timeoutSeconds: 30, request1F14: true })))).toBe("06 C0 07 1E 06 04 1F 15 01 80")
    expect(leftOf(Zvt.readCard({ timeoutSeconds: 0 })).reason).toBe("OutOfRange")
  })

  it("Status Information after Read Card yields result and 1F14 card id", () => {
    const apdu = right(Zvt.statusInformation({ result: 0, cardId: bytes("3F 56 A3 20 65 CC 4D BE") }))
    expect(hex(apdu)).toBe("04 0F 0F 27 00 06 0B 1F 14 08 3F 56 A3 20 65 CC 4D BE")
    const si = right(Zvt.parseStatusInformation(apdu))
    expect(si.result).toBe(0)
    expect(hex(si.cardId!)).toBe("3F 56 A3 20 65 CC 4D BE")
  })

  it("captured Status Information (EVerest/zvt) decodes and re-encodes identically", () => {
    const captures = [
      [4, 15, 34, 39, 0, 6, 30, 76, 10, 0, 0, 0, 4, 99, 200, 178, 174, 79, 128, 31, 76, 1, 1, 31, 77, 2, 0, 3, 31, 79, 2, 68, 0, 31, 80, 1, 0],
      [
        4,
        15,
        100,
        39,
        0,
        6,
        96,
        76,
        10,
        0,
        0,
        0,
        0,
        0,
        0,
        8,
        255,
        105,
        20,
        31,
        69,
        12,
        12,
        120,
        128,
        116,
        3,
        128,
        49,
        192,
        115,
        214,
        49,
        192,
        31,
        76,
        1,
        1,
        31,
        77,
        2,
        254,
        4,
        31,
        79,
        2,
        4,
        0,
        31,
        80,
        1,
        32,
        96,
        11,
        67,
        9,
        160,
        0,
        0,
        0,
        89,
        69,
        67,
        1,
        0,
        96,
        12,
        67,
        10,
        160,
        0,
        0,
        3,
        89,
        16,
        16,
        2,
        128,
        1,
        96,
        11,
        67,
        9,
        210,
        118,
        0,
        0,
        37,
        71,
        65,
        1,
        0,
        96,
        9,
        67,
        7,
        160,
        0,
        0,
        0,
        4,
        16,
        16
      ]
    ]
    for (const capture of captures) {
      const apdu = Uint8Array.from(capture)
      const si = right(Zvt.parseStatusInformation(apdu))
      expect(si.result).toBe(0)
      expect(si.cardId).toBeUndefined()
      expect(Zvt.findTlv(si.tlv, 0x1f4c)).toEqual(Uint8Array.of(1))
      expect(hex(right(Zvt.encodeMessage(right(Zvt.decodeMessage(apdu)))))).toBe(hex(apdu))
    }
    const nested = right(Zvt.parseStatusInformation(Uint8Array.from(captures[1]!))).tlv!.filter((e) => e.tag === 0x60)
    expect(nested).toHaveLength(4)
    expect(right(Zvt.decodeTlv(nested[3]!.value))).toEqual([{ tag: 0x43, value: bytes("A0 00 00 00 04 10 10") }])
  })

  it("Completion, Status Enquiry completion, Abort, Print Line, answers", () => {
    const completion = "06 0F 0A 19 10 29 52 52 35 35 49 09 78"
    expect(right(Zvt.decodeMessage(bytes(completion)))).toEqual({
      _tag: "Completion",
      statusByte: 0x10,
      terminalId: "52523535",
      currency: 978
    })
    expect(hex(right(Zvt.completion({ statusByte: 0x10, terminalId: "52523535", currency: 978 })))).toBe(completion)
    const sec = right(Zvt.statusEnquiryCompletion("GER-APP-v2.0.9", Zvt.TerminalStatus.Ready))
    expect(hex(sec.slice(0, 6))).toBe("06 0F 12 F0 F1 F4")
    expect(right(Zvt.decodeMessage(sec))).toEqual({
      _tag: "StatusEnquiryCompletion",
      softwareVersion: "GER-APP-v2.0.9",
      terminalStatus: 0
    })
    expect(hex(right(Zvt.statusEnquiry({ password: "123456" })))).toBe("05 01 03 12 34 56")
    expect(hex(right(Zvt.statusEnquiry()))).toBe("05 01 00")
    expect(hex(Zvt.abort())).toBe("06 B0 00")
    expect(right(Zvt.decodeMessage(Zvt.abort()))).toEqual({ _tag: "Abort" })
    expect(hex(right(Zvt.abortFromTerminal(Zvt.ResultCode.Aborted)))).toBe("06 1E 01 6C")
    expect(right(Zvt.decodeMessage(bytes("06 1E 01 6C")))).toEqual({ _tag: "AbortFromTerminal", result: 0x6c })
    expect(hex(right(Zvt.intermediateStatus(Zvt.IntermediateStatusCode.InsertCard)))).toBe("04 FF 01 0A")
    expect(right(Zvt.decodeMessage(bytes("04 FF 02 17 00"))))
      .toEqual({ _tag: "IntermediateStatus", code: 0x17, timeout: 0 })
    expect(hex(right(Zvt.printLine(0, "Karte")))).toBe("06 D1 06 00 4B 61 72 74 65")
    expect(right(Zvt.decodeMessage(Zvt.positiveAnswer()))).toEqual({ _tag: "PositiveAnswer" })
    expect(right(Zvt.decodeMessage(bytes("84 83 00")))).toEqual({ _tag: "NegativeAnswer", code: 0x83 })
    expect(hex(right(Zvt.negativeAnswer(0x9c)))).toBe("84 9C 00")
    expect(right(Zvt.decodeMessage(bytes("06 70 00"))))
      .toEqual({ _tag: "Unknown", cls: 6, instr: 0x70, data: new Uint8Array(0) })
  })

  it("code tables describe results and intermediate states", () => {
    expect(Zvt.describeResult(0x6c)).toBe("aborted by timeout or abort key")
    expect(Zvt.describeResult(0xe2)).toBe("card reader defective")
    expect(Zvt.describeResult(0x42)).toBe("unknown code 42")
    expect(Zvt.describeIntermediateStatus(0x0a)).toBe("insert card")
    expect(Zvt.describeTerminalStatus(0xdf)).toBe("out of order")
  })
})

describe("zvt layers: lengths and errors", () => {
  it("APDU extended length FF lo hi", () => {
    const data = new Uint8Array(300).fill(0x10)
    const apdu = right(Zvt.encodeApdu({ cls: 0x06, instr: 0xd1, data }))
    expect(hex(apdu.slice(0, 5))).toBe("06 D1 FF 2C 01")
    expect(right(Zvt.decodeApdu(apdu)).data).toEqual(data)
    expect(hex(right(Zvt.encodeApdu({ cls: 1, instr: 2, data: new Uint8Array(254) })).slice(0, 3))).toBe("01 02 FE")
    expect(leftOf(Zvt.decodeApdu(bytes("06 D1 FF 2C"))).reason).toBe("Truncated")
    expect(leftOf(Zvt.decodeApdu(bytes("80 00 00 00"))).reason).toBe("TrailingBytes")
  })

  it("BER lengths 81 nn and 82 nn nn, LLVAR and LLLVAR", () => {
    const long = new Uint8Array(200)
    expect(hex(right(Zvt.encodeTlv([{ tag: 0x1f14, value: long }])).slice(0, 4))).toBe("1F 14 81 C8")
    expect(hex(right(Zvt.encodeTlv([{ tag: 0x4c, value: new Uint8Array(300) }])).slice(0, 4))).toBe("4C 82 01 2C")
    const name = new TextEncoder().encode("girocard")
    expect(hex(right(Zvt.encodeBitmap({ tag: 0x8b, value: name })).slice(0, 3))).toBe("8B F0 F8")
    expect(hex(right(Zvt.encodeBitmap({ tag: 0x3c, value: new Uint8Array(123) })).slice(0, 4))).toBe("3C F1 F2 F3")
    expect(right(Zvt.decodeBitmaps(bytes("8B F0 F2 41 42 3C F0 F0 F1 07")))).toEqual([
      { tag: 0x8b, value: bytes("41 42") },
      { tag: 0x3c, value: bytes("07") }
    ])
  })

  it("an unknown bitmap tag is a typed error naming its offset in the APDU", () => {
    const e = leftOf(Zvt.decodeMessage(bytes("04 0F 04 27 00 99 00")))
    expect(e).toBeInstanceOf(Zvt.ZvtDecodeError)
    expect(e.reason).toBe("UnknownTag")
    expect(e.offset).toBe(5)
    expect(e.message).toContain("99")
    expect(leftOf(Zvt.encodeBitmap({ tag: 0x99, value: new Uint8Array(0) })).reason).toBe("UnknownTag")
  })

  it("other decode and encode errors are typed", () => {
    expect(leftOf(Zvt.decodeMessage(bytes("04 0F 02 19 00"))).reason).toBe("MissingField")
    expect(leftOf(Zvt.decodeMessage(bytes("06 00 04 12 34 5A BA"))).reason).toBe("BadValue")
    expect(leftOf(Zvt.decodeMessage(bytes("04 0F 04 8B F0 F5 41"))).reason).toBe("Truncated")
    expect(leftOf(Zvt.decodeMessage(bytes("04 0F 03 8B F0 A5"))).reason).toBe("BadLength")
    expect(leftOf(Zvt.decodeTlv(bytes("1F 14 83 00 00 01"))).reason).toBe("BadLength")
    expect(leftOf(Zvt.registration({ password: "12a456", config: 0 })).reason).toBe("BadValue")
    expect(leftOf(Zvt.registration({ password: "123456", config: 0, serviceByte: 1 })).field).toBe("currency")
    expect(leftOf(Zvt.negativeAnswer(256)).reason).toBe("OutOfRange")
    expect(leftOf(Zvt.encodeTlv([{ tag: 0x1f, value: new Uint8Array(0) }])).reason).toBe("BadValue")
  })
})

// ---------------------------------------------------------------------------------------------
// Properties

const byte = fc.integer({ min: 0, max: 255 })
/** payloads biased towards the bytes with a meaning on the wire: DLE, STX, ETX, ACK, NAK */
const payload = (maxLength: number) =>
  fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.array(fc.constantFrom(0x10, 0x10, 0x02, 0x03, 0x06, 0x15), { maxLength }).map((a) => Uint8Array.from(a))
  )
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""))
const tag = fc.oneof(
  byte.filter((b) => (b & 0x1f) !== 0x1f),
  fc.integer({ min: 0, max: 0x7f }).map((b) => 0x1f00 | b),
  fc.integer({ min: 0, max: 0x7f }).map((b) => 0x1f8100 | b)
)
const tlv = fc.array(fc.record({ tag, value: fc.uint8Array({ maxLength: 20 }) }), { minLength: 1, maxLength: 4 })
/** a bitmap field with a value of the right length for its tag */
const fieldOf = (t: number, maxLength: number) => {
  const f = Zvt.bitmapFormats.get(t)!
  const n = f._tag === "Fixed" ? f.length : undefined
  return fc.uint8Array(n === undefined ? { maxLength } : { minLength: n, maxLength: n })
    .map((value) => ({ tag: t, value }))
}
const otherField = fc.constantFrom(0x04, 0x0b, 0x0c, 0x0d, 0x0e, 0x22, 0x2a, 0x3c, 0x87, 0x8a, 0x8b, 0x8c)
  .chain((t) => fieldOf(t, 30))
const others = fc.array(otherField, { minLength: 1, maxLength: 3 })

/** Drops undefined properties, as exactOptionalPropertyTypes wants. */
type Compact<A> =
  & { [K in keyof A as undefined extends A[K] ? never : K]: A[K] }
  & {
    [K in keyof A as undefined extends A[K] ? K : never]?: Exclude<A[K], undefined>
  }
const compact = <A extends object>(a: A): Compact<A> => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Compact<A>
const opt = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined })

const message: fc.Arbitrary<Zvt.ZvtMessage> = fc.oneof(
  fc.record({
    password: digits(6),
    config: byte,
    currency: fc.integer({ min: 0, max: 9999 }),
    serviceByte: opt(byte),
    tlv: opt(tlv)
  }).map((r) => compact({ _tag: "Registration" as const, ...r })),
  fc.record({ password: digits(6), config: byte }).map((r) => ({ _tag: "Registration" as const, ...r })),
  // a password starting 03 / 06 could also read as a service byte / TLV: the decoder prefers that
  fc.record({ password: opt(digits(6).filter((p) => !/^0[36]/.test(p))), serviceByte: opt(byte), tlv: opt(tlv) })
    .map((r) => compact({ _tag: "StatusEnquiry" as const, ...r })),
  fc.record({ timeoutSeconds: byte, cardType: opt(byte), dialogControl: opt(byte), tlv: opt(tlv) })
    .map((r) => compact({ _tag: "ReadCard" as const, ...r })),
  fc.constant({ _tag: "Abort" as const }),
  fc.record({ code: byte, timeout: byte, tlv: opt(tlv) })
    .map((r) => compact({ _tag: "IntermediateStatus" as const, ...r })),
  fc.record({ code: byte }).map((r) => ({ _tag: "IntermediateStatus" as const, ...r })),
  fc.record({
    result: byte,
    cardType: opt(byte),
    terminalId: opt(digits(8)),
    currency: opt(fc.integer({ min: 0, max: 9999 })),
    tlv: opt(tlv),
    other: opt(others)
  }).map((r) => compact({ _tag: "StatusInformation" as const, ...r })),
  fc.record({
    resultCode: opt(byte),
    statusByte: opt(byte),
    terminalId: opt(digits(8)),
    currency: opt(fc.integer({ min: 0, max: 9999 })),
    tlv: opt(tlv),
    other: opt(others)
  }).map((r) => compact({ _tag: "Completion" as const, ...r })),
  fc.record({
    softwareVersion: fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "x")),
    terminalStatus: byte,
    tlv: opt(tlv)
  }).map((r) => compact({ _tag: "StatusEnquiryCompletion" as const, ...r })),
  fc.record({ result: byte, rest: opt(fc.uint8Array({ minLength: 1, maxLength: 10 })) })
    .map((r) => compact({ _tag: "AbortFromTerminal" as const, ...r })),
  fc.record({ attribute: byte, text: fc.string({ maxLength: 40, unit: "binary-ascii" }) })
    .map((r) => ({ _tag: "PrintLine" as const, ...r })),
  fc.constant({ _tag: "PositiveAnswer" as const }),
  fc.record({ code: byte }).map((r) => ({ _tag: "NegativeAnswer" as const, ...r }))
)

/** Splits a byte array into consecutive chunks at random cut points. */
const chunked = (data: Uint8Array, cuts: ReadonlyArray<number>): ReadonlyArray<Uint8Array> => {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b)
  return [...points, data.length].map((p, i, all) => data.slice(i === 0 ? 0 : all[i - 1]!, p))
}

const expectTyped = (r: Either.Either<unknown, unknown>) => {
  if (Either.isLeft(r)) {
    expect(r.left instanceof Zvt.ZvtDecodeError || r.left instanceof Zvt.ZvtTransportError).toBe(true)
  }
}

describe("zvt: properties", () => {
  it("frame then unframe is the identity, also for payloads full of 10", () => {
    fc.assert(fc.property(payload(300), (apdu) => {
      expect(right(Zvt.unframe(Zvt.frame(apdu)))).toEqual(apdu)
    }))
  })

  it("any single changed APDU byte on the wire is caught by the CRC", () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((a) => a.map((b) => (b === 0x10 ? 0x11 : b))),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      (apdu, at, delta) => {
        const wire = Zvt.frame(apdu)
        const i = 2 + (at % apdu.length)
        wire[i] = (wire[i]! + delta) & 0xff
        fc.pre(wire[i] !== 0x10)
        expect(leftOf(Zvt.unframe(wire)).reason).toBe("BadCrc")
      }
    ))
  })

  it("deframer: ACK, NAK and frames between garbage, cut anywhere, come out in order", () => {
    const item = fc.oneof(
      fc.constant<Zvt.ZvtLinkEvent>({ _tag: "Ack" }),
      fc.constant<Zvt.ZvtLinkEvent>({ _tag: "Nak" }),
      payload(40).map((apdu): Zvt.ZvtLinkEvent => ({ _tag: "Frame", apdu }))
    )
    const garbage = fc.uint8Array({ maxLength: 4 }).map((g) => g.filter((b) => b !== 0x10 && b !== 0x06 && b !== 0x15))
    const stream = fc.array(fc.tuple(garbage, item), { maxLength: 8 })
    fc.assert(fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (items, cuts) => {
      const wire = Uint8Array.from(items.flatMap(([g, e]) => [
        ...g,
        ...(e._tag === "Ack" ? [0x06] : e._tag === "Nak" ? [0x15] : Zvt.frame(e.apdu))
      ]))
      const d = new Zvt.Deframer()
      const out = chunked(wire, cuts).flatMap((c) => d.push(c))
      expect(out.filter(Either.isRight).map((e) => e.right)).toEqual(items.map(([, e]) => e))
      expect(out.filter(Either.isLeft).every((e) => e.left.reason === "Garbage")).toBe(true)
    }))
  })

  it("encodeApdu then decodeApdu is the identity, short and extended lengths", () => {
    fc.assert(fc.property(byte, byte, payload(600), (cls, instr, data) => {
      expect(right(Zvt.decodeApdu(right(Zvt.encodeApdu({ cls, instr, data }))))).toEqual({ cls, instr, data })
    }))
  })

  it("TLV and bitmap round trips", () => {
    const entries = fc.array(fc.record({ tag, value: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 5 })
    fc.assert(fc.property(entries, (entries) => {
      expect(right(Zvt.decodeTlv(right(Zvt.encodeTlv(entries))))).toEqual(entries)
    }))
    const field = fc.constantFrom(...Zvt.bitmapFormats.keys())
      .chain((t) => fieldOf(t, Zvt.bitmapFormats.get(t)!._tag === "LLVar" ? 99 : 200))
    fc.assert(fc.property(fc.array(field, { maxLength: 6 }), (fields) => {
      expect(right(Zvt.decodeBitmaps(right(Zvt.encodeBitmaps(fields))))).toEqual(fields)
    }))
  })

  it("every message: encode then decode is the identity, and it survives the serial line", () => {
    fc.assert(
      fc.property(message, (m) => {
        const apdu = right(Zvt.encodeMessage(m))
        expect(right(Zvt.decodeMessage(apdu))).toEqual(m)
        expect(right(Zvt.decodeMessage(right(Zvt.unframe(Zvt.frame(apdu)))))).toEqual(m)
      }),
      { numRuns: 500 }
    )
  })

  it("fuzz: random bytes never throw in any decoder or the deframer", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        for (
          const r of [
            Zvt.decodeApdu(input),
            Zvt.decodeMessage(input),
            Zvt.parseStatusInformation(input),
            Zvt.decodeTlv(input),
            Zvt.decodeBitmaps(input),
            Zvt.unframe(input)
          ]
        ) expectTyped(r)
        const d = new Zvt.Deframer()
        for (const c of chunked(input, cuts)) d.push(c).forEach(expectTyped)
        new Zvt.ApduSplitter().push(input)
      }),
      { numRuns: 500 }
    )
  })

  it("fuzz: well-formed APDUs of every known command with random data never throw", () => {
    const control = fc.constantFrom(...Object.values(Zvt.ControlField), [0x84, 0x9c] as const, [0x06, 0x70] as const)
    fc.assert(
      fc.property(control, fc.uint8Array({ maxLength: 60 }), ([cls, instr], data) => {
        const apdu = right(Zvt.encodeApdu({ cls, instr, data }))
        const r = Zvt.decodeMessage(apdu)
        expectTyped(r)
        if (Either.isRight(r)) expect(Either.isRight(Zvt.encodeMessage(r.right))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })
})
