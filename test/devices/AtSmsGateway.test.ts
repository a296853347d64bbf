import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { PhoneNumber } from "../../core/domain/values.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import { SmsModemFaults } from "../../hardware-sim/protocol/smsModem.ts"
import { modemRig } from "./rigs.ts"

const to = PhoneNumber.make("+4915112345678")
const reasonOf = <A>(e: Either.Either<A, { readonly reason: string }>) => (Either.isLeft(e) ? e.left.reason : "ok")

describe("AtSmsGateway over the AT modem twin", () => {
  it.scopedLive("PDU mode: the text arrives in the phone's inbox, umlauts included", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      const twin = yield* SmsTwin
      const faults = yield* SmsModemFaults
      const receipt = yield* sms.send(to, "Abholnummer: 1234 5678. Gültig 10 Min. Straße")
      expect(receipt.reference).toBe("1")
      expect((yield* twin.inbox(to)).map((m) => m.text)).toEqual(["Abholnummer: 1234 5678. Gültig 10 Min. Straße"])
      expect((yield* faults.received).slice(0, 5)).toEqual(["AT", "AT+CMEE=1", "AT+CPIN?", "AT+CREG?", "AT+CMGF=0"])
    }).pipe(Effect.provide(modemRig("pair"))))

  it.scopedLive("text mode, without echo, with a SIM PIN", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      const twin = yield* SmsTwin
      yield* sms.send(to, "hello")
      expect((yield* twin.inbox()).map((m) => [m.to, m.text])).toEqual([[to, "hello"]])
    }).pipe(Effect.provide(modemRig("pair", { mode: "text", pin: "4711", twin: { echo: false, pin: "4711" } }))))

  it.scopedLive("network trouble: retried with back-off, then RetryLater; SIM missing: NeedsStaff", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      const twin = yield* SmsTwin
      const faults = yield* SmsModemFaults
      yield* faults.failNext(332, 1)
      expect((yield* sms.send(to, "after one retry")).reference).toBe("1")
      yield* twin.setFault("network")
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("RetryLater")
      yield* twin.setFault("sim-missing")
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("NeedsStaff")
      yield* twin.setFault("none")
      yield* faults.noReply(true)
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("RetryLater")
      yield* faults.noReply(false)
      expect((yield* sms.send(to, "back")).reference).toBe("2")
    }).pipe(Effect.provide(modemRig("pair"))))

  it.scopedLive("RetryLater is retried a bounded number of times (3 sends), other errors are not retried", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      const faults = yield* SmsModemFaults
      const sends = Effect.map(faults.received, (xs) => xs.filter((x) => x.startsWith("AT+CMGS")).length)
      yield* faults.failNext(331, 10)
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("RetryLater")
      expect(yield* sends).toBe(3)
      yield* faults.failNext(500, 1)
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("Rejected")
      expect(yield* sends).toBe(4)
      expect(reasonOf(yield* Effect.either(sms.send(to, "€".repeat(81))))).toBe("Rejected")
      expect(yield* sends).toBe(4)
    }).pipe(Effect.provide(modemRig("pair"))))

  it.scopedLive("a SIM asking for a PIN that is not configured needs staff", () =>
    Effect.gen(function*() {
      const sms = yield* SmsGateway
      expect(reasonOf(yield* Effect.either(sms.send(to, "x")))).toBe("NeedsStaff")
    }).pipe(Effect.provide(modemRig("pair", { twin: { pin: "1234" } }))))
})
