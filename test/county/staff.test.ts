/**
 * County staff and the fleet, on SQLite and on the run's PostgreSQL: the account rules, the
 * lock under parallel wrong passwords (and a lock checked before the password, which the
 * same count catches), sessions that end; a clerk who sees only their site and cannot
 * acknowledge another site's alarm, two staff acknowledging one alarm at once; and the API
 * over HTTP, with one sentence for a bad request.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, TestClock } from "effect"
import { inject } from "vitest"
import { checkPassword, LOCK_MILLIS, MAX_FAILURES, SOURCE_MAX_ATTEMPTS, SOURCE_WINDOW_MILLIS } from "../../core/workflows/StaffAuth.ts"
import { nowMillis } from "../../core/workflows/support.ts"
import { CountyStaff } from "../../county/CountyStaff.ts"
import { Fleet } from "../../county/Fleet.ts"
import { countyAppLayer, countyServices } from "../../county/http/server.ts"
import { CountyStaffRepo } from "../../county/persistence/CountyStaffRepo.ts"
import { countyPostgres, countySchema } from "../../county/persistence/database.ts"
import { Registry } from "../../county/Registry.ts"
import { Replication } from "../../county/replication/Replication.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { freshPostgres } from "../support/databases.ts"
import { countingSpans } from "../support/spans.ts"
import { chain, headOf } from "./chain.ts"

const PASSWORD = "correct horse battery"
const SLOW = 240_000
const postgresUrl = inject("postgresUrl")
const freshCounty = Layer.unwrapScoped(Effect.map(freshPostgres(postgresUrl), ({ url }) => countyPostgres(Redacted.make(url))))
const backends = [
  { name: "SQLite", skip: "", layer: () => countySchema.pipe(Layer.provideMerge(SqliteClient.layer({ filename: tempDb() }))) },
  { name: "PostgreSQL", skip: postgresUrl === "" ? inject("postgresMissing") : "", layer: () => freshCounty }
]

/** Two terminals at two sites, each with a refused push (T1's a gap, T2's rows of T1): one open alarm per site. */
const twoSitesWithAlarms = Effect.gen(function*() {
  const registry = yield* Registry
  const replication = yield* Replication
  yield* registry.add("T1", "Mayen")
  yield* registry.add("T2", "Andernach")
  const log = chain(4)
  for (const t of ["T1", "T2"]) {
    // a push that starts at seq 3: a gap, refused with an alarm
    yield* Effect.flip(replication.push(t, { rows: log.slice(2), through: headOf(log) }))
  }
})

