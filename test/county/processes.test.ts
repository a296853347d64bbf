/**
 * The county and two terminals as the processes a county runs — `amtomat county serve` on the
 * run's real PostgreSQL, two `amtomat serve --county …` — and the network between them broken
 * on purpose: the county killed (SIGKILL) while a terminal restarts and staff sign in, then
 * started again; one terminal's connection cut at a TCP relay and restored. Afterwards each
 * terminal's log is at the county exactly once, in order, chain intact, with no alarm; and
 * `audit verify --county` passes the real file and catches the same file with its tail cut;
 * county staff made with `county staff add` see both terminals caught up; an order announced
 * at the county for the cut-off terminal waits in the queue and arrives once it is back (its
 * phone number at that terminal only), one cancelled meanwhile never does.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Exit, Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { writeFileSync } from "node:fs"
import { connect, createServer, type Server, type Socket } from "node:net"
import { dirname, join } from "node:path"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { GENESIS } from "../../core/persistence/EventLog.ts"
import { readLog } from "../../kiosk/cli/audit.ts"
import { bin, freePort, root, run, serve, type Served } from "../../kiosk/harness/process.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { freshPostgres } from "../support/databases.ts"

const postgresUrl = inject("postgresUrl")

/** A TCP relay in front of the county that can cut every connection and refuse new ones, then come back. */
const relay = async (target: number) => {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let server: Server | null = null
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target, "127.0.0.1")
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on("close", () => sockets.delete(s))
          s.on("error", () => s.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      server.listen(port, "127.0.0.1", () => resolve())
    })
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      if (server === null) return resolve()
      server.close(() => resolve())
      server = null
    })
  await open()
  return { url: `http://127.0.0.1:${port}`, cut, restore: open }
}

interface County {
  readonly child: ChildProcess
  readonly output: () => string
}

