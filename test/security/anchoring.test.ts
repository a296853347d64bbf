/**
 * Anchoring the event log (security issue 11): the attacks an intruder with
 * the database file can make, performed on a real SQLite file after a normal
 * pickup, each shown to be caught — and by which check: the same tampering
 * passes the unkeyed hash chain (and, for a cut, the MACs), so it is the MACs,
 * the signed checkpoints or the state check that finds it. A normal run gives
 * no finding at all. Last, `amtomat audit checkpoint` and `audit verify` as
 * processes: exit status 1 and one line.
 */
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import * as Migrator from "@effect/sql/Migrator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, Logger, Option } from "effect"
import * as fc from "fast-check"
import { createHash, createHmac } from "node:crypto"
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { DocumentKind } from "../../core/domain/values.ts"
import { encodeCheckpoint, macRow, parseAnchorFile, signCheckpoint, verifyAnchors } from "../../core/persistence/anchor.ts"
import { canonicalJson } from "../../core/persistence/canonical.ts"
import { EventLog, type EventRow, GENESIS, hashRow, verifyMacs, verifyRows } from "../../core/persistence/EventLog.ts"
import { migrations } from "../../core/persistence/migrations.ts"
import { checkState } from "../../core/persistence/stateCheck.ts"
import { Loading } from "../../core/workflows/Loading.ts"
import { Pickup } from "../../core/workflows/Pickup.ts"
import { anchorJob, appendCheckpoint, checkpointOf } from "../../kiosk/anchorJob.ts"
import { auditFindings, readLog } from "../../kiosk/cli/audit.ts"
import { run } from "../../kiosk/harness/process.ts"
import { eventually, expectTrue } from "../support/eventually.ts"
import {
  lastCode,
  loadOrder,
  LockerTwin,
  nextPhone,
  orderStatus,
  refusal,
  startSession,
  tempDb,
  testAuditKey,
  testTerminal,
  tick
} from "../support/terminal.ts"

const otherKey = new Uint8Array(32).fill(7)

/**
 * A normal day on a real file: two orders loaded, one picked up, three harmless events last,
 * then a checkpoint of the head appended to the anchor file by the job's own code.
 */
const normalDay = Effect.gen(function*() {
  const db = tempDb()
  const anchor = join(dirname(db), "anchor.ndjson")
  const ids = yield* Effect.gen(function*() {
    const pickup = yield* Pickup
    const hands = yield* LockerTwin
    const { order: collected, compartment: c } = yield* loadOrder({ requiresOldDocument: false })
    const { order: waiting } = yield* loadOrder({ requiresOldDocument: false })
    const session = yield* startSession("card-of-anna")
    yield* pickup.identify(session, collected.pickupNumber)
    yield* pickup.verify(session, yield* lastCode(collected.phone!))
    yield* pickup.open(session)
    const done = yield* Effect.fork(pickup.complete(session))
    yield* tick()
    yield* hands.takeItem(c.channel)
    yield* hands.close(c.channel)
    yield* tick()
    yield* Fiber.join(done)
    const log = yield* EventLog
    for (let i = 0; i < 3; i++) yield* log.append({ _tag: "CardReadFailed", reason: `no card ${i}` })
    yield* appendCheckpoint(anchor, yield* checkpointOf())
    return { collected: collected.id, waiting: waiting.id }
  }).pipe(Effect.provide(testTerminal({ db })))
  return { db, anchor, ...ids }
})

/** What an intruder with the file does: plain SQL on it, triggers dropped first. */
const tamper = (db: string, statements: (sql: SqlClient.SqlClient) => Effect.Effect<unknown, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => statements(sql)).pipe(Effect.provide(SqliteClient.layer({ filename: db })), Effect.orDie)

const dropTriggers = (sql: SqlClient.SqlClient) =>
  Effect.zip(sql.unsafe("DROP TRIGGER IF EXISTS events_no_delete"), sql.unsafe("DROP TRIGGER IF EXISTS events_no_update"))

