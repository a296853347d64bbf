/**
 * The live streams (/api/staff/stream, /api/twin/stream) over the whole HTTP app, in-process,
 * on the TestClock: one snapshot per change for all streams, caps per session and in all,
 * streams that end with their session, and a slow reader that costs bounded memory.
 */
import { HttpApiBuilder, HttpApp, HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Context, type Duration, Effect, Layer, Runtime, TestClock } from "effect"
import { CompartmentsRepo } from "../../core/persistence/CompartmentsRepo.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { StreamLimits } from "../../kiosk/http/staffFeed.ts"
import { staffMember, testTerminal } from "../support/terminal.ts"

interface Frame {
  readonly event: string
  readonly data: unknown
  /** the chunk it came in, to tell whether streams share one encoded frame */
  readonly chunk: Uint8Array
}

/** A client reading one event stream; `frames` fills as they arrive, `ended` once the body ends. */
interface Client {
  readonly frames: Array<Frame>
  readonly ended: () => boolean
  /** Starts reading (a slow client is opened with `read: false` and starts late). */
  readonly read: () => void
  readonly close: Effect.Effect<void>
}

const client = (response: Response, read = true): Client => {
  const reader = response.body!.getReader()
  const frames: Array<Frame> = []
  let ended = false
  let started = false
  const pump = async () => {
    const decoder = new TextDecoder()
    let buffer = ""
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
      if (done || value === undefined) {
        ended = true
        return
      }
      buffer += decoder.decode(value, { stream: true })
      let cut: number
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event !== undefined && data !== undefined) frames.push({ event, data: JSON.parse(data), chunk: value })
      }
    }
  }
  const start = () => {
    if (started) return
    started = true
    void pump()
  }
  if (read) start()
  return { frames, ended: () => ended, read: start, close: Effect.promise(() => reader.cancel().catch(() => undefined)) }
}

const snapshotsOf = (c: Client) => c.frames.filter((f) => f.event === "snapshot")
const eventsOf = (c: Client) => c.frames.filter((f) => f.event === "event")
const lastSeqOf = (c: Client) => (snapshotsOf(c).at(-1)?.data as { lastSeq?: number } | undefined)?.lastSeq ?? -1

/** Lets promises and fibers run: real I/O callbacks, then `step` of test time; until `check` holds. */
const until = (check: () => boolean, what: string, step: Duration.DurationInput = "50 millis", tries = 200) =>
  Effect.gen(function*() {
    for (let i = 0; i < tries; i++) {
      if (check()) return
      yield* Effect.promise(() => new Promise((r) => setImmediate(r)))
      yield* TestClock.adjust(step)
    }
    if (!check()) return yield* Effect.dieMessage(`not within ${tries} steps: ${what}`)
  })

/** Lets pending work finish: real callbacks, then a second of test time (the debounce, not the 10 s tick). */
const settle = Effect.promise(() => new Promise((r) => setImmediate(r))).pipe(Effect.zipRight(TestClock.adjust("1 second")))

/**
 * The terminal's HTTP app on this test's runtime (so on its TestClock), with `compartments.all`
 * counted: the staff snapshot reads it once per snapshot taken.
 */
const app = (limits: Partial<typeof StreamLimits.Service> = {}) =>
  Effect.gen(function*() {
    const calls = { all: 0 }
    const terminal = testTerminal().pipe(Layer.map((ctx) => {
      const compartments = Context.get(ctx, CompartmentsRepo)
      const all = Effect.suspend(() => (calls.all++, compartments.all))
      return Context.add(ctx, CompartmentsRepo, { ...compartments, all } as typeof compartments)
    }))
    const context = yield* Layer.build(
      Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer).pipe(
        Layer.provideMerge(terminal),
        Layer.provide(Layer.succeed(StreamLimits, { ...StreamLimits.defaultValue(), ...limits }))
      )
    )
    const httpApp = yield* Effect.provide(HttpApiBuilder.httpApp, context)
    const runtime = yield* Effect.runtime<never>()
    const handler = HttpApp.toWebHandlerRuntime(
      Runtime.make({ context: Context.merge(runtime.context, context), fiberRefs: runtime.fiberRefs, runtimeFlags: runtime.runtimeFlags })
    )(httpApp)
    const request = (path: string, init: { readonly token?: string; readonly method?: string } = {}) =>
      Effect.promise(() =>
        handler(
          new Request(`http://terminal${path}`, {
            method: init.method ?? "GET",
            headers: init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }
          })
        )
      )
    const auth = Context.get(context, StaffAuth)
    const log = Context.get(context, EventLog)
    const sql = Context.get(context, SqlClient.SqlClient)
    const signIn = Effect.gen(function*() {
      const member = yield* Effect.provide(staffMember, context)
      const session = yield* auth.login(member.username, "correct horse battery")
      return { token: session.token, member }
    })
    /** Opens a staff stream that must be admitted, and waits for its first snapshot. */
    const open = (token: string, read = true) =>
      Effect.gen(function*() {
        const response = yield* request("/api/staff/stream", { token })
        expect(response.status).toBe(200)
        expect(response.headers.get("content-type")).toContain("text/event-stream")
        const c = client(response, read)
        if (read) yield* until(() => snapshotsOf(c).length > 0, "the first snapshot")
        return c
      })
    return { calls, request, auth, log, sql, signIn, open } as const
  })

