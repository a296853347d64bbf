/**
 * What the twin panel shows: every lock's door and contents, the card slot,
 * the phones, the scanner and the office. Shared by GET /api/twin/state and
 * the twin panel's live stream.
 */
import { Effect } from "effect"
import { type Channel, channelKey, Layout } from "../../core/domain/compartment.ts"
import { AuthorityTwin, CardTwin, LockerTwin, ScannerTwin, SmsTwin } from "../../hardware-sim/behavioural/index.ts"
import { TwinError } from "../../hardware-sim/behavioural/TwinError.ts"

export const makeTwinView = Effect.gen(function*() {
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

  const state = Effect.gen(function*() {
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
  })

  return { locker, card, sms, scanner, authority, channelOf, state } as const
})
