/**
 * Behavioural twin of the offices' intake: accepts submissions and answers
 * with a file number, or is unavailable, or rejects. Idempotent by
 * application id, like a real intake with deduplication.
 */
import { Context, Effect, Layer, Ref } from "effect"
import { AuthorityError } from "../../core/domain/errors.ts"
import { AuthorityGateway, type Submission } from "../../core/ports/AuthorityGateway.ts"

export type AuthorityMode = "accept" | "unavailable" | "reject"

export interface AuthorityTwinControl {
  readonly received: Effect.Effect<ReadonlyArray<Submission & { readonly authorityReference: string }>>
  readonly setMode: (mode: AuthorityMode) => Effect.Effect<void>
  readonly mode: Effect.Effect<AuthorityMode>
  readonly attempts: Effect.Effect<number>
}

export class AuthorityTwin extends Context.Tag("amtomat/twin/AuthorityTwin")<AuthorityTwin, AuthorityTwinControl>() {}

export const make = Effect.gen(function*() {
  const received = yield* Ref.make<ReadonlyArray<Submission & { readonly authorityReference: string }>>([])
  const mode = yield* Ref.make<AuthorityMode>("accept")
  const attempts = yield* Ref.make(0)

  const port = AuthorityGateway.of({
    deliver: (submission) =>
      Effect.gen(function*() {
        yield* Ref.update(attempts, (n) => n + 1)
        const m = yield* Ref.get(mode)
        if (m === "unavailable") return yield* new AuthorityError({ reason: "Unavailable", message: `office ${submission.office} not reachable` })
        if (m === "reject") return yield* new AuthorityError({ reason: "Rejected", message: `office ${submission.office} refused the submission` })
        const seen = (yield* Ref.get(received)).find((s) => s.applicationId === submission.applicationId)
        if (seen) return { authorityReference: seen.authorityReference }
        const count = (yield* Ref.get(received)).length + 1
        const authorityReference = `${submission.office.slice(0, 3).toUpperCase()}-${String(count).padStart(5, "0")}`
        yield* Ref.update(received, (xs) => [...xs, { ...submission, authorityReference }])
        return { authorityReference }
      })
  })
  const control: AuthorityTwinControl = {
    received: Ref.get(received),
    setMode: (m) => Ref.set(mode, m),
    mode: Ref.get(mode),
    attempts: Ref.get(attempts)
  }
  return { port, control }
})

export const layer = Layer.effectContext(
  Effect.map(make, ({ control, port }) => Context.make(AuthorityGateway, port).pipe(Context.add(AuthorityTwin, control)))
)