describe("/api/staff/stream", () => {
  it.scoped("one snapshot per change for every open stream, encoded once", () =>
    Effect.gen(function*() {
      const t = yield* app({ perToken: 10 })
      const { token, member } = yield* t.signIn
      // the sign-in was a change: let its snapshot be taken first
      yield* settle
      const K = 6
      const clients: Array<Client> = []
      const before = t.calls.all
      for (let i = 0; i < K; i++) clients.push(yield* t.open(token))
      const opening = t.calls.all - before

      const changes = 3
      const counted = t.calls.all
      for (let i = 0; i < changes; i++) {
        const logged = yield* t.log.append({ _tag: "StaffSignedIn", staffId: member.id })
        yield* until(
          () => clients.every((c) => lastSeqOf(c) >= logged.seq && eventsOf(c).some((e) => (e.data as { seq: number }).seq === logged.seq)),
          "every stream has the change"
        )
      }
      const taken = t.calls.all - counted
      // Per-stream snapshots (the old design) would take K per change: 18 here.
      expect(taken).toBeGreaterThanOrEqual(changes)
      expect(taken).toBeLessThanOrEqual(changes + 1)
      expect(taken).toBeLessThan(K * changes)
      // a new stream gets the cached snapshot: opening K streams computed none
      expect(opening).toBe(0)
      // the same bytes went to every stream
      const last = clients.map((c) => snapshotsOf(c).at(-1)!.chunk)
      expect(new Set(last).size).toBe(1)
      for (const c of clients) expect(c.ended()).toBe(false)
      for (const c of clients) yield* c.close
    }))

  it.scoped("at most perToken streams per session and overall in all: 429, and a freed slot is reusable", () =>
    Effect.gen(function*() {
      const t = yield* app({ perToken: 2, overall: 3 })
      const a = yield* t.signIn
      const b = yield* t.signIn
      const a1 = yield* t.open(a.token)
      yield* t.open(a.token)
      const overSession = yield* t.request("/api/staff/stream", { token: a.token })
      expect(overSession.status).toBe(429)
      const body = yield* Effect.promise(() => overSession.json())
      expect(body._tag).toBe("RateLimited")
      expect(body.message).toMatch(/^[^.]+[.;]?[^.]*$/)
      expect(body.message).toContain("2")

      yield* t.open(b.token)
      const overAll = yield* t.request("/api/staff/stream", { token: b.token })
      expect(overAll.status).toBe(429)
      expect(yield* Effect.promise(() => overAll.json())).toMatchObject({ _tag: "RateLimited", message: expect.stringContaining("3") })
      // a refused stream costs nothing: still refused, not counted twice
      expect((yield* t.request("/api/staff/stream", { token: a.token })).status).toBe(429)
      // no sign-in: 401, not 429
      expect((yield* t.request("/api/staff/stream", { token: "nonsense" })).status).toBe(401)
      // HEAD takes no slot
      expect((yield* t.request("/api/staff/stream", { token: b.token, method: "HEAD" })).status).toBe(200)

      // one of a's closes: a may open one again, and then the terminal is full again
      yield* a1.close
      yield* until(() => a1.ended(), "the closed stream ends")
      let reopened: Response | undefined
      for (let i = 0; i < 50 && reopened === undefined; i++) {
        const r = yield* t.request("/api/staff/stream", { token: a.token })
        if (r.status === 200) reopened = r
        else yield* Effect.promise(() => r.text().then(() => new Promise((done) => setImmediate(done))))
      }
      expect(reopened?.status).toBe(200)
      const again = client(reopened!)
      yield* until(() => snapshotsOf(again).length > 0, "the reopened stream's snapshot")
      expect((yield* t.request("/api/staff/stream", { token: b.token })).status).toBe(429)
      yield* again.close
    }))

  it.scoped("logout ends the session's open streams at once", () =>
    Effect.gen(function*() {
      const t = yield* app()
      const a = yield* t.signIn
      const other = yield* t.signIn
      const s1 = yield* t.open(a.token)
      const s2 = yield* t.open(a.token)
      const bystander = yield* t.open(other.token)
      const out = yield* t.request("/api/staff/logout", { token: a.token, method: "POST" })
      expect(out.status).toBeLessThan(300)
      // no test time passes: the logout itself ends them
      for (let i = 0; i < 50 && !(s1.ended() && s2.ended()); i++) yield* Effect.promise(() => new Promise((r) => setImmediate(r)))
      expect(s1.ended()).toBe(true)
      expect(s2.ended()).toBe(true)
      expect(bystander.ended()).toBe(false)
      expect((yield* t.request("/api/staff/stream", { token: a.token })).status).toBe(401)
      // the slots were freed: the other session can use all of its own
      const more = [yield* t.open(other.token), yield* t.open(other.token), yield* t.open(other.token)]
      for (const c of [bystander, ...more]) yield* c.close
    }))

  it.scoped("a stream ends when its session expires, and at most 30 s after the session was removed otherwise", () =>
    Effect.gen(function*() {
      const t = yield* app()
      const a = yield* t.signIn
      // a session signed in nearly 8 hours ago: 5 s left
      const now = yield* TestClock.currentTimeMillis
      yield* t.sql`UPDATE staff_sessions SET expires_at = ${now + 5000} WHERE staff_id = ${a.member.id}`
      const s = yield* t.open(a.token)
      yield* TestClock.adjust("4 seconds")
      yield* Effect.promise(() => new Promise((r) => setImmediate(r)))
      expect(s.ended()).toBe(false)
      yield* until(() => s.ended(), "the expired session's stream ends", "100 millis", 20)
      expect((yield* TestClock.currentTimeMillis) - now).toBeLessThanOrEqual(6000)
      expect((yield* t.request("/api/staff/stream", { token: a.token })).status).toBe(401)

      // removed by other means (retention, an administrator): the next re-check ends it
      const b = yield* t.signIn
      const r = yield* t.open(b.token)
      yield* t.sql`DELETE FROM staff_sessions WHERE staff_id = ${b.member.id}`
      yield* TestClock.adjust("29 seconds")
      yield* Effect.promise(() => new Promise((r) => setImmediate(r)))
      expect(r.ended()).toBe(false)
      yield* until(() => r.ended(), "the removed session's stream ends", "500 millis", 10)
    }))

  it.scoped("a client that never reads holds a bounded backlog and does not hold up the others", () =>
    Effect.gen(function*() {
      const buffer = 16
      const t = yield* app({ buffer, perToken: 10 })
      const { token, member } = yield* t.signIn
      const slow = yield* t.open(token, false)
      const fast = yield* t.open(token)
      const total = 300
      let last = 0
      for (let batch = 0; batch < total / 10; batch++) {
        for (let i = 0; i < 10; i++) last = (yield* t.log.append({ _tag: "StaffSignedIn", staffId: member.id })).seq
        yield* until(() => eventsOf(fast).some((e) => (e.data as { seq: number }).seq === last), "the fast client keeps up", "1 millis")
      }
      // the fast client got every event, in order
      const seqs = eventsOf(fast).map((e) => (e.data as { seq: number }).seq)
      expect(seqs.length).toBeGreaterThanOrEqual(total)
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y))
      yield* until(() => lastSeqOf(fast) >= last, "the fast client's latest snapshot")

      // the slow one reads at last: the latest snapshot, and only the newest events
      slow.read()
      yield* until(() => lastSeqOf(slow) >= last, "the slow client catches up with the latest snapshot")
      yield* Effect.promise(() => new Promise((r) => setImmediate(r)))
      const missed = eventsOf(slow).length
      expect(missed).toBeLessThan(3 * buffer + 10)
      expect(eventsOf(slow).at(-1)?.data).toMatchObject({ seq: last })
      yield* slow.close
      yield* fast.close
    }))
})

describe("/api/twin/stream", () => {
  it.scoped("the twin's state, shared by every panel and capped", () =>
    Effect.gen(function*() {
      const t = yield* app({ overall: 2 })
      const p1 = client(yield* t.request("/api/twin/stream"))
      const p2 = client(yield* t.request("/api/twin/stream"))
      yield* until(() => [p1, p2].every((c) => c.frames.some((f) => f.event === "state")), "both panels have the state")
      expect(p1.frames[0]!.data).toMatchObject({ state: { locks: expect.any(Array) }, inbox: expect.any(Array) })
      expect(p1.frames[0]!.chunk).toBe(p2.frames[0]!.chunk)
      const third = yield* t.request("/api/twin/stream")
      expect(third.status).toBe(429)
      expect(yield* Effect.promise(() => third.json())).toMatchObject({ _tag: "RateLimited" })
      yield* p1.close
      yield* p2.close
    }))
})
