import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { type Channel, channelKey, Layout } from "../../../core/domain/compartment.ts"
import { AuthorityTwin, CardTwin, LockerTwin, ScannerTwin, SmsTwin } from "../../../hardware-sim/behavioural/index.ts"
import { TwinError } from "../../../hardware-sim/behavioural/TwinError.ts"
import { AmtomatTwinApi } from "../api.ts"

export const TwinHandlers = HttpApiBuilder.group(AmtomatTwinApi, "twin", (handlers) =>
  Effect.gen(function*() {
    const layout = yield* Layout
    const locker = yield* LockerTwin.LockerTwin
    const card = yield* CardTwin.CardTwin
    const sms = yield* SmsTwin.SmsTwin
    const scanner = yield* ScannerTwin.ScannerTwin
    const authority = yield* AuthorityTwin.AuthorityTwin

    const channelOf = (slot: "intake" | number): Effect.Effect<Channel, TwinError> => {
      if (slot === "intake") return Effect.succeed(layout.intake)
      const c = layout.compartments.find((x) => x.id === slot)
      return c ? Effect.succeed(c.channel) : Effect.fail(new TwinError({ message: `no compartment ${slot}` }))
    }
    const slotOf = new Map<string, "intake" | number>([
      [channelKey(layout.intake), "intake"],
      ...layout.compartments.map((c) => [channelKey(c.channel), c.id as number] as const)
    ])

    return handlers
      .handle("state", () =>
        Effect.gen(function*() {
          const offline = new Set(yield* locker.boardsOffline)
          const locks = (yield* locker.locks).map((l) => ({
            slot: slotOf.get(channelKey(l.channel)) ?? 0,
            board: l.channel.board,
            lock: l.channel.lock,
            doorOpen: l.doorOpen,
            item: l.item,
            jammed: l.jammed,
            stuckSensor: l.stuckSensor,
            boardOnline: !offline.has(l.channel.board)
          }))
          const received = yield* authority.received
          return {
            locks,
            card: { waiting: yield* card.waiting, fault: yield* card.fault, reads: yield* card.reads },
            sms: { fault: yield* sms.fault, count: (yield* sms.inbox()).length },
            scanner: { documents: yield* scanner.loaded },
            authority: { mode: yield* authority.mode, received: received.length, attempts: yield* authority.attempts }
          }
        }))
      .handle("insertCard", ({ payload }) => card.insert(payload.label))
      .handle("removeCard", () => card.remove)
      .handle("cardFault", ({ payload }) => card.setFault(payload.fault))
      .handle("inbox", ({ urlParams }) => sms.inbox(urlParams.to))
      .handle("smsFault", ({ payload }) => sms.setFault(payload.fault))
      .handle("close", ({ path }) => Effect.flatMap(channelOf(path.slot), locker.close))
      .handle("put", ({ path }) => Effect.flatMap(channelOf(path.slot), locker.putItem))
      .handle("take", ({ path }) => Effect.flatMap(channelOf(path.slot), locker.takeItem))
      .handle("jam", ({ path, payload }) => Effect.flatMap(channelOf(path.slot), (c) => locker.jam(c, payload.jammed)))
      .handle("stickSensor", ({ path, payload }) => Effect.flatMap(channelOf(path.slot), (c) => locker.stickSensor(c, payload.stuck)))
      .handle("boardOnline", ({ path, payload }) => locker.setBoardOnline(path.board, payload.online))
      .handle("placeDocument", ({ payload }) => scanner.place(payload.pages))
      .handle("scannerFault", ({ payload }) => scanner.setFault(payload.fault))
      .handle("authorityMode", ({ payload }) => authority.setMode(payload.mode))
  }))