/** `audit verify`'s checks over the file, as the command runs them. */
const audit = (db: string, anchor: string | null, key: Uint8Array = testAuditKey) =>
  Effect.map(readLog(db), ({ rows, tables }) => ({
    rows,
    tables,
    ...auditFindings({
      rows,
      tables,
      key: Either.right(key),
      anchor: anchor === null ? Option.none() : Option.some({ file: anchor, text: readFileSync(anchor, "utf8") })
    })
  }))

const anchorsOf = (file: string) => parseAnchorFile(readFileSync(file, "utf8")).anchors

/** The whole chain recomputed with plain SHA-256 from the first row on, as an attacker without the key can. */
const recompute = (rows: ReadonlyArray<EventRow>, change: (row: EventRow) => EventRow, mac: (old: EventRow) => string | null) => {
  let prev = GENESIS
  return rows.map((original) => {
    const r = change(original)
    const base = { seq: r.seq, at: r.at, site: r.site, terminal: r.terminal, type: r.type, data: r.data, prev_hash: prev }
    const hash = hashRow(base)
    prev = hash
    return { ...base, hash, mac: mac(original) }
  })
}

const rewrite = (db: string, rows: ReadonlyArray<EventRow>) =>
  tamper(db, (sql) =>
    Effect.zipRight(
      dropTriggers(sql),
      Effect.forEach(
        rows,
        (r) => sql`UPDATE events SET at = ${r.at}, data = ${r.data}, prev_hash = ${r.prev_hash}, hash = ${r.hash}, mac = ${r.mac ?? null} WHERE seq = ${r.seq}`
      )
    ))

