/**
 * GET /health: the terminal's condition from cached state (see condition.ts),
 * 200 when everything is ok, 503 with the same body when degraded. No device
 * is polled: a health check every second touches no bus.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { AmtomatApi } from "../api.ts"
import { makeCondition } from "../condition.ts"

export const SystemHandlers = HttpApiBuilder.group(AmtomatApi, "system", (handlers) =>
  Effect.gen(function*() {
    const condition = yield* makeCondition
    return handlers.handle("health", () => condition.read())
  }))
