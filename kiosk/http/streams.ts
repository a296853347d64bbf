/**
 * Live feeds as server-sent events (text/event-stream).
 *
 * GET /api/staff/stream (bearer token, like the staff API): a `snapshot`
 * (every compartment, the open alarms, the last event's number) at once and after every change of a
 * door, a sensor or the event log; each logged event as an `event`.
 * GET /api/twin/stream (twin devices only): the twin's `state` after every change.
 * A comment line every 15 s keeps proxies from closing an idle connection.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { type Duration, Effect, Schedule, Stream } from "effect"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import { Alarms } from "../../core/workflows/Alarms.ts"
import { Compartments } from "../../core/workflows/Compartments.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { makeTwinView } from "./twinState.ts"

const encoder = new TextEncoder()
const frame = (event: string, data: unknown) => encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
const heartbeat = Stream.repeatEffectWithSchedule(Effect.succeed(encoder.encode(": ping\n\n")), Schedule.spaced("15 seconds")).pipe(Stream.drop(1))

const sseHeaders = { "cache-control": "no-store", "x-accel-buffering": "no" }
const sse = (body: Stream.Stream<Uint8Array>) =>
  HttpServerResponse.stream(body, { contentType: "text/event-stream", headers: sseHeaders })

/**
 * Snapshots after changes: `changes` only says "something happened"; the
 * snapshot is taken a moment later (debounced), once the workflows have
 * written what they saw, and at least every `every` as a safety net.
 */
const snapshots = <A, E>(changes: Stream.Stream<unknown>, snapshot: Effect.Effect<A, E>, every: Duration.DurationInput) =>
  Stream.merge(changes, Stream.tick(every)).pipe(
    Stream.debounce("120 millis"),
    Stream.mapEffect(() => Effect.option(snapshot)),
    Stream.filterMap((found) => found)
  )

export const staffStreamRoute = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const log = yield* EventLog
    const locker = yield* LockerBank
    const compartments = yield* Compartments
    const alarms = yield* Alarms
    const auth = yield* StaffAuth
    const sql = yield* SqlClient.SqlClient
    const lastSeq = Effect.map(sql<{ seq: number | null }>`SELECT MAX(seq) AS seq FROM events`, (rows) => rows[0]?.seq ?? 0)
    const snapshot = Effect.all({ compartments: compartments.all, alarms: alarms.list(true), lastSeq })
    yield* router.get("/api/staff/stream", Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const token = (request.headers["authorization"] ?? "").replace(/^Bearer\s+/i, "")
      const member = yield* Effect.either(auth.authenticate(token))
      if (member._tag === "Left" || token === "") {
        return HttpServerResponse.unsafeJson({ _tag: "Unauthorized", message: "not signed in or the session has expired" }, { status: 401 })
      }
      const first = Stream.fromEffect(Effect.orDie(snapshot))
      const later = snapshots(Stream.merge(log.live, locker.changes), snapshot, "10 seconds")
      const body = Stream.mergeAll([
        Stream.merge(first, later).pipe(Stream.map((s) => frame("snapshot", s))),
        log.live.pipe(Stream.map((e) => frame("event", e))),
        heartbeat
      ], { concurrency: "unbounded" })
      return sse(body)
    }))
  }))

export const twinStreamRoute = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const log = yield* EventLog
    const view = yield* makeTwinView
    const locker = yield* LockerBank
    const state = Effect.all({ state: view.state, inbox: view.sms.inbox() })
    yield* router.get("/api/twin/stream", Effect.sync(() => {
      const body = Stream.mergeAll([
        Stream.merge(Stream.fromEffect(state), snapshots(Stream.merge(log.live, locker.changes), state, "2 seconds")).pipe(
          Stream.map((s) => frame("state", s))
        ),
        heartbeat
      ], { concurrency: "unbounded" })
      return sse(body)
    }))
  }))
