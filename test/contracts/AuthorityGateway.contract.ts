import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { AuthorityGateway, type Submission } from "../../core/ports/AuthorityGateway.ts"
import { AuthorityTwin } from "../../hardware-sim/behavioural/AuthorityTwin.ts"

const submission = (applicationId: string): Submission => ({
  applicationId,
  reference: "2026-ABCDEF",
  serviceId: "dog-registration",
  office: "steueramt",
  fields: { fullName: "Erika Mustermann" },
  attachments: [{ name: "chipCertificate", mime: "image/png", data: new Uint8Array([1, 2, 3]) }]
})

export const authorityGatewayContract = (name: string, layer: Layer.Layer<AuthorityGateway | AuthorityTwin, unknown>) =>
  describe(`AuthorityGateway contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, AuthorityGateway | AuthorityTwin>) => body.pipe(Effect.provide(layer), Effect.scoped)

    it.effect("delivery is acknowledged with a file number, and is idempotent by application id", () =>
      run(Effect.gen(function*() {
        const office = yield* AuthorityGateway
        const twin = yield* AuthorityTwin
        const ack = yield* office.deliver(submission("app_000000000001"))
        expect(ack.authorityReference.length).toBeGreaterThan(0)
        expect((yield* office.deliver(submission("app_000000000001"))).authorityReference).toBe(ack.authorityReference)
        expect((yield* office.deliver(submission("app_000000000002"))).authorityReference).not.toBe(ack.authorityReference)
        expect(yield* twin.received).toHaveLength(2)
      })))

    it.effect("an unreachable office is Unavailable, a refusal is Rejected", () =>
      run(Effect.gen(function*() {
        const office = yield* AuthorityGateway
        const twin = yield* AuthorityTwin
        yield* twin.setMode("unavailable")
        expect(yield* Effect.flip(office.deliver(submission("app_000000000003")))).toMatchObject({ reason: "Unavailable" })
        yield* twin.setMode("reject")
        expect(yield* Effect.flip(office.deliver(submission("app_000000000003")))).toMatchObject({ reason: "Rejected" })
        expect(yield* twin.received).toHaveLength(0)
      })))
  })
