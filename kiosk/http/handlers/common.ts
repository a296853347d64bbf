import { Effect } from "effect"
import { ServiceUnavailable } from "../api.ts"

/** Storage failures are not the caller's fault: 503, logged with their cause. */
export const orUnavailable = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.catchIf(
      (e): e is Extract<E, { readonly _tag: "SqlError" }> => typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "SqlError",
      (e) => Effect.zipRight(Effect.logError("storage failure", e), Effect.fail(new ServiceUnavailable({ message: "the terminal's storage is not available; please try again" })))
    )
  ) as Effect.Effect<A, Exclude<E, { readonly _tag: "SqlError" }> | ServiceUnavailable, R>