describe("anchoring the event log", () => {
  it.effect("a normal day gives no finding: chain, MACs, checkpoint and state all agree", () =>
    Effect.gen(function*() {
      const { db, anchor } = yield* normalDay
      const result = yield* audit(db, anchor)
      expect(result.findings).toEqual([])
      expect(result.rows.every((r) => typeof r.mac === "string" && r.mac === macRow(testAuditKey, r.hash))).toBe(true)
      const n = result.rows.length
      expect(result.summary).toMatch(new RegExp(`^audit chain intact: ${n} events, head [0-9a-f]{64}, MACs ok, anchored up to seq ${n} \\(`))
      expect(result.tables.orders.map((o) => o.status).sort()).toEqual(["collected", "loaded"])
    }))

  it.effect("a longer normal life gives no state finding: intake, lock and release, counter, reminder, expiry, restart", () =>
    Effect.gen(function*() {
      const db = tempDb()
      const intake = { board: 0, lock: 16 }
      yield* Effect.gen(function*() {
        const pickup = yield* Pickup
        const loading = yield* Loading
        const hands = yield* LockerTwin
        // a pickup with the old document handed in
        const { order: a, compartment: ca } = yield* loadOrder({ requiresOldDocument: true })
        const s1 = yield* startSession("card-of-bert")
        yield* pickup.identify(s1, a.pickupNumber)
        yield* pickup.verify(s1, yield* lastCode(a.phone!))
        const receiving = yield* Effect.fork(pickup.handInOld(s1))
        yield* tick()
        yield* hands.putItem(intake)
        yield* tick()
        yield* hands.close(intake)
        yield* Fiber.join(receiving)
        yield* pickup.open(s1)
        const done = yield* Effect.fork(pickup.complete(s1))
        yield* tick()
        yield* hands.takeItem(ca.channel)
        yield* hands.close(ca.channel)
        yield* tick()
        yield* Fiber.join(done)
        // wrong codes lock an order; staff release it
        const { order: b, staff } = yield* loadOrder({ requiresOldDocument: false })
        const s2 = yield* startSession("card-of-carla")
        yield* pickup.identify(s2, b.pickupNumber)
        const code = yield* lastCode(b.phone!)
        const wrong = code === "000000" ? "111111" : "000000"
        for (let i = 0; i < 3; i++) yield* refusal(pickup.verify(s2, wrong))
        expect(yield* orderStatus(b.id)).toBe("locked")
        yield* loading.release(b.id, staff.id)
        // handed over at the counter before it was loaded
        const c = yield* loading.announce({
          documentKind: DocumentKind.make("id-card"),
          phone: nextPhone(),
          requiresOldDocument: false,
          size: "S",
          preferBand: null
        })
        yield* loading.counterHandover(c.id)
        // reminded after a week, expired after three
        const { order: d } = yield* loadOrder({ requiresOldDocument: false })
        yield* tick("8 days")
        yield* loading.runPolicies()
        expect(yield* orderStatus(d.id)).toBe("reminded")
        yield* tick("14 days")
        yield* loading.runPolicies()
        expect(yield* orderStatus(d.id)).toBe("expired")
      }).pipe(Effect.provide(testTerminal({ db, config: { sessionIdleSeconds: 3600 } })))
      // a restart on the same file, the boards reading every compartment empty: start-up reconciliation
      yield* Effect.provide(Effect.void, testTerminal({ db }))
      const result = yield* audit(db, null)
      expect(result.findings).toEqual([])
      expect(new Set(result.tables.orders.map((o) => o.status))).toEqual(new Set(["collected", "expired", "counter"]))
    }))

  it.live(
    "the periodic job appends a checkpoint every period, each checking the rows since the last; a broken log is never signed",
    () =>
      Effect.gen(function*() {
        const db = tempDb()
        const file = join(dirname(db), "anchor.ndjson")
        const logs: Array<string> = []
        const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logs.push(String(message))))
        const lines = () => Effect.sync(() => (existsSync(file) ? parseAnchorFile(readFileSync(file, "utf8")).anchors : []))
        yield* Effect.gen(function*() {
          const log = yield* EventLog
          const sql = yield* SqlClient.SqlClient
          yield* anchorJob({ file, every: "200 millis" })
          yield* eventually(Effect.flatMap(lines(), (a) => expectTrue(a.length >= 1, "a first checkpoint")))
          yield* log.append({ _tag: "CardReadFailed", reason: "after the first checkpoint" })
          const rows = yield* log.rows()
          yield* eventually(Effect.flatMap(lines(), (a) => expectTrue(a.some((l) => l.checkpoint.seq === rows.length), "a checkpoint of the new head")))
          expect(verifyAnchors(rows, yield* lines(), testAuditKey)).toMatchObject({ findings: [], anchoredUpTo: { seq: rows.length, count: rows.length } })
          // the head rewritten under the running terminal, without the key
          yield* dropTriggers(sql)
          const last = rows[rows.length - 1]!
          const forged = { ...last, data: canonicalJson({ _tag: "CardReadFailed", reason: "forged" }) }
          const { hash: _h, mac: _m, ...base } = forged
          yield* sql`UPDATE events SET data = ${forged.data}, hash = ${hashRow(base)} WHERE seq = ${last.seq}`
          yield* log.append({ _tag: "CardReadFailed", reason: "after the rewrite" })
          const before = (yield* lines()).length
          yield* Effect.sleep("700 millis")
          expect((yield* lines()).length).toBe(before)
          expect(logs.some((l) => l.includes(`anchor to ${file} failed`))).toBe(true)
        }).pipe(Effect.scoped, Effect.provide(testTerminal({ db })), Effect.provide(capture))
      }),
    30_000
  )

  it.effect("rows written before migration 0005 carry no MAC: reported as unkeyed, not as tampering", () =>
    Effect.gen(function*() {
      const db = tempDb()
      // a terminal of the version before: migrations up to 0004, rows chained without a MAC
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const before = Object.fromEntries(Object.entries(migrations).filter(([id]) => id < "0005"))
        yield* Migrator.make({})({ loader: Migrator.fromRecord(before) })
        let prev = GENESIS
        for (let seq = 1; seq <= 4; seq++) {
          const base = {
            seq,
            at: `2026-01-0${seq}T08:00:00.000Z`,
            site: "test",
            terminal: "T1",
            type: "CardReadFailed",
            data: canonicalJson({ _tag: "CardReadFailed", reason: `old ${seq}` }),
            prev_hash: prev
          }
          const hash = hashRow(base)
          yield* sql`INSERT INTO events ${sql.insert({ ...base, hash })}`
          prev = hash
        }
      }).pipe(Effect.provide(SqliteClient.layer({ filename: db })))
      // the upgraded terminal starts on it: migration 0005, then keyed rows
      yield* Effect.flatMap(EventLog, (log) => log.append({ _tag: "CardReadFailed", reason: "new" })).pipe(Effect.provide(testTerminal({ db })))
      const result = yield* audit(db, null)
      expect(result.rows.slice(0, 4).every((r) => r.mac === null)).toBe(true)
      expect(result.rows.slice(4).every((r) => typeof r.mac === "string")).toBe(true)
      expect(result.findings).toEqual([])
      expect(result.summary).toContain("MACs ok (unkeyed before seq 5: written before the audit key)")
      // a row without a MAC after a keyed one was written without the key
      const rows = result.rows.map((r) => (r.seq === result.rows.length ? { ...r, mac: null } : r))
      expect(verifyMacs(rows, testAuditKey)).toMatchObject({ ok: false, brokenAt: rows.length })
    }))

  it.effect("deleting the last 3 rows (triggers dropped) passes chain and MACs; the checkpoint finds the cut", () =>
    Effect.gen(function*() {
      const { db, anchor } = yield* normalDay
      const n = (yield* readLog(db)).rows.length
      yield* tamper(db, (sql) => Effect.zipRight(dropTriggers(sql), sql`DELETE FROM events WHERE seq > ${n - 3}`))
      const result = yield* audit(db, anchor)
      expect(result.rows).toHaveLength(n - 3)
      // what is left is a valid keyed chain: without the anchor the cut is invisible
      expect(verifyRows(result.rows)).toMatchObject({ ok: true })
      expect(verifyMacs(result.rows, testAuditKey)).toMatchObject({ ok: true })
      expect(checkState(result.tables, result.rows)).toEqual([])
      expect((yield* audit(db, null)).findings).toEqual([])
      const cp = anchorsOf(anchor)[0]!.checkpoint
      expect(result.findings).toEqual([`the log was cut after seq ${n - 3}: checkpoint at seq ${n} (${cp.at}) is missing from the log`])
    }))

  it.effect("deleting every row: an empty log is a valid chain, the checkpoint (and the state check) find it", () =>
    Effect.gen(function*() {
      const { db, anchor, collected } = yield* normalDay
      yield* tamper(db, (sql) => Effect.zipRight(dropTriggers(sql), sql`DELETE FROM events`))
      const result = yield* audit(db, anchor)
      expect(result.rows).toEqual([])
      expect(verifyRows(result.rows)).toMatchObject({ ok: true, count: 0 })
      const cut = verifyAnchors(result.rows, anchorsOf(anchor), testAuditKey).findings
      expect(cut).toHaveLength(1)
      expect(cut[0]).toMatch(/^the log was cut after seq 0 \(the log is empty\): checkpoint at seq \d+ \(.+\) is missing from the log$/)
      expect(result.findings[0]).toBe(cut[0])
      expect(result.findings).toContain(`order ${collected} is collected, but the log has no OrderLoaded or DocumentTaken for it`)
    }))

  it.effect("an event changed and the whole chain recomputed with plain SHA-256: the chain passes, the MACs do not", () =>
    Effect.gen(function*() {
      const { db, anchor } = yield* normalDay
      const rows = (yield* readLog(db)).rows
      const target = rows.find((r) => r.type === "PickupCompleted")!
      const change = (r: EventRow) => (r.seq === target.seq ? { ...r, data: canonicalJson({ ...JSON.parse(r.data), durationMs: 1 }) } : r)
      const forged = recompute(rows, change, (old) => old.mac ?? null)
      yield* rewrite(db, forged)
      const result = yield* audit(db, null)
      expect(verifyRows(result.rows)).toMatchObject({ ok: true })
      expect(result.findings).toEqual([`row ${target.seq}'s MAC does not match: the chain was recomputed without the key (or this is not the terminal's key)`])
      // with the anchor too, the checkpoint's row shows as rewritten
      expect((yield* audit(db, anchor)).findings).toContain(
        `row ${rows.length} was rewritten: its hash differs from the checkpoint at seq ${rows.length} (${anchorsOf(anchor)[0]!.checkpoint.at})`
      )
    }))

  it.effect("a recomputed chain with every MAC erased looks written before the key; the checkpoint shows the rewrite", () =>
    Effect.gen(function*() {
      const { db, anchor } = yield* normalDay
      const rows = (yield* readLog(db)).rows
      const forged = recompute(rows, (r) => (r.seq === 3 ? { ...r, at: "2020-01-01T00:00:00.000Z" } : r), () => null)
      yield* rewrite(db, forged)
      const unanchored = yield* audit(db, null)
      // the limit of MACs alone, stated: an unkeyed log is not tampering by itself
      expect(unanchored.findings).toEqual([])
      expect(unanchored.summary).toContain(`MACs ok (unkeyed before seq ${rows.length + 1}`)
      const result = yield* audit(db, anchor)
      expect(result.findings).toEqual([
        `row ${rows.length} was rewritten: its hash differs from the checkpoint at seq ${rows.length} (${anchorsOf(anchor)[0]!.checkpoint.at})`
      ])
    }))

  it.effect("an edited checkpoint line, or one signed with another key, was not made with this key", () =>
    Effect.gen(function*() {
      const { db, anchor } = yield* normalDay
      const line = readFileSync(anchor, "utf8").trim()
      const cp = JSON.parse(line) as { seq: number; count: number }
      // the intruder moves the checkpoint back to fit a cut log
      writeFileSync(anchor, JSON.stringify({ ...cp, seq: cp.seq - 3, count: cp.count - 3 }) + "\n")
      const result = yield* audit(db, anchor)
      expect(result.findings).toEqual([
        `anchor line 1: the checkpoint at seq ${cp.seq - 3} (${anchorsOf(anchor)[0]!.checkpoint.at}) was not made with this key (changed, or forged)`
      ])
      // a checkpoint of the real head, signed with a key that is not the terminal's
      const rows = (yield* readLog(db)).rows
      const head = rows[rows.length - 1]!
      writeFileSync(
        anchor,
        encodeCheckpoint(
          signCheckpoint(otherKey, { seq: head.seq, hash: head.hash, at: head.at, site: head.site, terminal: head.terminal, count: rows.length })
        ) + "\n"
      )
      expect((yield* audit(db, anchor)).findings).toEqual([
        `anchor line 1: the checkpoint at seq ${head.seq} (${head.at}) was not made with this key (changed, or forged)`
      ])
      // a line that is not a checkpoint at all
      appendFileSync(anchor, "{\"seq\": 1")
      expect((yield* audit(db, anchor)).findings).toContain("anchor line 2 is not a checkpoint: not JSON (an unfinished last line: a write cut off?)")
    }))

  it.effect("the state tables edited with SQL: chain, MACs and anchor pass; the state check finds each", () =>
    Effect.gen(function*() {
      const { db, anchor, collected, waiting } = yield* normalDay
      // the document still waiting is taken out by hand and its order marked collected; the collected one set back
      yield* tamper(db, (sql) =>
        Effect.zip(
          sql`UPDATE orders SET status = 'collected' WHERE id = ${waiting}`,
          sql`UPDATE orders SET status = 'loaded' WHERE id = ${collected}`
        ))
      const result = yield* audit(db, anchor)
      expect(verifyRows(result.rows)).toMatchObject({ ok: true })
      expect(verifyMacs(result.rows, testAuditKey)).toMatchObject({ ok: true })
      expect(verifyAnchors(result.rows, anchorsOf(anchor), testAuditKey).findings).toEqual([])
      const taken = result.rows.find((r) => r.type === "DocumentTaken")!
      expect([...result.findings].sort()).toEqual([
        `order ${collected} is loaded, but the log says it was collected (DocumentTaken at seq ${taken.seq})`,
        `order ${waiting} is collected, but the log has no DocumentTaken for it`
      ].sort())
      // a compartment made to hold the collected order again
      yield* tamper(db, (sql) =>
        Effect.zip(
          sql`UPDATE orders SET status = 'collected' WHERE id = ${collected}`,
          sql`UPDATE compartments SET state = 'loaded', order_id = ${collected} WHERE id = (SELECT compartment_id FROM orders WHERE id = ${collected})`
        ))
      const again = yield* audit(db, anchor)
      expect(again.findings).toContain(`order ${waiting} is collected, but the log has no DocumentTaken for it`)
      expect(again.findings.some((f) => f.includes(`still holds order ${collected}, which the log closed (DocumentTaken at seq ${taken.seq})`))).toBe(true)
    }))
})

