import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { TerminalPolicy } from "../../../core/domain/config.ts"
import { Applications } from "../../../core/workflows/Applications.ts"
import { Availability } from "../../../core/workflows/Availability.ts"
import { CardSessions } from "../../../core/workflows/CardSessions.ts"
import { Feedback } from "../../../core/workflows/Feedback.ts"
import { Pickup } from "../../../core/workflows/Pickup.ts"
import { AmtomatApi } from "../api.ts"
import { orUnavailable } from "./common.ts"

export const KioskHandlers = HttpApiBuilder.group(AmtomatApi, "kiosk", (handlers) =>
  Effect.gen(function*() {
    const sessions = yield* CardSessions
    const pickup = yield* Pickup
    const applications = yield* Applications
    const feedback = yield* Feedback
    const config = yield* TerminalPolicy
    const availability = yield* Availability
    const withDigits = <A, E, R>(identified: Effect.Effect<A, E, R>) => Effect.map(identified, (r) => ({ ...r, codeDigits: config.codeDigits }))
    return handlers
      .handle("startSession", () => orUnavailable(sessions.start()))
      .handle("endSession", ({ payload }) => orUnavailable(Effect.asVoid(sessions.end(payload.sessionId, "finished"))))
      .handle("keepAlive", ({ payload }) => orUnavailable(Effect.asVoid(sessions.require(payload.sessionId))))
      .handle("identify", ({ payload }) => orUnavailable(withDigits(pickup.identify(payload.sessionId, payload.pickupNumber))))
      .handle("resendCode", ({ payload }) => orUnavailable(withDigits(pickup.resendCode(payload.sessionId))))
      .handle("verify", ({ payload }) => orUnavailable(pickup.verify(payload.sessionId, payload.code)))
      .handle("oldDocument", ({ payload }) => orUnavailable(pickup.handInOld(payload.sessionId)))
      .handle("open", ({ payload }) => orUnavailable(pickup.open(payload.sessionId)))
      .handle("complete", ({ payload }) => orUnavailable(pickup.complete(payload.sessionId)))
      .handle("cancel", ({ payload }) => orUnavailable(pickup.cancel(payload.sessionId)))
      .handle("services", () => Effect.succeed(applications.catalogue))
      .handle("scan", ({ payload }) => orUnavailable(applications.scan(payload.sessionId)))
      .handle("submit", ({ payload }) => orUnavailable(applications.submit(payload.sessionId, payload.serviceId, payload.fields, payload.attachments)))
      .handle("feedback", ({ payload }) => orUnavailable(feedback.give(payload.sessionId, payload.context, payload.rating, payload.recommend)))
      .handle("status", () => availability.status)
      // A kiosk page that (re)loads: whoever used it before is gone, so their session ends ("reload") and is
      // settled; the doors the server still watches come back so the page shows the right screen.
      .handle("resume", () => orUnavailable(Effect.zipRight(sessions.endAll("reload"), availability.status)))
  }))
