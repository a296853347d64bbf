/**
 * The county under load: a real PostgreSQL cluster (fsync on, as a county runs it), the
 * county server as its own process (`amtomat county serve`), and terminals in this process,
 * each a real event log in its own SQLite file, replicating over HTTP with the terminal's
 * own CountySync and HTTP gateway.
 *
 * - ingest: events stored per second while 1, 6 and 60 terminals push their whole backlog at
 *   once (the same total of events), each against the single terminal of the same run;
 * - lag: from an event's append at the terminal to its storage at the county (county_events
 *   received_at minus the event's at), p50/p99, with 6 and 60 terminals appending live,
 *   against one round trip (head + push of one event) measured in the same run;
 * - catch-up: a terminal back after a week offline pushes the week at once; the seconds it
 *   takes (the wait for its next retry, at most 6 minutes, is policy and comes on top);
 * - report: the county-wide report over every row the run stored, read and analysed as
 *   GET /api/v1/fleet/report does (it is not incremental yet: the cost per row says what a
 *   bigger county pays per request).
 *
 * Without PostgreSQL's server binaries it reports why and measures nothing.
 * Run alone: npx tsx bench/county.ts
 */
import { Context, Duration, Effect, Fiber, Layer, Redacted } from "effect"
import { spawn } from "node:child_process"
import { pathToFileURL } from "node:url"
import pg from "pg"
import { defaultPolicy, TerminalPolicy } from "../core/domain/config.ts"
import { AuditKey, EventLog } from "../core/persistence/EventLog.ts"
import { SecureRandom } from "../core/ports/SecureRandom.ts"
import { CountySync } from "../core/workflows/CountySync.ts"
import { countyReport } from "../county/CountyReport.ts"
import { MISSING_POSTGRES, startPostgresCluster } from "../county/harness/postgresCluster.ts"
import { countyPostgres } from "../county/persistence/database.ts"
import { ReplicaRepo } from "../county/persistence/ReplicaRepo.ts"
import { Registry } from "../county/Registry.ts"
import { databaseLayer } from "../kiosk/composition.ts"
import { httpCountyGateway } from "../kiosk/countyLink.ts"
import { bin, freePort, root } from "../kiosk/harness/process.ts"
import { tempDb } from "../kiosk/harness/twinTerminal.ts"

const percentile = (xs: ReadonlyArray<number>, p: number) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const round = (x: number, digits = 2) => Number(x.toFixed(digits))

interface Terminal {
  readonly id: string
  readonly log: EventLog
  readonly sync: Context.Tag.Service<typeof CountySync>
}

/** A terminal: its own SQLite file and event log, and CountySync over the HTTP gateway; lives as long as the scope. */
const terminal = (id: string, site: string, url: string, credential: string) =>
  Effect.gen(function*() {
    const logLayer = EventLog.Default.pipe(
      Layer.provideMerge(Layer.mergeAll(
        databaseLayer(tempDb()),
        Layer.succeed(TerminalPolicy, { ...defaultPolicy, site, terminalId: id }),
        Layer.succeed(AuditKey, new Uint8Array(32).fill(3))
      ))
    )
    const context = yield* Layer.build(CountySync.Default.pipe(Layer.provideMerge(logLayer), Layer.provide(httpCountyGateway({ url, credential }))))
    return { id, log: Context.get(context, EventLog), sync: Context.get(context, CountySync) } satisfies Terminal
  })

const appendMany = (t: Terminal, n: number) =>
  Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) => t.log.append({ _tag: "CardReadFailed", reason: `bench event ${i} of ${t.id}` }), {
    discard: true
  })