for (const db of backends) {
  describe.skipIf(db.skip)(`county staff on ${db.name}`, () => {
    const county = () => countyServices.pipe(Layer.provideMerge(db.layer()), Layer.orDie)

    it.effect("accounts: a clerk needs a site, county staff have none, a user name once, a real password", () =>
      Effect.gen(function*() {
        const staff = yield* CountyStaff
        const refused = (r: Parameters<typeof staff.create>[0]) => Effect.map(Effect.flip(staff.create(r)), (e) => e.message)
        const base = { username: "anna", displayName: "Anna", password: PASSWORD }
        expect(yield* refused({ ...base, role: "clerk", site: null })).toBe("site: a clerk needs the site they work at")
        expect(yield* refused({ ...base, role: "county", site: "Mayen" })).toBe("site: county staff see every site; leave --site out")
        expect(yield* refused({ ...base, role: "clerk", site: "Mayen", password: "short" })).toBe("password: must have at least 10 characters")
        expect(yield* refused({ ...base, username: "anna smith", role: "county", site: null })).toMatch(/^username: /)
        expect(yield* staff.create({ ...base, role: "clerk", site: "Mayen" })).toMatchObject({ role: "clerk", site: "Mayen" })
        expect(yield* refused({ ...base, role: "county", site: null })).toBe("user anna exists")
      }).pipe(Effect.provide(county())), SLOW)

    it.effect("parallel wrong passwords check exactly MAX_FAILURES of them; the right one waits for the lock; a session ends", () =>
      Effect.gen(function*() {
        const staff = yield* CountyStaff
        yield* staff.create({ username: "anna", displayName: "Anna", role: "county", site: null, password: PASSWORD })
        const { count, result } = yield* countingSpans(Effect.all(
          // a different address for every attempt (a botnet): only the account lock stands in the way
          Array.from({ length: 24 }, (_, i) => Effect.either(staff.login("anna", `wrong guess ${i}`, `10.0.0.${i}`))),
          { concurrency: "unbounded" }
        ))
        expect(result.every((r) => r._tag === "Left" && r.left._tag === "Unauthorized")).toBe(true)
        expect(count("CountyStaff.checkPassword")).toBe(MAX_FAILURES)
        expect(count("CountyStaff.checkDummy")).toBe(24 - MAX_FAILURES)
        expect((yield* Effect.either(staff.login("anna", PASSWORD)))._tag).toBe("Left")
        yield* TestClock.adjust(LOCK_MILLIS)
        const { token } = yield* staff.login("anna", PASSWORD)
        expect((yield* staff.authenticate(token)).username).toBe("anna")
        yield* staff.logout(token)
        expect(yield* Effect.flip(staff.authenticate(token))).toMatchObject({ _tag: "Unauthorized" })
        const second = yield* staff.login("anna", PASSWORD)
        yield* TestClock.adjust("8 hours")
        expect(yield* Effect.flip(staff.authenticate(second.token))).toMatchObject({ _tag: "Unauthorized" })
      }).pipe(Effect.provide(county())), SLOW)

    it.effect("one address gets SOURCE_MAX_ATTEMPTS attempts per window whatever names it tries, counted before any scrypt run", () =>
      Effect.gen(function*() {
        const staff = yield* CountyStaff
        yield* staff.create({ username: "anna", displayName: "Anna", role: "county", site: null, password: PASSWORD })
        const { count, result } = yield* countingSpans(Effect.all(
          Array.from({ length: SOURCE_MAX_ATTEMPTS + 6 }, (_, i) => Effect.either(staff.login(`name${i}`, "guess", "192.0.2.7"))),
          { concurrency: "unbounded" }
        ))
        expect(count("StaffAuth.scrypt")).toBe(SOURCE_MAX_ATTEMPTS)
        const limited = result.filter((r) => r._tag === "Left" && r.left._tag === "RateLimited")
        expect(limited.length).toBe(6)
        expect(limited[0]).toMatchObject({ left: { message: "too many sign-in attempts from this address; please wait" } })
        // the right password from that address waits too; from another it works
        expect(yield* Effect.flip(staff.login("anna", PASSWORD, "192.0.2.7"))).toMatchObject({ _tag: "RateLimited" })
        expect((yield* staff.login("anna", PASSWORD, "198.51.100.1")).staff.username).toBe("anna")
        yield* TestClock.adjust(SOURCE_WINDOW_MILLIS)
        expect((yield* staff.login("anna", PASSWORD, "192.0.2.7")).staff.username).toBe("anna")
      }).pipe(Effect.provide(county())), SLOW)

    it.effect("the same count catches a lock that is looked at before the password and counted after it", () =>
      Effect.gen(function*() {
        const staff = yield* CountyStaff
        const repo = yield* CountyStaffRepo
        yield* staff.create({ username: "anna", displayName: "Anna", role: "county", site: null, password: PASSWORD })
        // the mutant: read the lock, check the password, and only then count the failure
        const lookThenCount = (password: string) =>
          Effect.gen(function*() {
            const now = yield* nowMillis
            const row = Option.getOrThrow(yield* repo.byUsername("anna"))
            if (row.locked_until > now) return false
            const ok = yield* checkPassword(password, row.password_hash).pipe(Effect.withSpan("CountyStaff.checkPassword"))
            if (!ok) yield* repo.countAttempt({ username: "anna", now, maxFailures: MAX_FAILURES, lockMillis: LOCK_MILLIS })
            return ok
          })
        const { count } = yield* countingSpans(
          Effect.all(Array.from({ length: 24 }, (_, i) => lookThenCount(`wrong guess ${i}`)), { concurrency: "unbounded" })
        )
        expect(count("CountyStaff.checkPassword")).toBeGreaterThan(MAX_FAILURES)
      }).pipe(Effect.provide(county())), SLOW)

    it.effect("a clerk sees their site only and cannot acknowledge another site's alarm; of two acknowledging at once one wins", () =>
      Effect.gen(function*() {
        const staff = yield* CountyStaff
        const fleet = yield* Fleet
        yield* twoSitesWithAlarms
        const clerk = yield* staff.create({ username: "clerk", displayName: "Clerk", role: "clerk", site: "Mayen", password: PASSWORD })
        const boss = yield* staff.create({ username: "boss", displayName: "Boss", role: "county", site: null, password: PASSWORD })
        const other = yield* staff.create({ username: "other", displayName: "Other", role: "county", site: null, password: PASSWORD })
        expect((yield* fleet.terminals(clerk)).map((t) => t.terminal)).toEqual(["T1"])
        // another terminal's rows under T2's credential say nothing about T2's log: no reported head, no lag
        expect((yield* fleet.terminals(boss)).map((t) => [t.terminal, t.reportedSeq, t.lag])).toEqual([["T2", 0, 0], ["T1", 4, 4]])
        expect((yield* fleet.terminals(boss)).map((t) => [t.terminal, t.site, t.openAlarms, t.lastRefusal])).toEqual([
          ["T2", "Andernach", 1, "WrongTerminal"],
          ["T1", "Mayen", 1, "Gap"]
        ])
        const all = yield* fleet.alarms(boss)
        const andernach = all.find((a) => a.site === "Andernach")!
        expect((yield* fleet.alarms(clerk)).map((a) => a.site)).toEqual(["Mayen"])
        const hidden = yield* Effect.flip(fleet.acknowledge(clerk, andernach.id))
        expect(hidden).toMatchObject({ _tag: "NotFound", message: `there is no alarm ${andernach.id}` })
        expect(yield* Effect.flip(fleet.acknowledge(clerk, "calarm_nonexistent"))).toMatchObject({ _tag: "NotFound" })
        expect((yield* fleet.alarms(boss)).length).toBe(2)

        const [a, b] = yield* Effect.all([Effect.either(fleet.acknowledge(boss, andernach.id)), Effect.either(fleet.acknowledge(other, andernach.id))], {
          concurrency: "unbounded"
        })
        expect([a, b].filter((r) => r._tag === "Right").length).toBe(1)
        const lost = [a, b].find((r) => r._tag === "Left")!
        expect(lost).toMatchObject({ left: { _tag: "Conflict" } })
        expect((yield* fleet.alarms(boss)).map((x) => x.site)).toEqual(["Mayen"])
      }).pipe(Effect.provide(county())), SLOW)
  })
}

