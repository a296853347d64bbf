/**
 * The link to the county server (county/): where the terminal's event log is
 * replicated (core/protocols/replication.ts). The terminal works without it —
 * nothing that opens a door asks the county — and catches up when it is back.
 */
import type { Effect } from "effect"
import { Context, Data } from "effect"
import type { CountyHead, PushRequest, PushResult, ReplicationRefused } from "../protocols/replication.ts"

export class CountyUnreachable extends Data.TaggedError("CountyUnreachable")<{
  /** Network: no answer (down, cut off, timed out); Unauthorized: the county does not know the credential; BadAnswer: an answer that is not the protocol's. */
  readonly reason: "Network" | "Unauthorized" | "BadAnswer"
  readonly message: string
}> {}

export class CountyGateway extends Context.Tag("amtomat/CountyGateway")<CountyGateway, {
  /** What the county holds of this terminal. */
  readonly head: Effect.Effect<CountyHead, CountyUnreachable>
  /** Idempotent by (terminal, seq): a push repeated after a lost answer stores nothing twice. */
  readonly push: (request: PushRequest) => Effect.Effect<PushResult, CountyUnreachable | ReplicationRefused>
}>() {}