const startCounty = async (pgUrl: string, port: number): Promise<County> => {
  const child = spawn(process.execPath, [bin, "county", "serve", "--pg", pgUrl, "--port", String(port), "--host", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  for (let i = 0; i < 300 && !output.includes("Listening on"); i++) {
    if (child.exitCode !== null) throw new Error(`amtomat county serve exited: ${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  // once it says it listens, the very first request is answered (Node answers nothing that comes before the handler)
  const first = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => e)
  if (first instanceof Response && first.ok) return { child, output: () => output }
  throw new Error(`amtomat county serve did not answer: ${output}`)
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
    child.kill("SIGKILL")
  })

/** The terminal file's log, read as `audit verify` reads it (read-only, beside the running terminal). */
const terminalLog = (file: string) =>
  Effect.runPromise(Effect.map(readLog(file), ({ rows }) => rows.map((r) => ({ seq: r.seq, hash: r.hash, prev_hash: r.prev_hash }))))

describe.skipIf(postgresUrl === "")("the county and two terminals as processes, the network broken and restored", () => {
  const scope = Effect.runSync(Scope.make())
  let countyPg = ""
  let client: pg.Client
  const countyRows = async (terminal: string) =>
    (await client.query<{ seq: string; hash: string; prev_hash: string }>(
      "SELECT seq, hash, prev_hash FROM county_events WHERE terminal = $1 ORDER BY seq",
      [terminal]
    )).rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, prev_hash: r.prev_hash }))

  /** Until the county holds exactly the terminal's log (its head is what the terminal reported). */
  const caughtUp = async (terminal: string, file: string) => {
    for (let i = 0; i < 600; i++) {
      const [mine, theirs] = [await terminalLog(file), await countyRows(terminal)]
      if (mine.length > 0 && JSON.stringify(mine) === JSON.stringify(theirs)) return mine.length
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`terminal ${terminal} did not catch up: the county holds ${(await countyRows(terminal)).length} of ${(await terminalLog(file)).length}`)
  }

  beforeAll(async () => {
    countyPg = (await Effect.runPromise(Scope.extend(freshPostgres(postgresUrl), scope))).url
    client = new pg.Client({ connectionString: countyPg })
  })
  /** Run before the database is dropped: a failed assertion must not leave a county holding connections. */
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup()
    await client.end().catch(() => undefined)
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it(
    "every event of every terminal reaches the county once, in order, after kills, restarts and a cut connection; audit verify --county catches a cut tail",
    async () => {
      const countyPort = await freePort()
      let county = await startCounty(countyPg, countyPort)
      cleanups.push(() => kill(county.child)) // the latest county, whatever an assertion left running
      await client.connect()
      const terminals = [{ id: "T1", site: "Mayen" }, { id: "T2", site: "Andernach" }].map((t) => {
        const db = tempDb()
        return { ...t, db, credential: join(dirname(db), `${t.id}.county`), policy: join(dirname(db), `${t.id}.policy.json`) }
      })
      for (const t of terminals) {
        const added = await run(["county", "terminal", "add", "--pg", countyPg, "--terminal", t.id, "--site", t.site, "--out", t.credential])
        expect(added.code, added.stderr).toBe(0)
        writeFileSync(t.policy, JSON.stringify({ terminalId: t.id }))
      }
      const [t1, t2] = terminals as [typeof terminals[0], typeof terminals[0]]
      const link = await relay(countyPort)
      cleanups.push(link.cut)
      const countyUrl = `http://127.0.0.1:${countyPort}`
      const start = (t: typeof t1, url: string) =>
        serve(["--db", t.db, "--demo", "--site", t.site, "--policy", t.policy, "--county", url, "--county-credential", t.credential])
      // county staff, to announce orders at the county while T2 is cut off
      process.env["AMTOMAT_STAFF_PASSWORD"] = "county staff password"
      try {
        const noSite = await run(["county", "staff", "add", "--pg", countyPg, "--username", "clerk", "--name", "Clerk", "--role", "clerk"])
        expect(noSite.code).not.toBe(0)
        expect(noSite.stderr).toContain("site: a clerk needs the site they work at")
        const added = await run(["county", "staff", "add", "--pg", countyPg, "--username", "chief", "--name", "Chief", "--role", "county"])
        expect(added.code, added.stderr).toBe(0)
      } finally {
        delete process.env["AMTOMAT_STAFF_PASSWORD"]
      }
      const countyToken = async () => {
        const login = await fetch(`${countyUrl}/api/v1/staff/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "chief", password: "county staff password" })
        })
        return (await login.json() as { token: string }).token
      }
      const atCounty = async (path: string, body?: unknown) => {
        const response = await fetch(`${countyUrl}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { authorization: `Bearer ${await countyToken()}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        return { status: response.status, body: await response.json() as Record<string, unknown> & Array<Record<string, unknown>> }
      }
      const signIn = async (served: Served, times: number) => {
        for (let i = 0; i < times; i++) {
          const response = await fetch(`${served.base}/api/staff/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "demo", password: "amtomat-demo" })
          })
          expect(response.status).toBe(200)
        }
      }
      let one = await start(t1, countyUrl)
      const two = await start(t2, link.url)
      try {
        await caughtUp("T1", t1.db)
        await caughtUp("T2", t2.db)

        // the county dies; T1 restarts and T2's staff sign in while it is gone
        await kill(county.child)
        await one.stop()
        one = await start(t1, countyUrl)
        await signIn(two, 3)
        const whileDown = await countyRows("T2")
        expect(whileDown.length).toBeLessThan((await terminalLog(t2.db)).length)
        county = await startCounty(countyPg, countyPort)
        await caughtUp("T1", t1.db)
        await caughtUp("T2", t2.db)

        // T2's connection cut at the relay: T1 goes on, T2 waits, then catches up; orders announced
        // for T2 meanwhile queue at the county (one cancelled while queued never arrives)
        await link.cut()
        const before = (await countyRows("T2")).length
        const order = { documentKind: "passport", phone: "+4915187654321", requiresOldDocument: false }
        const kept = await atCounty("/api/v1/orders", { to: { terminal: "T2" }, ...order })
        expect(kept.status, JSON.stringify(kept.body)).toBe(201)
        const dropped = await atCounty("/api/v1/orders", { to: { terminal: "T2" }, ...order, phone: "+4915111111111" })
        expect((await atCounty(`/api/v1/orders/${String(dropped.body["id"])}/cancel`, {})).body["status"]).toBe("cancelled")
        const bad = await atCounty("/api/v1/orders", { to: { terminal: "T2" }, ...order, phone: "0151 2345678" })
        expect(bad.status).toBe(400)
        await signIn(two, 4)
        await signIn(one, 2)
        await caughtUp("T1", t1.db)
        expect((await countyRows("T2")).length).toBe(before)
        await new Promise((r) => setTimeout(r, 2000))
        expect((await atCounty("/api/v1/orders")).body.find((o) => o["id"] === kept.body["id"])?.["status"]).toBe("queued")
        await link.restore()
        const n2 = await caughtUp("T2", t2.db)
        expect(n2).toBe((await terminalLog(t2.db)).length)
        let taken: Record<string, unknown> | undefined
        for (let i = 0; i < 300 && taken?.["status"] !== "taken"; i++) {
          await new Promise((r) => setTimeout(r, 200))
          taken = (await atCounty("/api/v1/orders")).body.find((o) => o["id"] === kept.body["id"])
        }
        expect(taken).toMatchObject({ status: "taken", phone: null, progress: "announced" })
        const staffLogin = await fetch(`${two.base}/api/staff/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: "demo", password: "amtomat-demo" })
        })
        const staffToken = (await staffLogin.json() as { token: string }).token
        const announcedAtT2 = await (await fetch(`${two.base}/api/staff/orders?status=announced`, {
          headers: { authorization: `Bearer ${staffToken}` }
        })).json() as Array<{ id: string; phone: string | null; documentKind: string }>
        const arrived = announcedAtT2.filter((o) => o.phone === "+4915187654321" || o.phone === "+4915111111111")
        expect(arrived).toEqual([expect.objectContaining({ id: taken!["terminalOrder"], phone: "+4915187654321", documentKind: "passport" })])
        // the phone numbers never reached the county's replica of the log
        await caughtUp("T2", t2.db) // the order's announcement and the sign-in, replicated too
        expect((await client.query("SELECT COUNT(*)::int AS n FROM county_events WHERE data LIKE '%87654321%'")).rows[0].n).toBe(0)
      } finally {
        await one.stop()
        await two.stop()
      }

      for (const t of terminals) {
        const theirs = await countyRows(t.id)
        expect(theirs).toEqual(await terminalLog(t.db))
        expect(theirs.map((r) => r.seq)).toEqual(theirs.map((_, i) => i + 1))
        expect(theirs.every((r, i) => r.prev_hash === (i === 0 ? GENESIS : theirs[i - 1]!.hash))).toBe(true)
      }
      expect((await client.query("SELECT kind FROM county_alarms")).rows).toEqual([])

      // county staff see the fleet caught up
      const fleet = (await atCounty("/api/v1/fleet/terminals")).body
      expect(fleet).toEqual(terminals.map((t) => expect.objectContaining({ terminal: t.id, site: t.site, lag: 0, openAlarms: 0, lastRefusal: null })).reverse())
      // and each terminal's compartment grid as its own table had it: the demo's loaded orders in it
      for (const row of fleet as unknown as Array<{ terminal: string; compartments: Array<{ state: string }> }>) {
        expect(row.compartments.length, row.terminal).toBeGreaterThan(0)
        expect(row.compartments.some((c) => c.state === "loaded"), row.terminal).toBe(true)
      }

      // the real file agrees with the county; the same file with its last three rows cut does not
      const agreed = await run(["audit", "verify", "--db", t1.db, "--county", countyUrl, "--county-credential", t1.credential])
      expect(agreed.code, agreed.stderr).toBe(0)
      const held = (await countyRows("T1")).length
      expect(agreed.stdout).toContain(`holds ${held} events of terminal T1 up to seq ${held}, matching this file (all of them)`)
      await Effect.runPromise(
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          Effect.all([
            sql.unsafe("DROP TRIGGER IF EXISTS events_no_delete"),
            sql`DELETE FROM events WHERE seq > ${held - 3}`
          ])).pipe(Effect.provide(SqliteClient.layer({ filename: t1.db })))
      )
      const cut = await run(["audit", "verify", "--db", t1.db, "--county", countyUrl, "--county-credential", t1.credential])
      expect(cut.code).toBe(1)
      expect(cut.stderr).toContain(`the log was cut: the county holds its events up to seq ${held}, this file ends at seq ${held - 3}`)

      // a county that cannot be asked is a finding, not a pass
      await kill(county.child)
      const away = await run(["audit", "verify", "--db", t2.db, "--county", countyUrl, "--county-credential", t2.credential])
      expect(away.code).toBe(1)
      expect(away.stderr).toMatch(/^not checked against the county: the county at http:\/\/127\.0\.0\.1:\d+ cannot be reached/m)
    },
    240_000
  )
})
