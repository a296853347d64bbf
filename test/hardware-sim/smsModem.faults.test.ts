import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Queue } from "effect"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import * as Control from "../../hardware-sim/control/server.ts"
import { type DeviceLine, openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"
import { twinsOnPairs } from "./support.ts"

/** Types AT commands on the host's end and collects what comes back within `wait`. */
const typist = (host: DeviceLine) => (text: string, wait: Duration.DurationInput = "30 millis") =>
  Effect.gen(function*() {
    yield* host.write(Uint8Array.from(text, (c) => c.charCodeAt(0)))
    yield* Effect.sleep(wait)
    return [...(yield* Queue.takeAll(host.input))].map((c) => String.fromCharCode(...c)).join("")
  })

/** The modem twin on a pair cable; the test types AT commands. */
const rig = (options: SmsModem.SmsModemOptions = {}) =>
  Effect.gen(function*() {
    const pair = makePairBinding()
    pair.connect("host", "modem")
    const ctx = yield* Layer.build(SmsModem.layer(options, { path: "modem", baudRate: 115200, binding: pair.binding }))
    const host = yield* openSerialLine({ path: "host", baudRate: 115200, binding: pair.binding })
    return { type: typist(host), faults: Context.get(ctx, SmsModem.SmsModemFaults) }
  })

describe("AT modem twin: resets, the SIM, registration", () => {
  it.scopedLive("reboot: commands ignored while booting, then RDY … and the volatile settings are gone", () =>
    Effect.gen(function*() {
      const { faults, type } = yield* rig({ echo: false, pin: "1234", bootDelay: "60 millis" })
      yield* type("AT+CMEE=1\r")
      yield* type("AT+CPIN=\"1234\"\r")
      yield* type("AT+CMGF=1\r")
      yield* faults.reboot
      expect(yield* type("AT\r", "20 millis")).toBe("")
      expect(yield* type("", "80 millis")).toBe("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n")
      expect(yield* type("AT+CMGF?\r")).toBe("\r\n+CMGF: 0\r\n\r\nOK\r\n")
      expect(yield* type("AT+CMGS=23\r")).toBe("\r\nERROR\r\n")
    }))

  it.scopedLive("three wrong PINs: SIM PUK; the SIM counts across resets; AT+CPINR tells the attempts left", () =>
    Effect.gen(function*() {
      const { faults, type } = yield* rig({ echo: false, pin: "1234" })
      yield* type("AT+CMEE=1\r")
      expect(yield* type("AT+CPIN=\"0000\"\r")).toBe("\r\n+CME ERROR: 16\r\n")
      expect(yield* type("AT+CPINR=\"SIM PIN\"\r")).toBe("\r\n+CPINR: SIM PIN,2,3\r\n\r\nOK\r\n")
      yield* faults.reboot
      yield* Effect.sleep("100 millis")
      yield* type("AT+CMEE=1\r")
      expect(yield* type("AT+CPIN=\"0001\"\r")).toBe("\r\n+CME ERROR: 16\r\n")
      expect(yield* type("AT+CPIN=\"0002\"\r")).toBe("\r\n+CME ERROR: 16\r\n")
      expect(yield* faults.sim).toEqual({ pin: "1234", locked: true, wrongAttempts: 3, puk: true })
      expect(yield* type("AT+CPIN?\r")).toBe("\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n")
      expect(yield* type("AT+CPIN=\"1234\"\r")).toBe("\r\n+CME ERROR: 12\r\n")
      yield* faults.simPin(null)
      expect(yield* type("AT+CPIN?\r")).toBe("\r\n+CPIN: READY\r\n\r\nOK\r\n")
    }))

  it.scopedLive("LTE-only, unregistered, unsolicited lines, lines inside an answer", () =>
    Effect.gen(function*() {
      const { faults, type } = yield* rig({ echo: false })
      yield* faults.lteOnly(true)
      expect(yield* type("AT+CREG?\r")).toBe("\r\n+CREG: 0,0\r\n\r\nOK\r\n")
      expect(yield* type("AT+CEREG?\r")).toBe("\r\n+CEREG: 0,1\r\n\r\nOK\r\n")
      yield* faults.unregistered(true)
      expect(yield* type("AT+CEREG?\r")).toBe("\r\n+CEREG: 0,2\r\n\r\nOK\r\n")
      yield* faults.clear
      yield* faults.interject(["SMS Ready"])
      expect(yield* type("AT\r")).toBe("\r\nSMS Ready\r\n\r\nOK\r\n")
      yield* faults.unsolicited(["RDY"])
      expect(yield* type("")).toBe("\r\nRDY\r\n")
    }))

  it.scopedLive("the new faults over the control API", () =>
    Effect.gen(function*() {
      const { handles, host, layout } = yield* twinsOnPairs({ modem: { echo: false, bootDelay: "20 millis" } })
      const type = typist(yield* host("modem"))
      const port = yield* Control.serve({ handles: Effect.succeed(handles), layout })
      const remote = (yield* TwinControl.client(`http://127.0.0.1:${port}`)).modemFaults
      yield* remote.lteOnly(true)
      expect(yield* type("AT+CREG?\r")).toBe("\r\n+CREG: 0,0\r\n\r\nOK\r\n")
      yield* remote.simPin("4711")
      expect(yield* remote.sim).toEqual({ pin: "4711", locked: true, wrongAttempts: 0, puk: false })
      yield* remote.reboot
      expect(yield* type("", "60 millis")).toContain("RDY")
      yield* remote.interject(["PB DONE"])
      yield* remote.unregistered(true)
      yield* remote.unsolicited(["+CFUN: 1"])
      expect(yield* type("AT\r")).toBe("\r\n+CFUN: 1\r\n\r\nPB DONE\r\n\r\nOK\r\n")
    }))
})
