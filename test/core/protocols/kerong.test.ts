import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import * as fc from "fast-check"
import {
  decodeFrame,
  decodeStatus,
  defaultDataLengths,
  encodeFrame,
  encodeSetUnlockTime,
  encodeStatusReply,
  encodeStatusRequest,
  encodeUnlock,
  KerongDecodeError,
  KerongEncodeError,
  type KerongFrame,
  KerongFrameSplitter,
  type LockedBit,
  splitFrames
} from "../../../core/protocols/kerong.ts"

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/), (h) => parseInt(h, 16))
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ")
const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))
const leftOf = <A, E>(e: Either.Either<A, E>): E => Either.getOrThrowWith(Either.flip(e), () => new Error("expected Left"))

const frames = (results: ReadonlyArray<Either.Either<KerongFrame, KerongDecodeError>>) => results.filter(Either.isRight).map((r) => r.right)

describe("kerong: worked examples of protocols.md", () => {
  it("status request board 0 is 02 00 30 03 35", () => {
    expect(hex(right(encodeStatusRequest(0)))).toBe("02 00 30 03 35")
  })

  it("unlock board 0 lock 1 / lock 16 / board 1 lock 1", () => {
    expect(hex(right(encodeUnlock(0, 1)))).toBe("02 00 31 03 36")
    expect(hex(right(encodeUnlock(0, 16)))).toBe("02 0F 31 03 45")
    expect(hex(right(encodeUnlock(1, 1)))).toBe("02 10 31 03 46")
  })

  it("status frame: all locked except lock 9, item in compartment 1", () => {
    const status = right(decodeStatus(bytes("02 00 35 FF FE 01 00 03 38")))
    expect(status.board).toBe(0)
    expect(status.locked).toEqual(Array.from({ length: 16 }, (_, i) => i !== 8))
    expect(status.items).toEqual(Array.from({ length: 16 }, (_, i) => i === 0))
  })

  it("the same status frame re-encodes byte for byte", () => {
    const locked = Array.from({ length: 16 }, (_, i) => i !== 8)
    const items = Array.from({ length: 16 }, (_, i) => i === 0)
    expect(hex(right(encodeStatusReply(0, locked, items)))).toBe("02 00 35 FF FE 01 00 03 38")
  })

  it("polarity 0 reads the same bits inverted for locks only", () => {
    const status = right(decodeStatus(bytes("02 00 35 FF FE 01 00 03 38"), 0))
    expect(status.locked).toEqual(Array.from({ length: 16 }, (_, i) => i === 8))
    expect(status.items[0]).toBe(true)
  })

  it("set unlock time: 500 ms on board 10 is 02 A0 37 00 32 03 SUM", () => {
    const frame = right(encodeSetUnlockTime(10, 500))
    expect(hex(frame)).toBe("02 A0 37 00 32 03 0E")
    expect(right(decodeFrame(frame)).data).toEqual(Uint8Array.of(0x00, 0x32))
  })
})

describe("kerong: errors", () => {
  it("wrong checksum is a typed error with the offset of SUM", () => {
    const e = leftOf(decodeFrame(bytes("02 00 30 03 36")))
    expect(e).toBeInstanceOf(KerongDecodeError)
    expect(e.reason).toBe("BadChecksum")
    expect(e.offset).toBe(4)
  })

  it("short, unframed, and non-status frames are typed errors", () => {
    expect(leftOf(decodeFrame(bytes("02 00 30"))).reason).toBe("BadFrame")
    expect(leftOf(decodeFrame(bytes("05 00 30 03 35"))).reason).toBe("BadFrame")
    expect(leftOf(decodeStatus(bytes("02 00 30 03 35"))).reason).toBe("UnexpectedCommand")
    expect(leftOf(decodeStatus({ address: 0, command: 0x35, data: Uint8Array.of(1) })).reason).toBe("BadLength")
  })

  it("out-of-range board and lock are encode errors", () => {
    expect(leftOf(encodeUnlock(16, 1))).toBeInstanceOf(KerongEncodeError)
    expect(leftOf(encodeUnlock(0, 0)).field).toBe("lock")
    expect(leftOf(encodeUnlock(0, 17)).field).toBe("lock")
    expect(leftOf(encodeStatusRequest(-1)).field).toBe("board")
    expect(leftOf(encodeStatusReply(0, [], [])).field).toBe("locked.length")
  })
})

