/**
 * What the twin panel shows: every lock's door and contents, the card slot,
 * the phones, the scanner and the office. Shared by GET /api/twin/state and
 * the twin panel's live stream.
 */
import { Effect, Option } from "effect"
import { type Channel, Layout } from "../../core/domain/compartment.ts"
import { AuthorityTwin, CardTwin, LockerTwin, ScannerTwin, SmsTwin } from "../../hardware-sim/behavioural/index.ts"
import { channelOfSlot, lockViews, type Slot } from "../../hardware-sim/behavioural/lockViews.ts"
import { TwinError } from "../../hardware-sim/behavioural/TwinError.ts"

export const makeTwinView = Effect.gen(function*() {
  const layout = yield* Layout
  const locker = yield* LockerTwin.LockerTwin
  const card = yield* CardTwin.CardTwin
  const sms = yield* SmsTwin.SmsTwin
  const scanner = yield* ScannerTwin.ScannerTwin
  const authority = yield* AuthorityTwin.AuthorityTwin

  const channelOf = (slot: Slot): Effect.Effect<Channel, TwinError> =>
    Option.match(channelOfSlot(layout, slot), {
      onSome: Effect.succeed,
      onNone: () => Effect.fail(new TwinError({ message: `no compartment ${slot}` }))
    })

  const state = Effect.gen(function*() {
    const locks = yield* lockViews(locker, layout)
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
