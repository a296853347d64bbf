import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Queue } from "effect"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import { openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"

/** The modem twin on a pair cable; the test types AT commands. */
const rig = (options: SmsModem.SmsModemOptions = {}) =>
  Effect.gen(function*() {
    const pair = makePairBinding()
    pair.connect("host", "modem")
    const ctx = yield* Layer.build(SmsModem.layer(options, { path: "modem", baudRate: 115200, binding: pair.binding }))
    const host = yield* openSerialLine({ path: "host", baudRate: 115200, binding: pair.binding })
    const type = (text: string, wait: Duration.DurationInput = "30 millis") =>
      Effect.gen(function*() {
        yield* host.write(Uint8Array.from(text, (c) => c.charCodeAt(0)))
        yield* Effect.sleep(wait)
        return [...(yield* Queue.takeAll(host.input))].map((c) => String.fromCharCode(...c)).join("")
      })
    return { type, phone: Context.get(ctx, SmsTwin), faults: Context.get(ctx, SmsModem.SmsModemFaults) }
  })

describe("AT modem twin", () => {
  it.scopedLive("start-up dialogue with echo, and the worked PDU example of protocols.md", () =>
    Effect.gen(function*() {
      const { phone, type } = yield* rig()
      expect(yield* type("AT\r")).toBe("AT\r\r\nOK\r\n")
      expect(yield* type("ATE0\r")).toBe("ATE0\r\r\nOK\r\n")
      expect(yield* type("AT+CMEE=1\r")).toBe("\r\nOK\r\n")
      expect(yield* type("AT+CPIN?\r")).toBe("\r\n+CPIN: READY\r\n\r\nOK\r\n")
      expect(yield* type("AT+CREG?\r")).toBe("\r\n+CREG: 0,1\r\n\r\nOK\r\n")
      expect(yield* type("AT+CMGF=0\r")).toBe("\r\nOK\r\n")
      expect(yield* type("AT+CMGS=23\r")).toBe("\r\n> ")
      expect(yield* type("0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a")).toBe("\r\n+CMGS: 1\r\n\r\nOK\r\n")
      expect((yield* phone.inbox("+46708251358")).map((m) => m.text)).toEqual(["hellohello"])
    }))

  it.scopedLive("text mode; a host that does not wait for the prompt; ESC cancels", () =>
    Effect.gen(function*() {
      const { phone, type } = yield* rig({ echo: false })
      yield* type("AT+CMGF=1\r")
      expect(yield* type("AT+CMGS=\"+4915112345678\"\rGuten Tag\x1a")).toBe("\r\n> \r\n+CMGS: 1\r\n\r\nOK\r\n")
      expect(yield* type("AT+CMGS=\"+4915112345678\"\rnever mind\x1b")).toBe("\r\n> \r\nOK\r\n")
      expect((yield* phone.inbox()).map((m) => m.text)).toEqual(["Guten Tag"])
    }))

  it.scopedLive("faults: no network, network timeout, SIM missing, SIM PIN, bad PDU length, silence", () =>
    Effect.gen(function*() {
      const { faults, phone, type } = yield* rig({ echo: false, pin: "1234" })
      yield* type("AT+CMEE=1\r")
      expect(yield* type("AT+CPIN?\r")).toBe("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n")
      expect(yield* type("AT+CMGS=23\r")).toBe("\r\n+CMS ERROR: 311\r\n")
      expect(yield* type("AT+CPIN=\"0000\"\r")).toBe("\r\n+CME ERROR: 16\r\n")
      expect(yield* type("AT+CPIN=\"1234\"\r")).toBe("\r\nOK\r\n")
      yield* phone.setFault("network")
      expect(yield* type("AT+CREG?\r")).toBe("\r\n+CREG: 0,0\r\n\r\nOK\r\n")
      yield* type("AT+CMGS=23\r")
      expect(yield* type("0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a")).toBe("\r\n+CMS ERROR: 331\r\n")
      yield* faults.networkError(332)
      yield* type("AT+CMGS=23\r")
      expect(yield* type("0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a")).toBe("\r\n+CMS ERROR: 332\r\n")
      yield* phone.setFault("sim-missing")
      expect(yield* type("AT+CPIN?\r")).toBe("\r\n+CME ERROR: 10\r\n")
      expect(yield* type("AT+CMGS=23\r")).toBe("\r\n+CMS ERROR: 310\r\n")
      yield* phone.setFault("none")
      yield* type("AT+CMGS=22\r")
      expect(yield* type("0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a")).toBe("\r\n+CMS ERROR: 304\r\n")
      yield* faults.noReply(true)
      expect(yield* type("AT\r")).toBe("")
      expect(yield* phone.inbox()).toHaveLength(0)
    }))
})
