/**
 * The night-alone soak: the terminal (`serve --devices serial`, bundled) on
 * the PTY twins (`twin`, another process) for a bounded time, with a seeded
 * stream of citizens (full pickups, abandoned ones, walk-aways that leave the
 * door open with the document inside, kiosk pages reloaded mid-pickup while
 * the hands still take the document and shut the door) and staff (announce,
 * load, confirm — or never confirm: the server settles the load when the door
 * is shut), while faults are injected one after another: a locker, card or
 * modem port unplugged for a few seconds and plugged back in (at the same
 * path, or re-enumerated under another path with the configured by-id link
 * re-pointed, as udev does), a modem reboot, a page reload, and a near-full
 * disk (the database on a small tmpfs, filled with ballast for a while).
 * Result: ONE JSON object (see SoakReport).
 *
 * Environment (read by soak.test.ts; `npm run soak` sets AMTOMAT_SOAK_LONG=1):
 *   AMTOMAT_SOAK_MINUTES      run length in minutes (long run: 60 unless AMTOMAT_SOAK_SECONDS is set)
 *   AMTOMAT_SOAK_SECONDS      run length in seconds, wins over minutes (test default: 100)
 *   AMTOMAT_SOAK_SEED         seed of citizens, staff and faults (default: time-based; printed for replay)
 *   AMTOMAT_SOAK_FAULT_EVERY  mean seconds between two faults (test: 4, bench: 30)
 *   AMTOMAT_SOAK_POLICY       "short" (take 6 s, door alarm 8 s, intake 6 s; test default) or "default" (the shipped policy; bench default)
 *   AMTOMAT_SOAK_DISK         "0": no near-full-disk faults (the database then lives in a plain temp dir)
 *   AMTOMAT_SOAK_TMPFS_MB     size of the database's tmpfs (default: 8 for runs up to 5 minutes, else 64)
 *   AMTOMAT_SOAK_KEEP         "1": keep the temp dir (database, terminal log, device files) and print where it is
 * Needs root for `mount -t tmpfs`; without it only the disk part is skipped (the JSON says so).
 */
