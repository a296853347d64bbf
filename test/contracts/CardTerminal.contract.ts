/**
 * The CardTerminal contract, for every adapter. The CardTwin handle is the
 * citizen's hand presenting a card.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer } from "effect"
import { CardTerminal } from "../../core/ports/CardTerminal.ts"
import { CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"

export const cardTerminalContract = (name: string, layer: Layer.Layer<CardTerminal | CardTwin, unknown>) =>
  describe(`CardTerminal contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, CardTerminal | CardTwin>) => body.pipe(Effect.provide(layer), Effect.scoped)
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex")

    it.live("a presented card is read; the same card gives the same identifier, another card another", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const hand = yield* CardTwin
        yield* hand.insert("alice")
        const first = yield* card.readCard(Duration.seconds(5))
        yield* hand.insert("alice")
        const again = yield* card.readCard(Duration.seconds(5))
        yield* hand.insert("bob")
        const other = yield* card.readCard(Duration.seconds(5))
        expect(first.cardId.length).toBeGreaterThanOrEqual(4)
        expect(hex(again.cardId)).toBe(hex(first.cardId))
        expect(hex(other.cardId)).not.toBe(hex(first.cardId))
      })))

    it.live("a card presented while the terminal waits is read", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const hand = yield* CardTwin
        const reading = yield* Effect.fork(card.readCard(Duration.seconds(5)))
        yield* Effect.sleep("200 millis")
        yield* hand.insert("carol")
        const read = yield* Fiber.join(reading)
        expect(read.cardId.length).toBeGreaterThanOrEqual(4)
      })))

    it.live("no card within the timeout fails with Timeout", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const error = yield* Effect.flip(card.readCard(Duration.seconds(1)))
        expect(error).toMatchObject({ _tag: "CardError", reason: "Timeout" })
      })))

    it.live("an unreadable card fails with Unreadable; the next good card reads", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const hand = yield* CardTwin
        yield* hand.setFault("unreadable")
        yield* hand.insert("dave")
        const error = yield* Effect.flip(card.readCard(Duration.seconds(5)))
        expect(error).toMatchObject({ _tag: "CardError", reason: "Unreadable" })
        yield* hand.setFault("none")
        yield* hand.insert("dave")
        yield* card.readCard(Duration.seconds(5))
      })))

    it.live("an interrupted read is aborted and the terminal reads again afterwards", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const hand = yield* CardTwin
        const reading = yield* Effect.fork(card.readCard(Duration.seconds(10)))
        yield* Effect.sleep("200 millis")
        yield* Fiber.interrupt(reading)
        yield* hand.insert("erin")
        const read = yield* card.readCard(Duration.seconds(5))
        expect(read.cardId.length).toBeGreaterThanOrEqual(4)
      })))

    it.live("health is good when ready and fails when the terminal is offline", () =>
      run(Effect.gen(function*() {
        const card = yield* CardTerminal
        const hand = yield* CardTwin
        expect((yield* card.health).ready).toBe(true)
        yield* hand.setFault("offline")
        const error = yield* Effect.flip(card.health)
        expect(["Offline", "Protocol", "Timeout"]).toContain(error.reason)
        const read = yield* Effect.flip(card.readCard(Duration.seconds(1)))
        expect(["Offline", "Protocol", "Timeout"]).toContain(read.reason)
        yield* hand.setFault("none")
      })))
  })
