import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Fiber } from "effect"
import { CardTerminal } from "../../core/ports/CardTerminal.ts"
import { cardIdOf, CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { ZvtTerminalFaults } from "../../hardware-sim/protocol/zvtTerminal.ts"
import { cardRig } from "./rigs.ts"

const rig = cardRig("pair")
const reasonOf = <A>(e: Either.Either<A, { readonly reason: string }>) => (Either.isLeft(e) ? e.left.reason : "ok")

describe("ZvtCardTerminal over the ZVT terminal twin", () => {
  it.scopedLive("registers, answers the health check, reads a card's 1F14", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      const faults = yield* ZvtTerminalFaults
      expect(yield* card.health).toEqual({ ready: true, status: "ready" })
      expect(yield* faults.registeredConfig).toBe(0xb8)
      yield* twin.insert("alice")
      const read = yield* card.readCard(Duration.seconds(2))
      expect(read.cardId).toEqual(cardIdOf("alice"))
      expect(yield* twin.reads).toBe(1)
    }).pipe(Effect.provide(rig)))

  it.scopedLive("a card inserted while the read waits", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      const fiber = yield* Effect.fork(card.readCard(Duration.seconds(2)))
      yield* Effect.sleep("100 millis")
      yield* twin.insert("bob")
      expect((yield* Fiber.join(fiber)).cardId).toEqual(cardIdOf("bob"))
    }).pipe(Effect.provide(rig)))

  it.scopedLive("unreadable card, timeout, abort, interruption", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      const faults = yield* ZvtTerminalFaults
      yield* twin.setFault("unreadable")
      yield* twin.insert("carol")
      expect(reasonOf(yield* Effect.either(card.readCard(Duration.seconds(2))))).toBe("Unreadable")
      yield* twin.setFault("none")
      expect(reasonOf(yield* Effect.either(card.readCard(Duration.millis(300))))).toBe("Timeout")
      const fiber = yield* Effect.fork(card.readCard(Duration.seconds(2)))
      yield* Effect.sleep("100 millis")
      yield* card.abort
      expect(reasonOf(yield* Effect.either(Fiber.join(fiber)))).toBe("Aborted")
      const interrupted = yield* Effect.fork(card.readCard(Duration.seconds(2)))
      yield* Effect.sleep("100 millis")
      yield* Fiber.interrupt(interrupted)
      const sent = (yield* faults.received).map((m) => m._tag)
      // one each for the local timeout, the abort and the interruption
      expect(sent.filter((t) => t === "Abort")).toHaveLength(3)
      // the terminal is free again
      yield* twin.insert("dave")
      expect((yield* card.readCard(Duration.seconds(2))).cardId).toEqual(cardIdOf("dave"))
    }).pipe(Effect.provide(rig)))

  it.scopedLive("offline terminal", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      yield* card.health
      yield* twin.setFault("offline")
      expect(reasonOf(yield* Effect.either(card.health))).toBe("Offline")
      yield* twin.setFault("none")
      expect((yield* card.health).ready).toBe(true)
    }).pipe(Effect.provide(rig)))

  it.scopedLive("link faults: NAK storms, corrupted CRCs, garbage, no reply", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const faults = yield* ZvtTerminalFaults
      yield* card.health
      // two NAKs: the driver's two repeats get through
      yield* faults.nakStorm(2)
      expect((yield* card.health).ready).toBe(true)
      // three NAKs: a transmission error
      yield* faults.nakStorm(3)
      expect(reasonOf(yield* Effect.either(card.health))).toBe("Protocol")
      yield* faults.clear
      // the terminal's frames arrive damaged once: the driver's NAK makes it repeat them
      yield* faults.corruptCrc(1)
      expect((yield* card.health).ready).toBe(true)
      yield* faults.garbage(Uint8Array.of(0xff, 0x00, 0x42, 0x10, 0x55))
      expect((yield* card.health).ready).toBe(true)
      yield* faults.clear
      yield* faults.noReply(true)
      expect(reasonOf(yield* Effect.either(card.health))).toBe("Offline")
      yield* faults.noReply(false)
      expect((yield* card.health).ready).toBe(true)
    }).pipe(Effect.provide(rig)))

  it.scopedLive("slow bytes: within T1 fine, beyond T1 every frame is damaged", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const faults = yield* ZvtTerminalFaults
      yield* card.health
      // bytes 20 ms apart are fine (T1 = 150 ms in this rig) …
      yield* faults.slowBytes("20 millis")
      expect((yield* card.health).ready).toBe(true)
      // … 300 ms apart break every frame: damaged frames, a protocol error
      yield* faults.slowBytes("300 millis")
      expect(reasonOf(yield* Effect.either(card.health))).toBe("Protocol")
    }).pipe(Effect.provide(rig)))
})