describe("the county's staff API over HTTP", () => {
  it("signs in, lists what the member may see, acknowledges; a missing token, another site's alarm and a bad body each get one sentence", async () => {
    const file = tempDb()
    const onFile = () => countySchema.pipe(Layer.provideMerge(SqliteClient.layer({ filename: file })), Layer.orDie)
    await Effect.runPromise(
      Effect.gen(function*() {
        yield* twoSitesWithAlarms
        yield* (yield* CountyStaff).create({ username: "clerk", displayName: "Clerk", role: "clerk", site: "Mayen", password: PASSWORD })
      }).pipe(Effect.provide(countyServices.pipe(Layer.provideMerge(onFile()), Layer.orDie)))
    )
    const { dispose, handler } = HttpApiBuilder.toWebHandler(
      Layer.merge(countyAppLayer.pipe(Layer.provideMerge(onFile()), Layer.orDie), HttpServer.layerContext)
    )
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const response = await handler(
        new Request(`http://county${path}`, {
          method,
          headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
          ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
        })
      )
      return { status: response.status, body: await response.json().catch(() => null) as Record<string, unknown> | null }
    }
    try {
      expect(await call("GET", "/api/v1/fleet/terminals")).toMatchObject({ status: 401, body: { message: "not signed in or the session has expired" } })
      expect(await call("GET", "/api/v1/replication/head", undefined, "not-a-credential")).toMatchObject({
        status: 401,
        body: { message: "the county does not know this terminal credential" }
      })
      expect((await call("POST", "/api/v1/staff/login", { username: "clerk", password: "wrong password" })).status).toBe(401)
      const bad = await call("POST", "/api/v1/staff/login", "{\"username\": 5}")
      expect(bad.status).toBe(400)
      expect(typeof bad.body?.["message"]).toBe("string")
      expect(bad.body?.["message"]).toBe("username: Expected string, actual 5")
      const signedIn = await call("POST", "/api/v1/staff/login", { username: "clerk", password: PASSWORD })
      expect(signedIn.status).toBe(200)
      const token = String(signedIn.body?.["token"])
      expect((await call("GET", "/api/v1/staff/me", undefined, token)).body).toMatchObject({ username: "clerk", role: "clerk", site: "Mayen" })
      const terminals = await call("GET", "/api/v1/fleet/terminals", undefined, token)
      expect(terminals.body).toEqual([expect.objectContaining({ terminal: "T1", site: "Mayen", openAlarms: 1, lag: 4, lastRefusal: "Gap" })])
      const alarms = (await call("GET", "/api/v1/fleet/alarms", undefined, token)).body as unknown as Array<{ id: string; site: string }>
      expect(alarms.map((a) => a.site)).toEqual(["Mayen"])
      const acked = await call("POST", `/api/v1/fleet/alarms/${alarms[0]!.id}/acknowledge`, undefined, token)
      expect(acked).toMatchObject({ status: 200, body: { acknowledgedBy: "clerk" } })
      const again = await call("POST", `/api/v1/fleet/alarms/${alarms[0]!.id}/acknowledge`, undefined, token)
      expect(again.status).toBe(409)
      expect(String(again.body?.["message"])).toMatch(/^alarm calarm_\S+ was acknowledged already, by clerk at /)
      expect((await call("POST", "/api/v1/fleet/alarms/calarm_elsewhere/acknowledge", undefined, token)).status).toBe(404)
      expect((await call("POST", "/api/v1/staff/logout", undefined, token)).status).toBe(204)
      expect((await call("GET", "/api/v1/fleet/alarms", undefined, token)).status).toBe(401)
    } finally {
      await dispose()
    }
  }, SLOW)
})