const startCounty = async (pgUrl: string) => {
  const port = await freePort()
  const child = spawn(process.execPath, [bin, "county", "serve", "--pg", pgUrl, "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout.on("data", (d) => (output += d))
  child.stderr.on("data", (d) => (output += d))
  for (let i = 0; i < 600 && !output.includes("Listening on"); i++) {
    if (child.exitCode !== null) throw new Error(`county serve exited: ${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  if (!output.includes("Listening on")) {
    child.kill("SIGKILL")
    throw new Error(`county serve did not start within a minute: ${output}`)
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once("exit", () => resolve())
      child.kill("SIGTERM")
    })
  return { url: `http://127.0.0.1:${port}`, stop }
}

export const countyBench = (options: { readonly events?: number; readonly liveSeconds?: number; readonly weekEvents?: number } = {}) =>
  Effect.gen(function*() {
    // each part released when the bench ends however it ends, in reverse: pools and the county before the cluster
    const cluster = yield* Effect.acquireRelease(
      Effect.promise(() => startPostgresCluster({ durable: true })),
      (c) => Effect.sync(() => c?.stop())
    )
    if (cluster === undefined) return { bench: "county", skipped: MISSING_POSTGRES }
    const total = options.events ?? 12_000
    const liveSeconds = options.liveSeconds ?? 10
    const weekEvents = options.weekEvents ?? 2000
    const client = (url: string) =>
      Effect.acquireRelease(
        Effect.promise(async () => {
          const c = new pg.Client({ connectionString: url })
          await c.connect()
          return c
        }),
        (c) => Effect.promise(() => c.end())
      )
    const admin = yield* client(cluster.url)
    yield* Effect.promise(() => admin.query("CREATE DATABASE county"))
    const pgUrl = cluster.url.replace(/\/postgres$/, "/county")
    const county = yield* Effect.acquireRelease(Effect.promise(() => startCounty(pgUrl)), (c) => Effect.promise(c.stop))
    const db = yield* client(pgUrl)
    const registry = Context.get(
      yield* Layer.build(Registry.Default.pipe(Layer.provide(SecureRandom.layerCrypto), Layer.provide(countyPostgres(Redacted.make(pgUrl))))),
      Registry
    )
    let next = 0
    const fleet = (n: number) =>
      Effect.forEach(Array.from({ length: n }, () => `B${++next}`), (id) =>
        Effect.flatMap(registry.add(id, `site-${id}`), (credential) => terminal(id, `site-${id}`, county.url, credential)))

    /** n terminals with `total / n` events each push them all at once: events per second at the county. */
    const ingest = (n: number) =>
      Effect.gen(function*() {
        const terminals = yield* fleet(n)
        yield* Effect.forEach(terminals, (t) =>
          appendMany(t, Math.round(total / n)), { concurrency: 4, discard: true })
        const start = performance.now()
        yield* Effect.forEach(terminals, (t) => t.sync.syncOnce(), { concurrency: "unbounded", discard: true })
        const seconds = (performance.now() - start) / 1000
        return {
          terminals: n,
          events: Math.round(total / n) * n,
          seconds: round(seconds, 3),
          eventsPerSecond: Math.round((Math.round(total / n) * n) / seconds)
        }
      })

    /** n terminals replicating live (CountySync.run), together `rate` events per second for liveSeconds: lag p50/p99 in ms. */
    const lag = (n: number, rate: number) =>
      Effect.gen(function*() {
        const terminals = yield* fleet(n)
        const runs = yield* Effect.forEach(terminals, (t) => Effect.forkScoped(t.sync.run()))
        const every = Duration.millis((1000 * n) / rate)
        let appended = 0
        const appendOne = (t: Terminal) => Effect.tap(t.log.append({ _tag: "CardReadFailed", reason: "live" }), () => Effect.sync(() => appended++))
        const appenders = yield* Effect.forEach(terminals, (t, i) =>
          Effect.forkScoped(
            Effect.delay(
              Effect.forever(Effect.zipRight(appendOne(t), Effect.sleep(every))),
              Duration.millis((i * Duration.toMillis(every)) / n)
            )
          ))
        yield* Effect.sleep(Duration.seconds(liveSeconds))
        yield* Effect.forEach(appenders, Fiber.interrupt, { discard: true })
        yield* Effect.sleep("2 seconds") // the last ones arrive
        yield* Effect.forEach(runs, Fiber.interrupt, { discard: true })
        const ids = terminals.map((t) => t.id)
        const rows = yield* Effect.promise(() =>
          db.query<{ at: string; received_at: string }>("SELECT at, received_at FROM county_events WHERE terminal = ANY($1) AND type = 'CardReadFailed'", [ids])
        )
        const lags = rows.rows.map((r) => Date.parse(r.received_at) - Date.parse(r.at))
        // an event not yet at the county 2 s after the last append is not in the percentiles: say how many
        return {
          terminals: n,
          eventsPerSecond: rate,
          events: appended,
          notReplicated: appended - lags.length,
          lagP50Ms: percentile(lags, 50),
          lagP99Ms: percentile(lags, 99)
        }
      })

    const result = yield* Effect.scoped(Effect.gen(function*() {
      // the bound of the same run: one round trip of one event (head, push), median of 20
      const [probe] = yield* fleet(1)
      const trips: Array<number> = []
      for (let i = 0; i < 20; i++) {
        yield* probe!.log.append({ _tag: "CardReadFailed", reason: "probe" })
        const start = performance.now()
        yield* probe!.sync.syncOnce()
        trips.push(performance.now() - start)
      }
      const roundTripMs = round(percentile(trips, 50))
      const one = yield* ingest(1)
      const six = yield* ingest(6)
      const sixty = yield* ingest(60)
      const lag6 = yield* lag(6, 60)
      const lag60 = yield* lag(60, 60)
      const [away] = yield* fleet(1)
      yield* appendMany(away!, weekEvents)
      const start = performance.now()
      yield* away!.sync.syncOnce()
      const catchUpSeconds = round((performance.now() - start) / 1000, 3)
      // the county-wide report as GET /api/v1/fleet/report builds it: every replicated row read and analysed
      const replica = Context.get(
        yield* Layer.build(ReplicaRepo.Default.pipe(Layer.provide(countyPostgres(Redacted.make(pgUrl))))),
        ReplicaRepo
      )
      const reportStart = performance.now()
      const rows = yield* replica.allRows()
      const readMs = performance.now() - reportStart
      countyReport(rows, { generatedAt: new Date().toISOString(), label: "bench" })
      const reportMs = performance.now() - reportStart
      return {
        bench: "county",
        postgres: "own cluster, fsync on",
        roundTripMs,
        ingest: [one, six, sixty].map((r) => ({ ...r, ratioToOneTerminal: round(r.eventsPerSecond / one.eventsPerSecond) })),
        lag: [lag6, lag60].map((r) => ({ ...r, p99OverRoundTrip: round(r.lagP99Ms / roundTripMs) })),
        catchUp: { events: weekEvents, seconds: catchUpSeconds, eventsPerSecond: Math.round(weekEvents / catchUpSeconds), retryWaitAtMostSeconds: 360 },
        report: {
          rows: rows.length,
          readMs: round(readMs),
          totalMs: round(reportMs),
          microsecondsPerRow: round((reportMs * 1000) / Math.max(1, rows.length)),
          note:
            "the rows here are all one event type, so totalMs is mostly the read; the analysis of the pilot's mix costs what the dashboard bench's full recomputation costs per event"
        }
      }
    }))
    return result
  }).pipe(Effect.scoped, Effect.orDie)

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await Effect.runPromise(countyBench())))
}
