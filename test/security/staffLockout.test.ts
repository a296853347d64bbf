/**
 * The staff lockout under attack: parallel wrong passwords, many user names from one source,
 * user-name enumeration by timing, and the event log filled by failed sign-ins.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { FAILURE_EVENT_MILLIS, LOCK_MILLIS, MAX_FAILURES, SOURCE_MAX_ATTEMPTS, SOURCE_WINDOW_MILLIS, StaffAuth } from "../../core/workflows/StaffAuth.ts"
import { countingSpans } from "../support/spans.ts"
import { testTerminal } from "../support/terminal.ts"
import { STAFF, webHandler } from "../support/webHandler.ts"

const PASSWORD = "correct horse battery"
/** scrypt is real CPU work (tens of scrypt runs per test); generous for a loaded machine. */
const SLOW = 240_000

const failedEvents = Effect.flatMap(EventLog, (log) => log.read({ types: ["StaffSignInFailed"] }))

describe("staff lockout", () => {
  it.effect("48 parallel wrong passwords check exactly MAX_FAILURES of them; the right one then waits for the lock to pass", () =>
    Effect.gen(function*() {
      const auth = yield* StaffAuth
      yield* auth.create("alice", "Alice", "clerk", PASSWORD)
      // A different source for every attempt (a botnet): only the account lock stands in the way.
      const { result, count } = yield* countingSpans(Effect.all(
        Array.from({ length: 48 }, (_, i) => Effect.either(auth.login("alice", `wrong guess ${i}`, `10.0.0.${i}`))),
        { concurrency: "unbounded" }
      ))
      expect(result.every((r) => r._tag === "Left" && r.left._tag === "Unauthorized")).toBe(true)
      expect(count("StaffAuth.checkPassword")).toBe(MAX_FAILURES)
      expect(count("StaffAuth.scrypt")).toBe(48)

      const right = (source: string) => Effect.either(auth.login("alice", PASSWORD, source))
      expect((yield* right("10.1.0.1"))._tag).toBe("Left")
      yield* TestClock.adjust(LOCK_MILLIS - 1000)
      expect((yield* right("10.1.0.2"))._tag).toBe("Left")
      yield* TestClock.adjust(1000)
      const ok = yield* right("10.1.0.3")
      expect(ok._tag).toBe("Right")
    }).pipe(Effect.provide(testTerminal())), SLOW)

  it.effect("a correct password resets the count; a lock that expired starts a fresh count", () =>
    Effect.gen(function*() {
      const auth = yield* StaffAuth
      yield* auth.create("bob", "Bob", "clerk", PASSWORD)
      for (let i = 0; i < MAX_FAILURES - 1; i++) yield* Effect.either(auth.login("bob", "wrong", `s${i}`))
      yield* auth.login("bob", PASSWORD, "s-ok")
      for (let i = 0; i < MAX_FAILURES - 1; i++) yield* Effect.either(auth.login("bob", "wrong", `t${i}`))
      yield* auth.login("bob", PASSWORD, "t-ok")
      for (let i = 0; i < MAX_FAILURES; i++) yield* Effect.either(auth.login("bob", "wrong", `u${i}`))
      yield* TestClock.adjust(LOCK_MILLIS)
      for (let i = 0; i < MAX_FAILURES - 1; i++) yield* Effect.either(auth.login("bob", "wrong", `v${i}`))
      yield* auth.login("bob", PASSWORD, "v-ok")
    }).pipe(Effect.provide(testTerminal())), SLOW)

  it.effect("parallel attempts from one source across many user names stop at the per-source limit with 429 and a retry-after", () =>
    Effect.gen(function*() {
      const auth = yield* StaffAuth
      for (let i = 0; i < 10; i++) yield* auth.create(`user${i}`, `User ${i}`, "clerk", PASSWORD)
      const names = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? `user${i % 10}` : `nobody${i}`))
      const { result, count } = yield* countingSpans(Effect.all(
        names.map((name) => Effect.either(auth.login(name, "wrong password", "192.0.2.7"))),
        { concurrency: "unbounded" }
      ))
      const tags = result.map((r) => (r._tag === "Left" ? r.left._tag : "Right"))
      expect(tags.filter((t) => t === "Unauthorized")).toHaveLength(SOURCE_MAX_ATTEMPTS)
      expect(tags.filter((t) => t === "RateLimited")).toHaveLength(60 - SOURCE_MAX_ATTEMPTS)
      expect(count("StaffAuth.scrypt")).toBe(SOURCE_MAX_ATTEMPTS)
      const limited = result.find((r) => r._tag === "Left" && r.left._tag === "RateLimited")
      expect(limited?._tag === "Left" && limited.left).toMatchObject({
        reason: "TooManySignInAttempts",
        retryAfterSeconds: SOURCE_WINDOW_MILLIS / 1000
      })
      // even the right password is refused from that source; another source is not affected
      expect(yield* Effect.flip(auth.login("user9", PASSWORD, "192.0.2.7"))).toMatchObject({ _tag: "RateLimited" })
      yield* auth.login("user9", PASSWORD, "192.0.2.8")
      yield* TestClock.adjust(SOURCE_WINDOW_MILLIS)
      yield* auth.login("user9", PASSWORD, "192.0.2.7")
    }).pipe(Effect.provide(testTerminal())), SLOW)

  it.effect("unknown and known user names cost one scrypt each and get the same answer", () =>
    Effect.gen(function*() {
      const auth = yield* StaffAuth
      yield* auth.create("carol", "Carol", "clerk", PASSWORD)
      const unknown = yield* countingSpans(Effect.flip(auth.login("mallory", "wrong password", "a")))
      const known = yield* countingSpans(Effect.flip(auth.login("carol", "wrong password", "b")))
      expect(unknown.count("StaffAuth.scrypt")).toBe(1)
      expect(known.count("StaffAuth.scrypt")).toBe(1)
      expect(unknown.result).toEqual(known.result)
      // a locked account costs the same too (else timing would tell locked accounts apart)
      for (let i = 0; i < MAX_FAILURES; i++) yield* Effect.either(auth.login("carol", "wrong", `c${i}`))
      const locked = yield* countingSpans(Effect.flip(auth.login("carol", PASSWORD, "d")))
      expect(locked.count("StaffAuth.scrypt")).toBe(1)
      expect(locked.result).toEqual(known.result)
    }).pipe(Effect.provide(testTerminal())), SLOW)

  it.effect("1,000 failed sign-ins write a bounded number of events that still count every attempt", () =>
    Effect.gen(function*() {
      const auth = yield* StaffAuth
      yield* auth.create("dave", "Dave", "clerk", PASSWORD)
      // a burst at one instant from one source
      yield* Effect.all(
        Array.from({ length: 1000 }, (_, i) => Effect.either(auth.login(i % 2 === 0 ? "dave" : `x${i}`, "wrong", "198.51.100.1"))),
        { concurrency: "unbounded" }
      )
      expect(yield* failedEvents).toHaveLength(1)
      yield* TestClock.adjust(FAILURE_EVENT_MILLIS)
      yield* Effect.either(auth.login("dave", "wrong", "198.51.100.1"))
      const burst = yield* failedEvents
      expect(burst).toHaveLength(2)
      const total = burst.reduce((n, e) => n + (e.event._tag === "StaffSignInFailed" ? e.event.count ?? 1 : 0), 0)
      expect(total).toBe(1001)

      // spread over 1,000 seconds: one event per minute at most
      for (let i = 0; i < 1000; i++) {
        yield* Effect.either(auth.login(i % 2 === 0 ? "dave" : `y${i}`, "wrong", "198.51.100.1"))
        yield* TestClock.adjust(1000)
      }
      const spread = (yield* failedEvents).length - burst.length
      expect(spread).toBeLessThanOrEqual(Math.ceil(1000_000 / FAILURE_EVENT_MILLIS) + 1)
    }).pipe(Effect.provide(testTerminal())), SLOW)
})

describe("staff sign-in over HTTP", () => {
  it("answers 401 with one sentence for unknown and known names, then 429 with retryAfterSeconds past the per-source limit", async () => {
    const app = webHandler()
    try {
      const login = (username: string, password: string) =>
        app.handler(
          new Request("http://t/api/staff/login", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username, password })
          })
        )
      const unknown = await login("nobody", "wrong password")
      const known = await login(STAFF.username, "wrong password")
      expect([unknown.status, known.status]).toEqual([401, 401])
      expect(await unknown.json()).toEqual(await known.json())
      const rest = await Promise.all(Array.from({ length: SOURCE_MAX_ATTEMPTS }, (_, i) => login(`n${i}`, "wrong password")))
      const limited = rest.filter((r) => r.status === 429)
      expect(limited).toHaveLength(2)
      expect(await limited[0]!.json()).toMatchObject({ _tag: "RateLimited", reason: "TooManySignInAttempts", retryAfterSeconds: expect.any(Number) })
    } finally {
      await app.dispose()
    }
  }, SLOW)
})
