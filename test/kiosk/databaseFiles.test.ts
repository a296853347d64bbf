/**
 * Database files that are not a healthy, writable database, against the real
 * CLI process: a copy on read-only media (a real read-only mount when this
 * runs as root, and a read-only folder) reads the same as the writable
 * original, committed rows still in the -wal included, without touching the
 * medium; a damaged file (garbage pages, truncated) gets one sentence and exit
 * status 1 from `serve` and `events`; corruption found while running answers
 * 503 with one sentence and logs a line for operators.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { SqlError } from "@effect/sql/SqlError"
import Database from "better-sqlite3"
import { Effect, Logger } from "effect"
import { execFile, execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bin, freePort, root, run, serve } from "../../kiosk/harness/process.ts"
import { orUnavailable } from "../../kiosk/http/handlers/common.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-dbfiles-"))
const original = join(dir, "terminal", "amtomat.db")

/** `amtomat …` that must end by itself (a serve that starts instead of refusing is stopped after `ms`). */
const runFor = (args: ReadonlyArray<string>, ms = 30_000) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, timeout: ms }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr })
    })
  })
const lines = (text: string) => text.trim().split("\n").filter((l) => l.trim() !== "")
const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex")
/** report.json without what names the run: when and from which path. */
const reportOf = (folder: string) => {
  const json = JSON.parse(readFileSync(join(folder, "report.json"), "utf8"))
  delete json.generatedAt
  delete json.source.path
  return json
}

/** The calls of better-sqlite3 used here (test/crash/better-sqlite3.d.ts declares only a few). */
interface Handle {
  pragma(source: string): unknown
  prepare(
    source: string
  ): {
    all(...params: ReadonlyArray<unknown>): Array<unknown>
    get(...params: ReadonlyArray<unknown>): unknown
    run(...params: ReadonlyArray<unknown>): unknown
  }
  close(): void
}
const openHandle = (file: string, options?: { readonly readonly?: boolean }) => new Database(file, options) as unknown as Handle

/**
 * A copy of the original with three more committed events that are still in
 * its -wal: the connection stays open (no checkpoint) until `close`.
 */
const withRowsInWal = (target: string) => {
  copyFileSync(original, target)
  const handle = openHandle(target)
  handle.pragma("journal_mode = WAL")
  handle.pragma("wal_autocheckpoint = 0")
  const columns = (handle.prepare("PRAGMA table_info(events)").all() as ReadonlyArray<{ name: string }>).map((c) => c.name)
  const last = handle.prepare("SELECT MAX(seq) AS seq FROM events").get() as { seq: number }
  const copyRow = handle.prepare(
    `INSERT INTO events (${columns.join(", ")}) SELECT ${columns.map((c) => (c === "seq" ? "? AS seq" : c)).join(", ")} FROM events WHERE seq = ?`
  )
  for (let k = 1; k <= 3; k++) copyRow.run(last.seq + k, last.seq)
  return { lastSeq: last.seq + 3, close: () => handle.close() }
}

/** A real read-only medium: a tmpfs mounted, filled, then remounted read-only (needs root); undefined with the reason if not possible. */
const mountReadOnly = (
  folder: string,
  fill: (folder: string) => void
): { readonly ok: true; readonly unmount: () => void } | { readonly ok: false; readonly why: string } => {
  mkdirSync(folder, { recursive: true })
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", folder], { stdio: "pipe" })
  } catch (e) {
    return { ok: false, why: String((e as { stderr?: unknown }).stderr ?? e).trim() }
  }
  const unmount = () => execFileSync("umount", [folder], { stdio: "pipe" })
  try {
    fill(folder)
    execFileSync("mount", ["-o", "remount,ro", folder], { stdio: "pipe" })
    return { ok: true, unmount }
  } catch (e) {
    unmount()
    return { ok: false, why: String((e as { stderr?: unknown }).stderr ?? e).trim() }
  }
}

let media: ReturnType<typeof mountReadOnly> = { ok: false, why: "not tried" }
const mediaDir = join(dir, "media")
const lockedDir = join(dir, "locked")
let wal: { readonly lastSeq: number } = { lastSeq: 0 }

