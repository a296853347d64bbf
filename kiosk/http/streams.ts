/**
 * Live feeds as server-sent events (text/event-stream).
 *
 * GET /api/staff/stream (bearer token, like the staff API): a `snapshot`
 * (every compartment, the open alarms, the last event's number) at once and after every change of a
 * door, a sensor or the event log; each logged event as an `event`. The stream ends when its
 * session does (logout, expiry, removal). At most StreamLimits.perToken streams per session and
 * StreamLimits.overall in all; over a cap 429.
 * GET /api/twin/stream (twin devices only): the twin's `state` after every change.
 * A comment line every 15 s keeps proxies from closing an idle connection.
 * Snapshots are taken and encoded once for all streams, in ./staffFeed.ts.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, type Stream } from "effect"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { StaffFeed, StreamLimits, type StreamRefused, TwinFeed } from "./staffFeed.ts"

const sseHeaders = { "cache-control": "no-store", "x-accel-buffering": "no" }
const sse = (body: Stream.Stream<Uint8Array>) => HttpServerResponse.stream(body, { contentType: "text/event-stream", headers: sseHeaders })

const refused = (e: StreamRefused) => Effect.succeed(HttpServerResponse.unsafeJson({ _tag: "RateLimited", message: e.message }, { status: 429 }))

/** HEAD gets the headers only: no slot is taken for a body that is never sent. */
const headOnly = HttpServerResponse.empty({ status: 200, headers: { ...sseHeaders, "content-type": "text/event-stream" } })

export const staffStreamRoute = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const auth = yield* StaffAuth
    const feed = yield* StaffFeed
    const limits = yield* StreamLimits
    yield* router.get(
      "/api/staff/stream",
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const token = (request.headers["authorization"] ?? "").replace(/^Bearer\s+/i, "")
        const member = yield* Effect.either(auth.authenticate(token))
        if (member._tag === "Left" || token === "") {
          return HttpServerResponse.unsafeJson({ _tag: "Unauthorized", message: "not signed in or the session has expired" }, { status: 401 })
        }
        if (request.method === "HEAD") return headOnly
        // the slot is the request's: freed when the response ends, however it ends
        yield* feed.admit(token)
        return sse(feed.stream(auth.sessionEnd(token, limits.sessionRecheck)))
      }).pipe(Effect.catchTag("StreamRefused", refused))
    )
  })
).pipe(Layer.provide(StaffFeed.Default))

export const twinStreamRoute = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const feed = yield* TwinFeed
    yield* router.get(
      "/api/twin/stream",
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        if (request.method === "HEAD") return headOnly
        yield* feed.admit()
        return sse(feed.stream)
      }).pipe(Effect.catchTag("StreamRefused", refused))
    )
  })
).pipe(Layer.provide(TwinFeed.Default))
