/**
 * Card sessions: a bank card read at the terminal opens a session. Only a
 * keyed hash of the card's identifier is kept. A session ends when the
 * citizen is done, cancels, or is idle too long.
 */
import { Duration, Effect, Option } from "effect"
import { Secrets, TerminalPolicy } from "../domain/config.ts"
import { CardNotRead, PickupFailed } from "../domain/errors.ts"
import { type OrderId, SessionId } from "../domain/ids.ts"
import { CardSession } from "../domain/session.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { CardTerminal } from "../ports/CardTerminal.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import { keyedHash, nowMillis } from "./support.ts"

export interface ActiveSession {
  readonly id: SessionId
  readonly cardKey: string
  readonly orderId: OrderId | null
  readonly verified: boolean
  readonly intakeDone: boolean
  readonly opened: boolean
  readonly startedAt: number
}

const toActive = (s: CardSession): ActiveSession => ({
  id: s.id,
  cardKey: s.cardKey,
  orderId: s.orderId,
  verified: s.verified,
  intakeDone: s.intakeDone,
  opened: s.opened,
  startedAt: s.startedAt
})

export class CardSessions extends Effect.Service<CardSessions>()("amtomat/CardSessions", {
  effect: Effect.gen(function*() {
    const repo = yield* SessionsRepo
    const card = yield* CardTerminal
    const config = yield* TerminalPolicy
    const secrets = yield* Secrets
    const secure = yield* SecureRandom
    const log = yield* EventLog

    type EndReason = "finished" | "timeout" | "cancelled" | "reload"

    /**
     * Logs the end of each session, and settles a pickup that was under way:
     * before the door opened it is abandoned (nothing physical happened); once
     * the door opened, the door's watch settles it against the sensors.
     */
    const ended = (sessions: ReadonlyArray<CardSession>, reason: EndReason) =>
      Effect.forEach(sessions, (s) =>
        Effect.gen(function*() {
          const sessionId = s.id
          if (s.orderId !== null && !s.opened) {
            yield* repo.clearPickup(s.id)
            const step = s.verified ? (s.intakeDone ? "open" as const : "intake" as const) : "code" as const
            yield* log.append({
              _tag: "PickupAbandoned",
              sessionId,
              orderId: s.orderId,
              step,
              reason: reason === "reload" ? "page-reloaded" : reason
            })
          }
          yield* log.append({ _tag: "CardSessionEnded", sessionId, reason })
        }), { discard: true })

    const endActive = (reason: EndReason) =>
      Effect.gen(function*() {
        const now = yield* nowMillis
        yield* ended(yield* repo.endAllOpen(reason, now), reason)
      })

    /** Waits for a card at the terminal and opens a session. Any earlier session is cancelled: one citizen at a time. */
    const start = Effect.fn("CardSessions.start")(function*() {
      const read = yield* card.readCard(Duration.seconds(config.cardReadSeconds)).pipe(
        Effect.catchTag("CardError", (e) =>
          Effect.zipRight(
            log.append({ _tag: "CardReadFailed", reason: e.reason }),
            Effect.fail(new CardNotRead({ reason: e.reason, message: e.message }))
          ))
      )
      const cardKey = keyedHash(secrets.cardKey, read.cardId).slice(0, 32)
      yield* endActive("cancelled")
      const id = SessionId.make(yield* secure.id("ses"))
      const now = yield* nowMillis
      yield* repo.insert(
        new CardSession({
          id,
          cardKey,
          startedAt: now,
          lastSeen: now,
          endedAt: null,
          endReason: null,
          orderId: null,
          verified: false,
          intakeDone: false,
          opened: false
        })
      )
      yield* log.append({ _tag: "CardSessionStarted", sessionId: id, cardKey })
      return { sessionId: id, idleSeconds: config.sessionIdleSeconds }
    })

    /** The session if it is still alive; marks activity. Ends it with `timeout` when it was idle too long. */
    const require = Effect.fn("CardSessions.require")(function*(id: SessionId) {
      const found = yield* repo.find(id)
      const expired = () => new PickupFailed({ reason: "SessionExpired", message: "the card session has ended; insert the card again" })
      if (Option.isNone(found) || found.value.endedAt !== null) return yield* expired()
      const session = found.value
      const now = yield* nowMillis
      if (now - session.lastSeen > config.sessionIdleSeconds * 1000) {
        yield* ended(Option.toArray(yield* repo.end(id, "timeout", now)), "timeout")
        return yield* expired()
      }
      yield* repo.touch(id, now)
      return toActive(session)
    })

    /** Ends a session (the citizen is done or pressed cancel). Idempotent. */
    const end = Effect.fn("CardSessions.end")(function*(id: SessionId, reason: "finished" | "cancelled") {
      const now = yield* nowMillis
      const closed = yield* repo.end(id, reason, now)
      yield* ended(Option.toArray(closed), reason)
      return Option.isSome(closed)
    })

    /** The kiosk page was loaded afresh: whoever was in front of it before is gone. */
    const endAll = Effect.fn("CardSessions.endAll")(function*(reason: "reload") {
      yield* endActive(reason)
    })

    /** Sessions idle past the limit are closed (run periodically). */
    const sweep = Effect.gen(function*() {
      const now = yield* nowMillis
      const stale = yield* repo.endIdle(now - config.sessionIdleSeconds * 1000, now)
      yield* ended(stale, "timeout")
      return stale.length
    })

    /** The session in front of the terminal now, if any. */
    const active = Effect.map(repo.latestOpen, (s) => Option.isNone(s) ? null : toActive(s.value))

    return { start, require, end, endAll, sweep, exists: repo.exists, active } as const
  }),
  dependencies: [EventLog.Default, SessionsRepo.Default]
}) {}