beforeAll(async () => {
  // a terminal's database as `serve` leaves it: demo orders, staff, events
  const served = await serve(["--db", original, "--demo"])
  await served.stop()
  const walSource = join(dir, "wal", "amtomat.db")
  mkdirSync(join(dir, "wal"))
  const open = withRowsInWal(walSource)
  wal = open
  expect(readFileSync(`${walSource}-wal`).length).toBeGreaterThan(0)
  const fill = (folder: string) => {
    copyFileSync(original, join(folder, "clean.db"))
    // an archive taken while the terminal ran: the database with its -wal and -shm
    for (const suffix of ["", "-wal", "-shm"]) copyFileSync(`${walSource}${suffix}`, join(folder, `wal.db${suffix}`))
  }
  media = mountReadOnly(mediaDir, fill)
  if (!media.ok) console.warn(`databaseFiles: no real read-only mount here (${media.why}); the read-only-mount case is skipped, the read-only folder case runs`)
  // the fallback medium: 0444 files in a 0555 folder
  mkdirSync(lockedDir)
  fill(lockedDir)
  for (const f of readdirSync(lockedDir)) chmodSync(join(lockedDir, f), 0o444)
  chmodSync(lockedDir, 0o555)
  // closing checkpoints the writable original: it now holds the rows in its main file
  open.close()
  const [clean, withWal] = await Promise.all([
    readWithCli(original, join(dir, "reports", "original", "clean.db")),
    readWithCli(walSource, join(dir, "reports", "original", "wal.db"))
  ])
  fromOriginals["clean.db"] = clean
  fromOriginals["wal.db"] = withWal
}, 180_000)

afterAll(() => {
  if (media.ok) media.unmount()
  if (existsSync(lockedDir)) chmodSync(lockedDir, 0o755)
  rmSync(dir, { recursive: true, force: true })
})

/** What `events --db` and `report --db` give for a database: its NDJSON, report.json and the report's summary lines. */
const readWithCli = async (file: string, out: string) => {
  const [events, report] = await Promise.all([run(["events", "--db", file]), run(["report", "--db", file, "--out", out])])
  expect(events.code, events.stderr).toBe(0)
  expect(report.code, report.stderr).toBe(0)
  return { events: events.stdout, report: reportOf(out), summary: report.stdout.replaceAll(out, "OUT") }
}
const fromOriginals: Record<string, Awaited<ReturnType<typeof readWithCli>>> = {}

const readsLikeTheOriginal = async (folder: string) => {
  const before = readdirSync(folder).sort()
  const digests = before.map((f) => digest(join(folder, f)))
  const out = join(dir, "reports", folder.replace(/\W/g, "_"))
  for (const name of ["clean.db", "wal.db"]) {
    const fromCopy = await readWithCli(join(folder, name), join(out, name))
    expect(lines(fromCopy.events).length).toBeGreaterThan(10)
    expect(fromCopy).toEqual(fromOriginals[name])
  }
  // the committed rows that were only in the -wal when the copy was taken are read
  const fromWal = lines(fromOriginals["wal.db"]!.events).map((l) => JSON.parse(l) as { seq: number })
  expect(fromWal.at(-1)!.seq).toBe(wal.lastSeq)
  // the audit trail verifies there too, with the key kept apart (beside the original, not on the medium)
  const verified = await run(["audit", "verify", "--db", join(folder, "clean.db"), "--key-file", join(dirname(original), "audit.key")])
  expect(verified.code, verified.stderr).toBe(0)
  expect(verified.stdout).toContain("audit chain intact")
  // nothing on the medium changed, nothing was added beside the files
  expect(readdirSync(folder).sort()).toEqual(before)
  expect(before.map((f) => digest(join(folder, f)))).toEqual(digests)
}

describe("a database copied onto read-only media", () => {
  it("on a read-only mount: events and report read the same as from the writable original, -wal included", async (ctx) => {
    // decided at run time: the mount is tried in beforeAll
    if (!media.ok) return ctx.skip(`no real read-only mount here (${media.why})`)
    expect(readFileSync(join(mediaDir, "wal.db-wal")).length).toBeGreaterThan(0)
    expect(() => writeFileSync(join(mediaDir, "probe"), "x")).toThrow(/EROFS/)
    await readsLikeTheOriginal(mediaDir)
  }, 120_000)

  it("in a read-only folder (0444 files, 0555 folder): the same", async () => {
    await readsLikeTheOriginal(lockedDir)
  }, 120_000)
})