import Database from "better-sqlite3"
import { Effect } from "effect"
import { spawn, spawnSync } from "node:child_process"
import {
  closeSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { lastCodeIn } from "../../core/domain/rules.ts"
import { type EventRow, verifyRows } from "../../core/persistence/EventLog.ts"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import { root } from "../../kiosk/harness/process.ts"
import { check as consistencyCheck, type CrashReport, rng } from "../crash/harness.ts"
import { addStaff, bundle, kill, startTerminal, type Terminal, waitForLine } from "../crash/processes.ts"

export interface SoakPolicy {
  readonly takeSeconds: number
  readonly doorOpenAlarmSeconds: number
  readonly intakeSeconds: number
}
export const shortPolicy: SoakPolicy = { takeSeconds: 6, doorOpenAlarmSeconds: 8, intakeSeconds: 6 }
export const defaultSoakPolicy: SoakPolicy = { takeSeconds: 120, doorOpenAlarmSeconds: 60, intakeSeconds: 90 }

export interface SoakOptions {
  readonly seconds: number
  readonly seed: number
  /** mean seconds between the end of one fault's recovery and the next fault */
  readonly faultEvery: number
  readonly policy: SoakPolicy
  /** null: the shipped policy (no --policy file) */
  readonly policyFile: boolean
  readonly disk: boolean
  readonly tmpfsMiB: number
  readonly keep?: boolean
  readonly log?: (line: string) => void
}

type Dev = "locker" | "card" | "modem"
type FaultKind = `unplug:${Dev}` | `repath:${Dev}` | "modem-reboot" | "reload" | "disk-full"

export interface Stats {
  n: number
  p50: number | null
  p99: number | null
  max: number | null
  unrecovered: number
}

export interface SoakReport {
  seed: number
  seconds: number
  policy: SoakPolicy & { file: boolean }
  faults: Record<string, number>
  /** ms from the end of a fault to /health showing the device up again (disk: to the first acknowledged write) */
  recoveryMs: Record<string, Stats>
  /** device faults /health never showed as down (the outage went unnoticed) */
  unnoticed: Record<string, number>
  logBytes: number
  logBytesPerHour: number
  pickups: {
    attempted: number
    failedAt: Record<string, number>
    completed: number
    completedAcknowledged: number
    abandoned: number
    walkedAway: number
    reloads: number
    reloadsCollected: number
    /** taken in time (within the take time), not collected: each with what the log says of its order */
    reloadsNotCollected: Array<string>
    /** taken after the take time ran out (a slow machine, a fault in between): ready again and staff called, not a pickup */
    reloadsLate: number
  }
  loads: { started: number; confirmed: number; unconfirmed: number; unconfirmedSettled: number; unconfirmedUnsettled: Array<string> }
  documentsBehindOpenDoorWithoutAlarm: number
  openDoorViolations: Array<{ compartmentId: number; openSeconds: number; atSecond: number }>
  acknowledged: number
  eventsLost: number
  missingEvents: Array<string>
  chain: string
  /** the crash harness's order/compartment consistency check on the final database ("ok" or the first problem) */
  consistency: string
  terminalExits: number
  /** with the tmpfs: how many writes (order announcements) the terminal refused and accepted while the disk was full */
  disk: { mounted: true; sizeMiB: number; writesRefusedWhileFull?: number; writesAcceptedWhileFull?: number } | { skipped: string }
  health: unknown
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(Effect.either(e))

const stats = (xs: ReadonlyArray<number>, unrecovered: number): Stats => {
  const s = [...xs].sort((a, b) => a - b)
  const rank = (p: number) => s.length === 0 ? null : s[Math.max(0, Math.ceil(p * s.length) - 1)]!
  return { n: s.length, p50: rank(0.5), p99: rank(0.99), max: s.length === 0 ? null : s[s.length - 1]!, unrecovered }
}

interface Health {
  readonly status: string
  readonly parts: ReadonlyArray<{ readonly device: string; readonly key: string; readonly state: string }>
}
interface Ack {
  readonly type: string
  readonly match: Record<string, string>
}
interface Lock {
  readonly channel: { board: number; lock: number }
  readonly doorOpen: boolean
  readonly item: boolean
}

export const soak = async (options: SoakOptions): Promise<SoakReport> => {
  const say = options.log ?? (() => undefined)
  const random = rng(options.seed)
  const pick = <A>(xs: ReadonlyArray<A>) => xs[Math.floor(random() * xs.length)]!
  const between = (a: number, b: number) => a + random() * (b - a)
  const dir = mkdtempSync(join(tmpdir(), "amtomat-soak-"))
  const cleanups: Array<() => Promise<void> | void> = [() => {
    if (options.keep !== true) rmSync(dir, { recursive: true, force: true })
    else say(`soak: kept ${dir}`)
  }]
  const report: SoakReport = {
    seed: options.seed,
    seconds: options.seconds,
    policy: { ...options.policy, file: options.policyFile },
    faults: {},
    recoveryMs: {},
    unnoticed: {},
    logBytes: 0,
    logBytesPerHour: 0,
    pickups: {
      attempted: 0,
      failedAt: {},
      completed: 0,
      completedAcknowledged: 0,
      abandoned: 0,
      walkedAway: 0,
      reloads: 0,
      reloadsCollected: 0,
      reloadsNotCollected: [],
      reloadsLate: 0
    },
    loads: { started: 0, confirmed: 0, unconfirmed: 0, unconfirmedSettled: 0, unconfirmedUnsettled: [] },
    documentsBehindOpenDoorWithoutAlarm: 0,
    openDoorViolations: [],
    acknowledged: 0,
    eventsLost: 0,
    missingEvents: [],
    chain: "not checked",
    consistency: "not checked",
    terminalExits: 0,
    disk: { skipped: "disabled (AMTOMAT_SOAK_DISK=0)" },
    health: null
  }
  try {
    // ---- the database's file system
    const dbDir = join(dir, "disk")
    mkdirSync(dbDir)
    if (options.disk) {
      const m = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${options.tmpfsMiB}m`, "tmpfs", dbDir], { encoding: "utf8" })
      if (m.status === 0) {
        report.disk = { mounted: true, sizeMiB: options.tmpfsMiB }
        cleanups.unshift(() => {
          const u = spawnSync("umount", [dbDir], { encoding: "utf8" })
          if (u.status !== 0) spawnSync("umount", ["-l", dbDir])
        })
      } else {
        report.disk = { skipped: `mount -t tmpfs failed: ${(m.stderr || m.error?.message || "").trim()}` }
      }
    }
    const diskOn = "mounted" in report.disk
    const db = join(dbDir, "t.db")
    const ballast = join(dbDir, "ballast")

    // ---- the twins on PTYs, the drivers on stable "by-id" links the harness keeps pointing at the current host end
    const bundled = await bundle()
    cleanups.unshift(() => rmSync(bundled, { force: true }))
    const devs: ReadonlyArray<Dev> = ["locker", "card", "modem"]
    const config = JSON.parse(readFileSync(join(root, "devices.example.json"), "utf8"))
    const hostOf: Record<Dev, string> = { locker: join(dir, "pts", "locker-0"), card: join(dir, "pts", "card-0"), modem: join(dir, "pts", "modem-0") }
    const aliasOf: Record<Dev, string> = { locker: join(dir, "by-id", "locker"), card: join(dir, "by-id", "card"), modem: join(dir, "by-id", "modem") }
    mkdirSync(join(dir, "pts"))
    mkdirSync(join(dir, "by-id"))
    for (const d of devs) config[d].port.path = hostOf[d]
    const twinConfig = join(dir, "twin.json")
    writeFileSync(twinConfig, JSON.stringify(config))
    for (const d of devs) config[d].port.path = aliasOf[d]
    const terminalConfig = join(dir, "devices.json")
    writeFileSync(terminalConfig, JSON.stringify(config))
    const twinChild = spawn(process.execPath, [bundled, "twin", "--config", twinConfig, "--control-port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    cleanups.unshift(() =>
      new Promise<void>((resolve) => {
        if (twinChild.exitCode !== null || twinChild.signalCode !== null) return resolve()
        const t = setTimeout(() => twinChild.kill("SIGKILL"), 5000)
        twinChild.once("exit", () => (clearTimeout(t), resolve()))
        twinChild.kill("SIGTERM")
      })
    )
    const twinLog = createWriteStream(join(dir, "twin.log"))
    cleanups.unshift(() => new Promise<void>((resolve) => twinLog.end(resolve)))
    const toTwinLog = (d: Buffer) => {
      if (!twinLog.writableEnded) twinLog.write(d)
    }
    twinChild.stdout?.on("data", toTwinLog)
    twinChild.stderr?.on("data", toTwinLog)
    const control = (JSON.parse((await waitForLine(twinChild, /AMTOMAT_TWIN (\{.*\})/, 60_000))[1]!) as { control: string }).control
    const hands = await Effect.runPromise(TwinControl.client(control))
    const pointAlias = (d: Dev, target: string) => {
      const tmp = `${aliasOf[d]}.new`
      try {
        unlinkSync(tmp)
      } catch {
        // none left over
      }
      symlinkSync(target, tmp)
      renameSync(tmp, aliasOf[d])
    }
    for (const d of devs) pointAlias(d, hostOf[d])

    // ---- the terminal, restarted (and counted) should it ever exit, as systemd would
    const policyPath = join(dir, "policy.json")
    writeFileSync(policyPath, JSON.stringify(options.policy))
    const logFile = createWriteStream(join(dir, "terminal.log"))
    cleanups.unshift(() => new Promise<void>((resolve) => logFile.end(resolve)))
    const onOutput = (chunk: Buffer) => {
      report.logBytes += chunk.length
      if (!logFile.writableEnded) logFile.write(chunk)
    }
    const startedAt = Date.now()
    addStaff(bundled, db)
    const start = () =>
      startTerminal(bundled, { config: terminalConfig }, db, {
        args: options.policyFile ? ["--policy", policyPath] : [],
        // the tmpfs is small: "nearly full" below 1 MiB, so the ballast (not the size) makes it degraded
        env: { AMTOMAT_MIN_FREE_MB: "1" },
        onOutput
      })
    let terminal: Terminal = await start()
    let stopping = false
    let stoppingTerminal = false
    const watchExit = (t: Terminal) =>
      t.child.once("exit", (code, signal) => {
        if (stoppingTerminal) return
        report.terminalExits++
        say(`soak: terminal exited (${code ?? signal}) at ${Math.round((Date.now() - startedAt) / 1000)} s; restarting`)
        void start().then((next) => {
          terminal = next
          watchExit(next)
        }, (e) => say(`soak: restart failed: ${String(e)}`))
      })
    watchExit(terminal)
    cleanups.unshift(async () => {
      stoppingTerminal = true
      await stopTerminal(terminal)
    })

    let token = ""
    const http = async (method: string, path: string, body?: unknown, ms = 30_000, signal?: AbortSignal) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      if (body !== undefined) headers["content-type"] = "application/json"
      try {
        const timeout = AbortSignal.timeout(ms)
        const r = await fetch(`${terminal.base}${path}`, {
          method,
          headers,
          signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        const text = await r.text()
        let parsed: any = undefined
        try {
          parsed = text ? JSON.parse(text) : undefined
        } catch {
          parsed = text
        }
        if (r.status === 401 && !path.endsWith("/login")) await signIn()
        return { status: r.status, body: parsed }
      } catch {
        return { status: 0, body: undefined as any }
      }
    }
    const signIn = async () => {
      const r = await http("POST", "/api/staff/login", { username: "crash", password: "crash-password-1" })
      if (r.status === 200) token = r.body.token
    }
    await signIn()
    const acks: Array<Ack> = []
    const ack = (type: string, match: Record<string, string>) => acks.push({ type, match })
    const layout = (await http("GET", "/api/staff/compartments")).body as Array<{ id: number; channel: { board: number; lock: number } }>
    const intake = config.layout.intake as { board: number; lock: number }
    const key = (c: { board: number; lock: number }) => `${c.board}/${c.lock}`
    const idOf = new Map(layout.map((c) => [key(c.channel), c.id]))
    const channelOf = (id: number) => layout.find((c) => c.id === id)!.channel
    const locks = async () => {
      const r = await run(hands.locker.locks)
      return r._tag === "Right" ? (r.right as ReadonlyArray<Lock>) : []
    }
    const health = async () => (await http("GET", "/health", undefined, 5000)).body as Health | undefined

    // ---- when the terminal cannot see (locker bus down, disk full), the clock of the open-door check restarts when it can again
    let blindUntil = 0
    const blind = () => (blindUntil = Infinity)
    const sight = () => (blindUntil = Date.now())
    const alarmAfter = (Math.max(options.policy.doorOpenAlarmSeconds, options.policy.takeSeconds) + 5) * 1000
    const openSince = new Map<string, number>()
    const flagged = new Set<string>()
    const doorCheck = async () => {
      const ls = await locks()
      const now = Date.now()
      for (const l of ls) {
        const k = key(l.channel)
        if (!l.doorOpen) {
          openSince.delete(k)
          for (const f of flagged) if (f.startsWith(`${k}@`)) flagged.delete(f)
          continue
        }
        if (!openSince.has(k)) openSince.set(k, now)
      }
      const due = ls.filter((l) =>
        l.doorOpen && l.item && key(l.channel) !== key(intake) &&
        now - Math.max(openSince.get(key(l.channel))!, blindUntil) > alarmAfter
      )
      if (due.length === 0) return ls
      const alarms = await http("GET", "/api/staff/alarms?open=true", undefined, 5000)
      if (alarms.status !== 200) return ls
      const open = new Set(
        (alarms.body as Array<{ kind: string; compartmentId: number | null }>).filter((a) => a.kind === "door_left_open").map((a) => a.compartmentId)
      )
      for (const l of due) {
        const id = idOf.get(key(l.channel))!
        const episode = `${key(l.channel)}@${openSince.get(key(l.channel))}`
        if (open.has(id) || flagged.has(episode)) continue
        flagged.add(episode)
        report.documentsBehindOpenDoorWithoutAlarm++
        const v = { compartmentId: id, openSeconds: Math.round((now - openSince.get(key(l.channel))!) / 1000), atSecond: Math.round((now - startedAt) / 1000) }
        if (report.openDoorViolations.length < 20) report.openDoorViolations.push(v)
        say(`soak: document behind an open door without an alarm: ${JSON.stringify(v)}`)
      }
      return ls
    }
    /** Someone passing by pushes shut what stood open long past the alarm (after the check looked at it). */
    const janitor = async (ls: ReadonlyArray<Lock>) => {
      const now = Date.now()
      for (const l of ls) {
        const since = openSince.get(key(l.channel))
        if (l.doorOpen && since !== undefined && now - Math.max(since, blindUntil) > alarmAfter + 5000) await run(hands.locker.close(l.channel))
      }
    }
    const watcher = (async () => {
      while (!stopping) {
        const ls = await doorCheck().catch(() => [])
        await janitor(ls).catch(() => undefined)
        await sleep(1000)
      }
    })()

    // ---- citizens, one at a time at the one kiosk
    const reloadOrders: Array<{ readonly id: string; readonly takenAfterMs: number }> = []
    let phone = 0
    const failed = (step: string, r: { status: number; body: any }) => {
      const k = `${step}:${r.status}${typeof r.body?._tag === "string" ? ` ${r.body._tag}` : ""}${
        typeof r.body?.reason === "string" ? ` ${r.body.reason}` : ""
      }`
      report.pickups.failedAt[k] = (report.pickups.failedAt[k] ?? 0) + 1
    }
    const citizen = async () => {
      const ls = await locks()
      const openDoors = new Set(ls.filter((l) => l.doorOpen).map((l) => key(l.channel)))
      const r = await http("GET", "/api/staff/orders?status=loaded", undefined, 5000)
      const orders =
        ((r.status === 200 ? r.body : []) as Array<{ id: string; pickupNumber: string; phone: string; compartmentId: number; requiresOldDocument: boolean }>)
          .filter((o) => o.compartmentId !== null && !openDoors.has(key(channelOf(o.compartmentId))))
      if (orders.length === 0) return sleep(500)
      const o = pick(orders)
      const x = random()
      const mode = x < 0.1 ? "abandon" : x < 0.2 ? "walk-away" : x < 0.35 ? "reload" : "full"
      report.pickups.attempted++
      await run(hands.card.insert(`soak-${o.id}`))
      const s = await http("POST", "/api/kiosk/session", undefined, 40_000)
      if (s.status !== 200) return failed("session", s)
      const sessionId = s.body.sessionId as string
      ack("CardSessionStarted", { sessionId })
      const identified = await http("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: o.pickupNumber }, 90_000)
      if (identified.status !== 200) return failed("identify", identified)
      ack("PickupStarted", { orderId: o.id })
      if (mode === "abandon" && random() < 0.5) {
        report.pickups.abandoned++
        if (random() < 0.5) await http("POST", "/api/kiosk/pickup/cancel", { sessionId })
        return
      }
      const inbox = await run(hands.sms.inbox(o.phone))
      const texts = inbox._tag === "Right" ? (inbox.right as ReadonlyArray<{ text: string }>) : []
      const code = lastCodeIn(texts.map((m) => m.text))
      if (!code) return failed("sms", { status: 0, body: undefined })
      const verified = await http("POST", "/api/kiosk/pickup/verify", { sessionId, code })
      if (verified.status !== 200) return failed("verify", verified)
      ack("CodeVerified", { sessionId, orderId: o.id })
      if (o.requiresOldDocument) {
        const intakeCall = http("POST", "/api/kiosk/pickup/old-document", { sessionId }, (options.policy.intakeSeconds + 20) * 1000)
        await sleep(between(200, 600))
        await run(hands.locker.putItem(intake))
        await sleep(between(200, 600))
        await run(hands.locker.close(intake))
        const received = await intakeCall
        if (received.status !== 200) return failed("old-document", received)
        ack("OldDocumentReceived", { sessionId, orderId: o.id })
      }
      if (mode === "abandon") {
        report.pickups.abandoned++
        if (random() < 0.5) await http("POST", "/api/kiosk/pickup/cancel", { sessionId })
        return
      }
      const opened = await http("POST", "/api/kiosk/pickup/open", { sessionId })
      if (opened.status !== 200) return failed("open", opened)
      ack("CompartmentOpened", { orderId: o.id })
      const channel = channelOf(o.compartmentId)
      if (mode === "walk-away") {
        // the citizen leaves without taking anything, the door stands open with the document inside
        report.pickups.walkedAway++
        return
      }
      if (mode === "reload") {
        report.pickups.reloads++
        const openedAt = Date.now()
        const page = new AbortController()
        const completing = http("POST", "/api/kiosk/pickup/complete", { sessionId }, 60_000, page.signal)
        await sleep(between(100, 800))
        page.abort()
        await completing
        await http("POST", "/api/kiosk/resume")
        await sleep(between(100, 500))
        await run(hands.locker.takeItem(channel))
        reloadOrders.push({ id: o.id, takenAfterMs: Date.now() - openedAt })
        await sleep(between(100, 500))
        await run(hands.locker.close(channel))
        return
      }
      const completing = http(
        "POST",
        "/api/kiosk/pickup/complete",
        { sessionId },
        (options.policy.takeSeconds + options.policy.doorOpenAlarmSeconds + 20) * 1000
      )
      await sleep(between(200, 1000))
      await run(hands.locker.takeItem(channel))
      await sleep(between(100, 600))
      await run(hands.locker.close(channel))
      const done = await completing
      if (done.status === 200 && done.body?.collected === true) {
        ack("PickupCompleted", { orderId: o.id })
        report.pickups.completedAcknowledged++
      } else failed("complete", done)
    }
    const citizens = (async () => {
      while (!stopping) {
        await citizen().catch((e) => say(`soak: citizen failed: ${String(e)}`))
        await sleep(between(100, 600))
      }
    })()

    // ---- staff, in the back office, at the same time
    const unconfirmed: Array<string> = []
    const loadOne = async () => {
      const [loaded, compartments] = await Promise.all([
        http("GET", "/api/staff/orders?status=loaded", undefined, 5000),
        http("GET", "/api/staff/compartments", undefined, 5000)
      ])
      if (loaded.status !== 200 || compartments.status !== 200) return sleep(1000)
      if ((loaded.body as Array<unknown>).length >= 4 || !(compartments.body as Array<{ state: string }>).some((c) => c.state === "free")) return sleep(1000)
      const p = `+4915170${String(++phone).padStart(6, "0")}`
      const order = await http("POST", "/api/staff/orders", { documentKind: "id-card", phone: p, requiresOldDocument: random() < 0.3 })
      if (order.status !== 201) return sleep(500)
      ack("OrderAnnounced", { orderId: order.body.id })
      const c = await http("POST", `/api/staff/orders/${order.body.id}/load`)
      if (c.status !== 200) return sleep(500)
      report.loads.started++
      await sleep(between(200, 800))
      await run(hands.locker.putItem(c.body.channel))
      await sleep(between(100, 500))
      await run(hands.locker.close(c.body.channel))
      if (random() < 0.3) {
        // never confirmed: the server settles the load when the door is shut
        report.loads.unconfirmed++
        unconfirmed.push(order.body.id)
        return
      }
      const confirmed = await http("POST", `/api/staff/orders/${order.body.id}/load/confirm`, undefined, (options.policy.takeSeconds + 20) * 1000)
      if (confirmed.status === 200) {
        ack("OrderLoaded", { orderId: order.body.id })
        report.loads.confirmed++
      }
    }
    const staff = (async () => {
      while (!stopping) {
        await loadOne().catch((e) => say(`soak: staff failed: ${String(e)}`))
        await sleep(between(200, 1500))
      }
    })()

    // ---- faults, one after another
    const recoveries: Record<string, Array<number>> = {}
    const unrecovered: Record<string, number> = {}
    const deviceKeys: Record<Dev, string> = { locker: "locker", card: "card", modem: "sms" }
    const count = (kind: string) => (report.faults[kind] = (report.faults[kind] ?? 0) + 1)
    const recovered = (kind: string, ms: number | null) => {
      if (ms === null) unrecovered[kind] = (unrecovered[kind] ?? 0) + 1
      else (recoveries[kind] ??= []).push(ms)
    }
    /** Polls /health from the start of the fault: whether it ever showed the device down, and when it is all up after `end`. */
    const observe = (d: Dev) => {
      const prefix = deviceKeys[d]
      let sawDown = false
      let done = false
      // every part of the device that reported is ok ("unknown" = never reported: see the report on /health)
      const isUp = (h: Health | undefined) => {
        if (h === undefined || !Array.isArray(h.parts)) return false
        const parts = h.parts.filter((p) => p.device === prefix && p.state !== "unknown")
        return parts.length > 0 && parts.every((p) => p.state === "ok")
      }
      const during = (async () => {
        while (!done) {
          if (!isUp(await health())) sawDown = true
          await sleep(100)
        }
      })()
      return {
        until: async (end: number, limitMs: number) => {
          done = true
          await during
          for (;;) {
            const up = isUp(await health())
            if (!up) sawDown = true
            if (up) return { ms: Date.now() - end, sawDown }
            if (Date.now() - end > limitMs) return { ms: null, sawDown }
            await sleep(100)
          }
        }
      }
    }
    const replugCount: Record<Dev, number> = { locker: 0, card: 0, modem: 0 }
    const deviceFault = async (kind: FaultKind, d: Dev, repath: boolean) => {
      const seen = observe(d)
      if (d === "locker") blind()
      await run(hands.twins.unplug(d))
      await sleep(between(2000, 5000))
      if (repath) {
        const next = join(dir, "pts", `${d}-${++replugCount[d]}`)
        const at = await run(hands.twins.replug(d, next))
        pointAlias(d, at._tag === "Right" ? at.right : next)
      } else {
        await run(hands.twins.replug(d))
      }
      const end = Date.now()
      const r = await seen.until(end, 60_000)
      if (d === "locker") sight()
      recovered(kind, r.ms)
      if (!r.sawDown) report.unnoticed[kind] = (report.unnoticed[kind] ?? 0) + 1
    }
    const diskFault = async () => {
      blind()
      const free = (() => {
        const s = statfsSync(dbDir)
        return s.bavail * s.bsize
      })()
      const fd = openSync(ballast, "w")
      const chunk = Buffer.alloc(64 * 1024)
      // to the last block: what SQLite has not allocated yet (a grown WAL keeps its pages) it cannot get
      let left = free + 1024 * 1024
      try {
        while (left > 0) left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left))
      } catch {
        // ENOSPC: full
      } finally {
        closeSync(fd)
      }
      const holdUntil = Date.now() + between(4000, 8000)
      let sawDown = false
      while (Date.now() < holdUntil) {
        const h = await health()
        if ((h as { database?: { state?: string } } | undefined)?.database?.state === "down") sawDown = true
        const order = await http("POST", "/api/staff/orders", {
          documentKind: "id-card",
          phone: `+4915180${String(++phone).padStart(6, "0")}`,
          requiresOldDocument: false
        }, 5000)
        if (order.status === 201) {
          report.disk = {
            ...report.disk,
            writesAcceptedWhileFull: ((report.disk as { writesAcceptedWhileFull?: number }).writesAcceptedWhileFull ?? 0) + 1
          } as SoakReport["disk"]
          ack("OrderAnnounced", { orderId: order.body.id })
        } else {
          report.disk = {
            ...report.disk,
            writesRefusedWhileFull: ((report.disk as { writesRefusedWhileFull?: number }).writesRefusedWhileFull ?? 0) + 1
          } as SoakReport["disk"]
        }
        await sleep(500)
      }
      if (!sawDown) report.unnoticed["disk-full"] = (report.unnoticed["disk-full"] ?? 0) + 1
      rmSync(ballast, { force: true })
      const end = Date.now()
      const dbBack = (async () => {
        for (;;) {
          const h = await health()
          if ((h as { database?: { state?: string } } | undefined)?.database?.state === "ok") return recovered("disk-full:health", Date.now() - end)
          if (Date.now() - end > 60_000) return recovered("disk-full:health", null)
          await sleep(100)
        }
      })()
      for (;;) {
        const order = await http("POST", "/api/staff/orders", {
          documentKind: "id-card",
          phone: `+4915180${String(++phone).padStart(6, "0")}`,
          requiresOldDocument: false
        }, 5000)
        if (order.status === 201) {
          ack("OrderAnnounced", { orderId: order.body.id })
          recovered("disk-full", Date.now() - end)
          break
        }
        if (Date.now() - end > 60_000) {
          recovered("disk-full", null)
          break
        }
        await sleep(100)
      }
      await dbBack
      sight()
    }
    const kinds: Array<FaultKind> = [
      "unplug:locker",
      "unplug:card",
      "unplug:modem",
      "repath:locker",
      "repath:card",
      "repath:modem",
      "modem-reboot",
      "reload",
      ...(diskOn ? ["disk-full" as const] : [])
    ]
    let cycle: Array<FaultKind> = []
    const faults = (async () => {
      await sleep(between(0.5, 1.5) * options.faultEvery * 1000)
      while (!stopping && Date.now() - startedAt < options.seconds * 1000 - 10_000) {
        if (cycle.length === 0) cycle = [...kinds].sort(() => random() - 0.5)
        const kind = cycle.shift()!
        count(kind)
        say(`soak: ${Math.round((Date.now() - startedAt) / 1000)} s: ${kind}`)
        if (kind.startsWith("unplug:")) await deviceFault(kind, kind.slice(7) as Dev, false)
        else if (kind.startsWith("repath:")) await deviceFault(kind, kind.slice(7) as Dev, true)
        else if (kind === "modem-reboot") {
          const seen = observe("modem")
          await run(hands.modemFaults.reboot)
          const r = await seen.until(Date.now(), 60_000)
          recovered(kind, r.ms)
        } else if (kind === "reload") {
          await http("POST", "/api/kiosk/resume")
        } else await diskFault()
        await sleep(between(0.5, 1.5) * options.faultEvery * 1000)
      }
    })()

    // ---- the end: let the workflows stop, the doors' alarms come due, check, shut everything, read the log
    while (Date.now() - startedAt < options.seconds * 1000) await sleep(250)
    stopping = true
    await Promise.all([citizens, staff, faults, watcher])
    const settleUntil = Date.now() + alarmAfter + 2000
    while (Date.now() < settleUntil) {
      const ls = await doorCheck()
      const young = ls.some((l) => l.doorOpen && l.item && Date.now() - Math.max(openSince.get(key(l.channel)) ?? 0, blindUntil) <= alarmAfter)
      if (!young) break
      await sleep(1000)
    }
    await doorCheck()
    for (const l of await locks()) if (l.doorOpen) await run(hands.locker.close(l.channel))
    await sleep(3000)
    report.health = await health()
    const elapsed = Date.now() - startedAt
    for (const u of unconfirmed) {
      const o = await http("GET", `/api/staff/orders/${u}`, undefined, 5000)
      if (o.status === 200 && o.body.status !== "announced") report.loads.unconfirmedSettled++
      else report.loads.unconfirmedUnsettled.push(`${u}: ${o.status === 200 ? `${o.body.status}, compartment ${o.body.compartmentId}` : `HTTP ${o.status}`}`)
    }
    stoppingTerminal = true
    await stopTerminal(terminal)
    report.logBytesPerHour = Math.round(report.logBytes * 3_600_000 / elapsed)

    const sql = new Database(db, { readonly: true, fileMustExist: true })
    try {
      const rows = sql.prepare("SELECT * FROM events ORDER BY seq").all() as Array<EventRow>
      const chain = verifyRows(rows)
      report.chain = chain.ok ? "intact" : `broken at ${chain.brokenAt}: ${chain.problem}`
      const events = rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }))
      for (const a of acks) {
        if (!events.some((e) => e.type === a.type && Object.entries(a.match).every(([k, v]) => e.data[k] === v))) {
          report.eventsLost++
          if (report.missingEvents.length < 20) report.missingEvents.push(`${a.type} ${JSON.stringify(a.match)}`)
        }
      }
      if (!chain.ok) report.eventsLost++
      report.acknowledged = acks.length
      const completed = new Set(events.filter((e) => e.type === "PickupCompleted").map((e) => String(e.data["orderId"])))
      report.pickups.completed = completed.size
      // the door's watch gives the citizen the take time from the open door; a take in the last half
      // second of it (or after) may be late by the time the terminal reads the sensor
      const inTime = options.policy.takeSeconds * 1000 - 500
      for (const o of reloadOrders) {
        if (completed.has(o.id)) report.pickups.reloadsCollected++
        else if (o.takenAfterMs > inTime) report.pickups.reloadsLate++
        else {
          const story = rows.filter((r) => JSON.parse(r.data)["orderId"] === o.id).map((r) => `${r.at.slice(11, 23)} ${r.type}`)
          report.pickups.reloadsNotCollected.push(`${o.id}: taken ${o.takenAfterMs} ms after the door opened; its events: ${story.join(", ")}`)
        }
      }
    } finally {
      sql.close()
    }
    try {
      consistencyCheck(db, [], { kills: 0, acknowledged: 0, pickups: 0, loads: 0, findings: 0 } satisfies CrashReport)
      report.consistency = "ok"
    } catch (e) {
      report.consistency = e instanceof Error ? e.message : String(e)
    }
    const all = new Set([...Object.keys(recoveries), ...Object.keys(unrecovered)])
    for (const k of all) report.recoveryMs[k] = stats(recoveries[k] ?? [], unrecovered[k] ?? 0)
    return report
  } finally {
    for (const c of cleanups) {
      try {
        await c()
      } catch (e) {
        say(`soak: cleanup failed: ${String(e)}`)
      }
    }
  }
}

/** SIGTERM, then SIGKILL if it does not stop within 10 s. */
const stopTerminal = (t: Terminal) =>
  new Promise<void>((resolve) => {
    if (t.child.exitCode !== null || t.child.signalCode !== null) return resolve()
    const timer = setTimeout(() => void kill(t).then(resolve), 10_000)
    t.child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    t.child.kill("SIGTERM")
  })

/** The options from the environment (see the top of this file). */
export const optionsFromEnv = (defaults: { seconds: number; faultEvery: number; policy: "short" | "default" }, log?: (line: string) => void): SoakOptions => {
  const env = process.env
  const num = (name: string) => (env[name] !== undefined && env[name] !== "" && Number.isFinite(Number(env[name])) ? Number(env[name]) : undefined)
  const seconds = num("AMTOMAT_SOAK_SECONDS") ?? (num("AMTOMAT_SOAK_MINUTES") !== undefined ? num("AMTOMAT_SOAK_MINUTES")! * 60 : defaults.seconds)
  const policyName = env["AMTOMAT_SOAK_POLICY"] === "short" || env["AMTOMAT_SOAK_POLICY"] === "default" ? env["AMTOMAT_SOAK_POLICY"] : defaults.policy
  return {
    seconds,
    seed: num("AMTOMAT_SOAK_SEED") ?? Date.now() % 100000,
    faultEvery: num("AMTOMAT_SOAK_FAULT_EVERY") ?? defaults.faultEvery,
    policy: policyName === "short" ? shortPolicy : defaultSoakPolicy,
    policyFile: policyName === "short",
    disk: env["AMTOMAT_SOAK_DISK"] !== "0",
    tmpfsMiB: num("AMTOMAT_SOAK_TMPFS_MB") ?? (seconds <= 300 ? 8 : 64),
    keep: env["AMTOMAT_SOAK_KEEP"] === "1",
    ...(log === undefined ? {} : { log })
  }
}
