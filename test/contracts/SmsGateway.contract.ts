/**
 * The SmsGateway contract, for every adapter. The SmsTwin handle is the
 * citizen's phone (its inbox) and the network's faults.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PhoneNumber } from "../../core/domain/values.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"

export const smsGatewayContract = (name: string, layer: Layer.Layer<SmsGateway | SmsTwin, unknown>) =>
  describe(`SmsGateway contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, SmsGateway | SmsTwin>) => body.pipe(Effect.provide(layer), Effect.scoped)
    const to = PhoneNumber.make("+4915112345678")

    it.live("a text arrives in the phone's inbox exactly, umlauts and all", () =>
      run(Effect.gen(function*() {
        const sms = yield* SmsGateway
        const phone = yield* SmsTwin
        const text = "Amt-O-Mat Code: 123456. Gültig 10 Min. Größe: Ä Ö Ü ß"
        const receipt = yield* sms.send(to, text)
        expect(receipt.reference.length).toBeGreaterThan(0)
        const inbox = yield* phone.inbox(to)
        expect(inbox.at(-1)?.text).toBe(text)
        expect(yield* phone.inbox("+4915100000000")).toHaveLength(0)
      })))

    it.live("no network: RetryLater; no SIM: NeedsStaff; afterwards it sends again", () =>
      run(Effect.gen(function*() {
        const sms = yield* SmsGateway
        const phone = yield* SmsTwin
        yield* phone.setFault("network")
        expect(yield* Effect.flip(sms.send(to, "x"))).toMatchObject({ _tag: "SmsError", reason: "RetryLater" })
        yield* phone.setFault("sim-missing")
        expect(yield* Effect.flip(sms.send(to, "x"))).toMatchObject({ _tag: "SmsError", reason: "NeedsStaff" })
        yield* phone.setFault("none")
        yield* sms.send(to, "back")
        expect((yield* phone.inbox(to)).at(-1)?.text).toBe("back")
      })))

    it.live("a text longer than one SMS is rejected and nothing is sent", () =>
      run(Effect.gen(function*() {
        const sms = yield* SmsGateway
        const phone = yield* SmsTwin
        const before = (yield* phone.inbox(to)).length
        expect(yield* Effect.flip(sms.send(to, "x".repeat(161)))).toMatchObject({ _tag: "SmsError", reason: "Rejected" })
        expect(yield* phone.inbox(to)).toHaveLength(before)
      })))
  })