/** A random valid keyed log of `n` rows, chained as the EventLog chains them. */
const validLog = (n: number, key: Uint8Array): ReadonlyArray<EventRow> => {
  let prev = GENESIS
  return Array.from({ length: n }, (_, i) => {
    const base = {
      seq: i + 1,
      at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      site: "test",
      terminal: "T1",
      type: "CardReadFailed",
      data: canonicalJson({ _tag: "CardReadFailed", reason: createHash("sha256").update(`${n}-${i}`).digest("hex").slice(0, 8) }),
      prev_hash: prev
    }
    const hash = hashRow(base)
    prev = hash
    return { ...base, hash, mac: createHmac("sha256", key).update(hash).digest("hex") }
  })
}

describe("checkpoint property", () => {
  it("for a valid log of n rows with a checkpoint at n: any cut to k < n rows fails, no cut passes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }))), ([n, k]) => {
        const rows = validLog(n, testAuditKey)
        const head = rows[n - 1]!
        const checkpoint = signCheckpoint(testAuditKey, { seq: n, hash: head.hash, at: head.at, site: "test", terminal: "T1", count: n })
        const anchors = parseAnchorFile(encodeCheckpoint(checkpoint) + "\n").anchors
        expect(verifyAnchors(rows, anchors, testAuditKey)).toEqual({ findings: [], anchoredUpTo: checkpoint })
        const cut = rows.slice(0, k)
        // the cut log alone is a valid keyed chain: only the checkpoint can tell
        expect(verifyRows(cut).ok).toBe(true)
        expect(verifyMacs(cut, testAuditKey).ok).toBe(true)
        const found = verifyAnchors(cut, anchors, testAuditKey)
        expect(found.findings).toHaveLength(1)
        expect(found.findings[0]).toMatch(new RegExp(`^the log was cut after seq ${k}( \\(the log is empty\\))?: checkpoint at seq ${n} `))
        expect(found.anchoredUpTo).toBeNull()
      }),
      { numRuns: 200 }
    )
  })
})

