/**
 * Feedback after each use: a rating and "would you recommend it?".
 */
import { Effect } from "effect"
import { NotFound } from "../domain/errors.ts"
import type { SessionId } from "../domain/ids.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { CardSessions } from "./CardSessions.ts"

export class Feedback extends Effect.Service<Feedback>()("amtomat/Feedback", {
  effect: Effect.gen(function*() {
    const log = yield* EventLog
    const sessions = yield* CardSessions

    const give = Effect.fn("Feedback.give")(function*(
      sessionId: SessionId,
      context: "pickup" | "application" | "other",
      rating: number,
      recommend: "yes" | "no" | "unsure"
    ) {
      if (!(yield* sessions.exists(sessionId))) {
        return yield* new NotFound({ resource: "session", id: sessionId, message: `no session ${sessionId}` })
      }
      yield* log.append({ _tag: "FeedbackGiven", sessionId, context, rating, recommend })
    })
    return { give } as const
  }),
  dependencies: [EventLog.Default, CardSessions.Default]
}) {}
