import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { setStorageFault } from "../../../core/persistence/storageFault.ts"
import { AmtomatTwinApi } from "../api.ts"
import { makeTwinView } from "../twinState.ts"

export const TwinHandlers = HttpApiBuilder.group(AmtomatTwinApi, "twin", (handlers) =>
  Effect.gen(function*() {
    const { authority, card, channelOf, locker, scanner, sms, state } = yield* makeTwinView
    return handlers
      .handle("state", () => state)
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
      .handle("storage", ({ payload }) => Effect.orDie(setStorageFault(payload.fault)))
      .handle("authorityMode", ({ payload }) => authority.setMode(payload.mode))
  }))
