/**
 * One terminal, one database, against the real CLI process: a second serve
 * on the same database is refused (naming the holder) until the first dies,
 * even by SIGKILL; administration commands keep working beside a running
 * serve; a busy port fails the start before anything is written; bad
 * database paths get one sentence and exit status 1.
 */
import Database from "better-sqlite3"
import { execFile } from "node:child_process"
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, freePort, root, run, serve, type Served } from "../../kiosk/harness/process.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-single-"))
const db = join(dir, "terminal.db")
let first: Served | undefined

const count = (file: string, query: string) => {
  const handle = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (handle.prepare(query).all()[0] as { n: number }).n
  } finally {
    handle.close()
  }
}
const exited = (served: Served) =>
  new Promise<void>((resolve) => served.child.exitCode !== null || served.child.signalCode !== null ? resolve() : served.child.once("exit", () => resolve()))
/** `amtomat …` that must end by itself: a serve that starts instead of refusing is stopped after `ms` (and fails the test). */
const runFor = (args: ReadonlyArray<string>, ms = 30_000) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, timeout: ms }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr })
    })
  })
const oneLine = (stderr: string) => stderr.trim().split("\n").filter((l) => l.trim() !== "")

beforeAll(async () => {
  first = await serve(["--db", db, "--demo"])
  expect((await fetch(`${first.base}/health`)).status).toBe(200)
}, 180_000)
afterAll(async () => {
  await first?.stop()
})

describe("one serve per database", () => {
  it("administration commands keep working beside a running serve", async () => {
    const staff = await new Promise<{ code: number; stderr: string }>((resolve) => {
      process.env["AMTOMAT_STAFF_PASSWORD"] = "night-shift-password"
      run(["staff", "add", "--db", db, "--username", "night", "--name", "Night Shift", "--role", "clerk"]).then(resolve)
      delete process.env["AMTOMAT_STAFF_PASSWORD"]
    })
    expect(staff, staff.stderr).toMatchObject({ code: 0 })
    const verify = await run(["audit", "verify", "--db", db])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain("audit chain intact")
    const events = await run(["events", "--db", db])
    expect(events.code, events.stderr).toBe(0)
    expect(events.stdout).toContain("TerminalStarted")
    const report = await run(["report", "--db", db, "--out", join(dir, "report")])
    expect(report.code, report.stderr).toBe(0)
    expect(existsSync(join(dir, "report", "report.json"))).toBe(true)
    const retention = await run(["retention", "run", "--dry-run", "--db", db])
    expect(retention.code, retention.stderr).toBe(0)
    // the terminal is still there and still answers
    expect((await fetch(`${first!.base}/health`)).status).toBe(200)
  }, 120_000)

  it("a second serve on the same database is refused, naming the holder's pid; after SIGKILL of the first it starts", async () => {
    const events = count(db, "SELECT COUNT(*) AS n FROM events")
    const second = await runFor(["serve", "--db", db, "--port", String(await freePort()), "--host", "127.0.0.1"])
    expect(second.code).toBe(1)
    expect(oneLine(second.stderr)).toHaveLength(1)
    expect(second.stderr).toContain(`is in use by another amtomat serve (pid ${first!.child.pid}, since `)
    expect(count(db, "SELECT COUNT(*) AS n FROM events")).toBe(events)

    first!.child.kill("SIGKILL")
    await exited(first!)
    // the lock went with the process: no stale file to delete by hand
    first = await serve(["--db", db])
    expect((await fetch(`${first.base}/health`)).status).toBe(200)
    const third = await runFor(["serve", "--db", db, "--port", String(await freePort()), "--host", "127.0.0.1"])
    expect(third.code).toBe(1)
    expect(third.stderr).toContain(`(pid ${first.child.pid}, since `)
  }, 120_000)
})

describe("a busy port", () => {
  let blocker: Server
  let port: number
  beforeAll(async () => {
    port = await freePort()
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", () => resolve()))
  })
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())))

  it("fails the start before anything is written: no start event, no demo orders", async () => {
    const other = join(dir, "other.db")
    // a database that has been used before: boot wrote its start event, the demo its orders
    const once = await serve(["--db", other])
    await once.stop()
    const events = count(other, "SELECT COUNT(*) AS n FROM events")
    const orders = count(other, "SELECT COUNT(*) AS n FROM orders")
    const r = await runFor(["serve", "--db", other, "--port", String(port), "--host", "127.0.0.1", "--demo"])
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toEqual([`amtomat: port ${port} on 127.0.0.1 is already in use (another amtomat serve?)`])
    expect(count(other, "SELECT COUNT(*) AS n FROM events")).toBe(events)
    expect(count(other, "SELECT COUNT(*) AS n FROM orders")).toBe(orders)
    expect(orders).toBe(0)
    // and a fresh database is not even created
    const fresh = join(dir, "fresh", "terminal.db")
    const f = await runFor(["serve", "--db", fresh, "--port", String(port), "--host", "127.0.0.1", "--demo"])
    expect(f.code).toBe(1)
    expect(f.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    expect(existsSync(fresh)).toBe(false)
  }, 120_000)
})

describe("bad database paths: one sentence, exit status 1", () => {
  const bad = join(dir, "bad")
  mkdirSync(join(bad, "folder.db"), { recursive: true })
  writeFileSync(join(bad, "a-file"), "x")
  writeFileSync(join(bad, "text.db"), "this is not a database, it is a shopping list\n")
  const cases: ReadonlyArray<readonly [string, () => string, string]> = [
    ["a folder", () => join(bad, "folder.db"), "is a folder, not a database file"],
    ["a folder that cannot be created", () => join(bad, "a-file", "sub", "terminal.db"), "cannot create the folder"],
    ["a read-only file", () => {
      const file = join(bad, "readonly.db")
      copyFileSync(join(dir, "other.db"), file)
      chmodSync(file, 0o444)
      return file
    }, "is read-only"],
    ["a file that is not a database", () => join(bad, "text.db"), "is not an SQLite database"]
  ]
  for (const [what, path, says] of cases) {
    it(`${what}`, async () => {
      const r = await runFor(["serve", "--db", path(), "--port", String(await freePort()), "--host", "127.0.0.1"])
      expect(r.code).toBe(1)
      const lines = oneLine(r.stderr)
      expect(lines, r.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(/^amtomat: /)
      expect(lines[0]).toContain(says)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }, 60_000)
  }
})
