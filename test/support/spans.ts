/**
 * Counting the spans an effect opens, by name: every scrypt run of a sign-in is one span, so a
 * test can tell how many passwords were really checked.
 */
import { Effect, Tracer } from "effect"

export const countingSpans = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const base = yield* Effect.tracer
    const counts = new Map<string, number>()
    const tracer = Tracer.make({
      span: (name, ...rest) => {
        counts.set(name, (counts.get(name) ?? 0) + 1)
        return base.span(name, ...rest)
      },
      context: (f, fiber) => base.context(f, fiber)
    })
    const result = yield* Effect.withTracer(effect, tracer)
    const count = (name: string) => counts.get(name) ?? 0
    return { result, count } as const
  })
