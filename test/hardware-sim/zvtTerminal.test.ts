import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Either, Layer, Queue } from "effect"
import * as Zvt from "../../core/protocols/zvt.ts"
import { cardIdOf, CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import * as ZvtTerminal from "../../hardware-sim/protocol/zvtTerminal.ts"
import { bytes, hex } from "./support.ts"

const right = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))
const frameOf = (apdu: string) => hex(Zvt.frame(bytes(apdu)))
const ACK = "06"

/** The terminal twin on a pair cable; the test plays the cash register with raw bytes. */
const rig = Effect.gen(function*() {
  const pair = makePairBinding()
  pair.connect("ecr", "pt")
  const ctx = yield* Layer.build(
    ZvtTerminal.layer({ t1: "50 millis", t2: "100 millis", t3: "200 millis" }, { path: "pt", baudRate: 9600, binding: pair.binding })
  )
  const ecr = yield* openSerialLine({ path: "ecr", baudRate: 9600, binding: pair.binding, stopBits: 2 })
  /** Writes, waits a moment, returns everything the terminal sent meanwhile. */
  const send = (h: string, wait: Duration.DurationInput = "40 millis") =>
    Effect.gen(function*() {
      yield* ecr.write(bytes(h))
      yield* Effect.sleep(wait)
      return hex(Uint8Array.from([...(yield* Queue.takeAll(ecr.input))].flatMap((c) => [...c])))
    })
  return { send, hand: Context.get(ctx, CardTwin), faults: Context.get(ctx, ZvtTerminal.ZvtTerminalFaults) }
})

describe("ZVT terminal twin, byte for byte", () => {
  it.scopedLive("Registration: ACK, 80 00 00, then Completion, which waits for the register's 80 00 00", () =>
    Effect.gen(function*() {
      const { faults, send } = yield* rig
      expect(yield* send("10 02 06 00 06 12 34 56 BA 09 78 10 03 24 C3")).toBe(`${ACK} 10 02 80 00 00 10 03 F5 1F`)
      const completion = right(Zvt.completion({ statusByte: 0, terminalId: "29001234", currency: 978 }))
      expect(yield* send(ACK)).toBe(hex(Zvt.frame(completion)))
      expect(yield* send(`${ACK} ${frameOf("80 00 00")}`)).toBe(ACK)
      expect(yield* faults.registeredConfig).toBe(0xba)
    }))

  it.scopedLive("Read Card: 80 00 00, 04 FF 0A, then 04 0F with 27 00 and 1F14 = cardIdOf(label)", () =>
    Effect.gen(function*() {
      const { hand, send } = yield* rig
      const request = right(Zvt.readCard({ timeoutSeconds: 5, request1F14: true }))
      expect(yield* send(hex(Zvt.frame(request)))).toBe(`${ACK} ${frameOf("80 00 00")}`)
      expect(yield* send(ACK)).toBe(frameOf("04 FF 01 0A"))
      expect(yield* send(`${ACK} ${frameOf("80 00 00")}`)).toBe(ACK)
      yield* hand.insert("alice")
      const info = (yield* send("", "60 millis")).split(" ").map((x) => parseInt(x, 16))
      const apdu = right(Zvt.unframe(Uint8Array.from(info)))
      const parsed = right(Zvt.parseStatusInformation(apdu))
      expect(parsed.result).toBe(0)
      expect(parsed.cardId).toEqual(cardIdOf("alice"))
    }))

  it.scopedLive("link faults: NAK on a bad CRC, NAK storm, corrupted CRC repeated, garbage, silence", () =>
    Effect.gen(function*() {
      const { faults, send } = yield* rig
      // a frame with a wrong CRC is refused with NAK
      expect(yield* send("10 02 05 01 00 10 03 00 00")).toBe("15")
      yield* faults.nakStorm(2)
      const enquiry = frameOf("05 01 00")
      expect(yield* send(enquiry)).toBe("15")
      expect(yield* send(enquiry)).toBe("15")
      expect((yield* send(enquiry)).startsWith(`${ACK} ${frameOf("80 00 00")}`)).toBe(true)
      yield* send(ACK, "10 millis")
      yield* send(`${ACK} ${frameOf("80 00 00")}`, "60 millis")
      // the terminal's next frame comes with a bad CRC; the register's NAK makes it repeat it intact
      yield* faults.corruptCrc(1)
      const bad = yield* send(enquiry)
      expect(bad.slice(0, 2)).toBe(ACK)
      expect(bad).not.toContain(frameOf("80 00 00"))
      expect(yield* send("15")).toBe(frameOf("80 00 00"))
      yield* send(ACK, "10 millis")
      yield* send(`${ACK} ${frameOf("80 00 00")}`, "60 millis")
      yield* faults.garbage(bytes("FF 00 55"))
      expect(yield* send(enquiry)).toBe(`${ACK} FF 00 55 ${frameOf("80 00 00")}`)
      yield* faults.clear
      yield* send(ACK, "10 millis")
      yield* send(`${ACK} ${frameOf("80 00 00")}`, "60 millis")
      yield* faults.noReply(true)
      expect(yield* send(enquiry)).toBe("")
    }))

  it.scopedLive("a cash register that vanishes mid-read (no 80 00 00 within T3): the terminal drops the read and takes commands again", () =>
    Effect.gen(function*() {
      const { hand, send } = yield* rig
      // Read Card, 30 s, asking for 1F14; the register acknowledges the frames but never answers 04 FF
      const read = hex(right(Zvt.readCard({ timeoutSeconds: 30, request1F14: true })))
      const answered = yield* send(frameOf(read))
      expect(answered.startsWith(`${ACK} 10 02 80 00 00 10 03`)).toBe(true)
      // the link ACK for 80 00 00 lets the terminal send 04 FF 0A; that frame is acknowledged, nothing more
      const insertCard = yield* send(ACK)
      expect(insertCard).toContain("04 FF")
      yield* send(ACK, "20 millis")
      // T3 (200 ms) passes without 80 00 00
      yield* Effect.sleep("300 millis")
      // a fresh register: Registration is accepted, not refused "please wait" (84 9C)
      const reply = yield* send(frameOf("06 00 06 12 34 56 BA 09 78"), "60 millis")
      expect(reply).toContain("10 02 80 00 00 10 03")
      expect(reply).not.toContain("84 9C")
      // and the card inserted afterwards is still in the slot, not eaten by the dropped read
      yield* hand.insert("frank")
      expect(yield* hand.waiting).toBe(true)
    }))
})