describe("kerong: splitter", () => {
  it("resynchronises after garbage and reports bad checksums", () => {
    const splitter = new KerongFrameSplitter()
    const out = splitter.push(bytes("55 02 02 00 30 03 35 02 00 35 FF FE 01 00 03 39 AA 02 00 31 03"))
    expect(out.map((r) => (Either.isLeft(r) ? r.left.reason : r.right.command))).toEqual([
      "Garbage",
      0x30,
      "BadChecksum",
      "Garbage"
    ])
    expect(hex(splitter.pending)).toBe("02 00 31 03")
    expect(frames(splitter.push(bytes("36")))).toEqual([{ address: 0, command: 0x31, data: new Uint8Array(0) }])
  })

  it("noise that looks like the start of a long frame does not hold back a short reply", () => {
    const out = new KerongFrameSplitter().push(bytes("02 77 35 02 00 30 03 35"))
    expect(out.map((r) => (Either.isLeft(r) ? r.left.reason : r.right.command))).toEqual(["Garbage", 0x30])
  })

  it("a status frame in reply to an unlock is just another frame", () => {
    const out = splitFrames(bytes("02 00 35 FF FE 01 00 03 38"))
    expect(right(decodeStatus(frames(out.results)[0]!)).locked[8]).toBe(false)
  })
})

const frameArb = fc.record({
  address: fc.integer({ min: 0, max: 255 }),
  command: fc.constantFrom(...defaultDataLengths.keys())
}).chain(({ address, command }) =>
  fc.uint8Array({ minLength: defaultDataLengths.get(command)!, maxLength: defaultDataLengths.get(command)! })
    .map((data): KerongFrame => ({ address, command, data }))
)

/** Splits a byte array into consecutive chunks at random cut points. */
const chunked = (data: Uint8Array, cuts: ReadonlyArray<number>): ReadonlyArray<Uint8Array> => {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b)
  const out: Array<Uint8Array> = []
  let prev = 0
  for (const p of [...points, data.length]) {
    out.push(data.slice(prev, p))
    prev = p
  }
  return out
}

const bools16 = fc.array(fc.boolean(), { minLength: 16, maxLength: 16 })

describe("kerong: properties", () => {
  it("encodeFrame then decodeFrame is the identity", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.uint8Array({ maxLength: 40 }),
      (address, command, data) => {
        expect(right(decodeFrame(encodeFrame({ address, command, data })))).toEqual({ address, command, data })
      }
    ))
  })

  it("status reply encode then decode is the identity, for both polarities", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 15 }),
      bools16,
      bools16,
      fc.constantFrom<LockedBit>(0, 1),
      (board, locked, items, lockedBit) => {
        const status = right(decodeStatus(right(encodeStatusReply(board, locked, items, lockedBit)), lockedBit))
        expect(status).toEqual({ board, locked, items })
      }
    ))
  })

  it("frames separated by garbage (no 02) and cut at random points come out whole and in order", () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.uint8Array({ maxLength: 6 }).map((g) => g.map((b) => (b === 0x02 ? 0x55 : b))), frameArb), {
        maxLength: 8
      }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (items, cuts) => {
        const stream = Uint8Array.from(items.flatMap(([garbage, f]) => [...garbage, ...encodeFrame(f)]))
        const splitter = new KerongFrameSplitter()
        const results = chunked(stream, cuts).flatMap((chunk) => splitter.push(chunk))
        expect(frames(results)).toEqual(items.map(([, f]) => f))
        expect(results.filter(Either.isLeft).every((e) => e.left.reason === "Garbage")).toBe(true)
        expect(splitter.pending.length).toBe(0)
      }
    ))
  })

  it("fuzz: random bytes never throw; decoders give a value or a typed error", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat(), { maxLength: 5 }), (input, cuts) => {
      const results: ReadonlyArray<Either.Either<unknown, KerongDecodeError>> = [
        decodeFrame(input),
        decodeStatus(input),
        decodeStatus(input, 0)
      ]
      for (const r of results) {
        if (Either.isLeft(r)) expect(r.left).toBeInstanceOf(KerongDecodeError)
      }
      const splitter = new KerongFrameSplitter()
      for (const chunk of chunked(input, cuts)) {
        for (const r of splitter.push(chunk)) {
          if (Either.isLeft(r)) expect(r.left).toBeInstanceOf(KerongDecodeError)
          else expect(Either.isRight(decodeFrame(encodeFrame(r.right)))).toBe(true)
        }
      }
      expect(splitter.pending.length).toBeLessThanOrEqual(input.length)
    }))
  })
})