describe("amtomat audit as a process", () => {
  it.effect("checkpoint appends a line; after a cut, verify exits 1 with one line naming it", () =>
    Effect.gen(function*() {
      const { db } = yield* normalDay
      const anchor = join(dirname(db), "cli-anchor.ndjson")
      const keyFile = join(dirname(db), "audit.key")
      writeFileSync(keyFile, Buffer.from(testAuditKey).toString("hex") + "\n", { mode: 0o600 })
      const made = yield* Effect.promise(() => run(["audit", "checkpoint", "--db", db, "--out", anchor]))
      expect(made.code, made.stderr).toBe(0)
      const n = (yield* readLog(db)).rows.length
      expect(made.stdout).toContain(`checkpoint at seq ${n} `)
      expect(readFileSync(anchor, "utf8").trim().split("\n")).toHaveLength(1)
      const fine = yield* Effect.promise(() => run(["audit", "verify", "--db", db, "--anchor", anchor, "--key-file", keyFile]))
      expect(fine.code, fine.stderr).toBe(0)
      expect(fine.stdout).toMatch(new RegExp(`^audit chain intact: ${n} events, head [0-9a-f]{64}, MACs ok, anchored up to seq ${n} \\(`))

      yield* tamper(db, (sql) => Effect.zipRight(dropTriggers(sql), sql`DELETE FROM events WHERE seq > ${n - 3}`))
      const cut = yield* Effect.promise(() => run(["audit", "verify", "--db", db, "--anchor", anchor]))
      expect(cut.code).toBe(1)
      const lines = cut.stderr.trim().split("\n")
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(new RegExp(`^the log was cut after seq ${n - 3}: checkpoint at seq ${n} \\(.+\\) is missing from the log$`))
      // without the key the MACs cannot be checked: a finding, not a pass
      const noKey = yield* Effect.promise(() => run(["audit", "verify", "--db", db, "--key-file", join(dirname(db), "missing.key")]))
      expect(noKey.code).toBe(1)
      expect(noKey.stderr).toContain("the MACs cannot be checked")
    }), 120_000)
})