/** The root page of a table, to damage exactly that table. */
const rootPage = (file: string, table: string) => {
  const handle = openHandle(file, { readonly: true })
  try {
    return (handle.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { rootpage: number }).rootpage
  } finally {
    handle.close()
  }
}
const pageSize = 4096
const garbage = (length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7919 + 13) & 0xff))
/** Overwrites pages [from, to) with garbage, SQLite's header page left intact. */
const overwritePages = (file: string, from: number, to: number) => {
  const bytes = readFileSync(file)
  garbage((to - from) * pageSize).copy(bytes, from * pageSize)
  writeFileSync(file, bytes)
}
const damagedCopy = (name: string, damage: (file: string) => void) => {
  const folder = join(dir, "damaged", name)
  mkdirSync(folder, { recursive: true })
  const file = join(folder, "amtomat.db")
  copyFileSync(original, file)
  damage(file)
  return file
}
/** One line, starting with "amtomat: ", without a stack trace. */
const expectOneSentence = (stderr: string, file: string) => {
  const said = lines(stderr)
  expect(said, stderr).toHaveLength(1)
  expect(said[0]).toMatch(/^amtomat: the database /)
  expect(said[0]).toContain(`${file} is damaged (`)
  expect(said[0]).toContain(".recover")
  expect(said[0]).toContain("docs/database-recovery.md")
  expect(stderr).not.toMatch(/\n\s+at /)
  expect(stderr).not.toMatch(/^\w*Error:/m)
}

describe("a damaged database file: one sentence, exit status 1", () => {
  const pages = () => Math.floor(readFileSync(original).length / pageSize)
  const cases: ReadonlyArray<readonly [string, (file: string) => void]> = [
    ["garbage over pages in the middle (the rows still read)", (file) => overwritePages(file, Math.floor(pages() / 3), Math.floor(pages() / 3) + 4)],
    ["garbage over one table's root page", (file) => overwritePages(file, rootPage(file, "orders") - 1, rootPage(file, "orders"))],
    ["truncated to half", (file) => truncateSync(file, Math.floor(pages() / 2) * pageSize)]
  ]
  for (const [what, damage] of cases) {
    it(`${what}: serve and events refuse`, async () => {
      const file = damagedCopy(what.replace(/\W+/g, "-"), damage)
      const before = digest(file)
      const port = await freePort()
      const [served, events, report] = await Promise.all([
        runFor(["serve", "--db", file, "--port", String(port), "--host", "127.0.0.1"]),
        run(["events", "--db", file]),
        run(["report", "--db", file, "--out", join(dir, "damaged-report")])
      ])
      expect(served.code, served.stdout + served.stderr).toBe(1)
      expectOneSentence(served.stderr, file)
      expect(served.stderr).toContain("stop the terminal, keep the file for inspection, restore the last backup")
      expect(events.code).toBe(1)
      expect(events.stdout).toBe("")
      expectOneSentence(events.stderr, file)
      expect(report.code).toBe(1)
      expectOneSentence(report.stderr, file)
      // the damaged file is kept as it was, for inspection
      expect(digest(file)).toBe(before)
    }, 120_000)
  }
})

describe("corruption found while the terminal runs", () => {
  it("a real SQLITE_CORRUPT from a damaged table: 503 with one sentence for staff, and a log line naming the file", async () => {
    const file = damagedCopy("running", (f) => overwritePages(f, rootPage(f, "orders") - 1, rootPage(f, "orders")))
    const logged: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) => logged.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`))
    const failure = await Effect.gen(function*() {
      const sql = yield* SqliteClient.SqliteClient
      // the connection opens and other tables still read: the damage shows when a request touches the orders
      expect((yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM events`)[0]!.n).toBeGreaterThan(0)
      const error = yield* Effect.flip(sql`SELECT * FROM orders`)
      expect(error).toBeInstanceOf(SqlError)
      expect((error.cause as { code?: unknown }).code).toMatch(/^SQLITE_CORRUPT/)
      return yield* Effect.flip(orUnavailable(sql`SELECT * FROM orders`))
    }).pipe(
      Effect.provide(SqliteClient.layer({ filename: file, disableWAL: true })),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.scoped,
      Effect.runPromise
    )
    expect(failure._tag).toBe("ServiceUnavailable")
    expect(failure.message).toBe(
      "the terminal's storage is damaged, so nothing was changed and nothing opened; staff have to take the terminal out of service and restore its database"
    )
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^ERROR DATABASE DAMAGED: the database /)
    expect(logged[0]).toContain(`${file} is damaged (SQLITE_CORRUPT`)
    expect(logged[0]).toContain("stop the terminal")
  })
})
