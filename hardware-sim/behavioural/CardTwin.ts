/**
 * Behavioural twin of the card terminal: a card slot the citizen's hand can
 * put a card into, identifiers derived from a card label (as the terminal's
 * opaque 1F14 would be), and faults: unreadable cards, terminal offline.
 */
import { Context, Effect, Layer, Queue, Ref } from "effect"
import { createHash } from "node:crypto"
import { CardError } from "../../core/domain/errors.ts"
import { CardTerminal } from "../../core/ports/CardTerminal.ts"

export type CardFault = "none" | "unreadable" | "offline"

export interface CardTwinControl {
  /** Puts a card into the slot. The label stands for one physical card: the same label, the same identifier. */
  readonly insert: (label: string) => Effect.Effect<void>
  readonly remove: Effect.Effect<void>
  /** Whether a card is in the slot, not yet read. */
  readonly waiting: Effect.Effect<boolean>
  readonly setFault: (fault: CardFault) => Effect.Effect<void>
  readonly fault: Effect.Effect<CardFault>
  readonly reads: Effect.Effect<number>
}

export class CardTwin extends Context.Tag("amtomat/twin/CardTwin")<CardTwin, CardTwinControl>() {}

/** The opaque identifier the twin terminal reports for a card label (10 bytes, like a 1F14 value). */
export const cardIdOf = (label: string): Uint8Array => new Uint8Array(createHash("sha256").update(`card:${label}`).digest().subarray(0, 10))

export const make = Effect.gen(function*() {
  const slot = yield* Queue.sliding<string>(1)
  const fault = yield* Ref.make<CardFault>("none")
  const reads = yield* Ref.make(0)

  const port = CardTerminal.of({
    readCard: (timeout) =>
      Effect.gen(function*() {
        if ((yield* Ref.get(fault)) === "offline") return yield* new CardError({ reason: "Offline", message: "card terminal does not answer" })
        const label = yield* Queue.take(slot).pipe(
          Effect.timeout(timeout),
          Effect.catchTag("TimeoutException", () => Effect.fail(new CardError({ reason: "Timeout", message: "no card was presented" })))
        )
        if ((yield* Ref.get(fault)) === "unreadable") return yield* new CardError({ reason: "Unreadable", message: "card not readable (result 64)" })
        yield* Ref.update(reads, (n) => n + 1)
        return { cardId: cardIdOf(label) }
      }),
    abort: Effect.asVoid(Queue.takeAll(slot)),
    health: Effect.flatMap(Ref.get(fault), (f) =>
      f === "offline"
        ? Effect.fail(new CardError({ reason: "Offline", message: "card terminal does not answer" }))
        : Effect.succeed({ ready: true, status: "ready" }))
  })

  const control: CardTwinControl = {
    insert: (label) => Effect.asVoid(Queue.offer(slot, label)),
    remove: Effect.asVoid(Queue.takeAll(slot)),
    waiting: Effect.map(Queue.size(slot), (n) => n > 0),
    setFault: (f) => Ref.set(fault, f),
    fault: Ref.get(fault),
    reads: Ref.get(reads)
  }
  return { port, control }
})

export const layer = Layer.effectContext(Effect.map(make, ({ control, port }) => Context.make(CardTerminal, port).pipe(Context.add(CardTwin, control))))
