/**
 * The terminal's condition as a night operator needs it, from cached state
 * and cheap queries only — never a bus poll: each device as its adapter last
 * reported it (DeviceStatus), the database (writable, free space on its file
 * system; probed in the background at most every few seconds), the
 * applications outbox and the open alarms. Read by /health and /metrics.
 */
import { Clock, Context, DateTime, Duration, Effect, Ref, Schedule, Schema } from "effect"
import { statfs } from "node:fs/promises"
import { dirname } from "node:path"
import { TerminalPolicy } from "../../core/domain/config.ts"
import type { Device } from "../../core/domain/events.ts"
import { AlarmsRepo } from "../../core/persistence/AlarmsRepo.ts"
import { ApplicationsRepo } from "../../core/persistence/ApplicationsRepo.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { mainFile, writeProbe } from "../../core/persistence/sqliteFile.ts"
import { deviceKey, DeviceStatus } from "../../core/ports/DeviceStatus.ts"

/** The devices every terminal has: one that never reported is "unknown", which is not ok. */
export const expectedDevices: ReadonlyArray<Device> = ["locker", "card", "sms", "scanner", "authority"]

export class HealthSettings extends Context.Reference<HealthSettings>()("amtomat/HealthSettings", {
  defaultValue: () => ({
    /** below this much free space on the database's file system the terminal is degraded */
    minFreeBytes: 256 * 1024 * 1024,
    /** how often the database is probed for writability and free space */
    databaseCheckEvery: Duration.seconds(5) as Duration.Duration
  })
}) {}

/** The defaults, with AMTOMAT_MIN_FREE_MB (the free space below which the database counts as nearly full) from the environment. */
export const healthSettingsFromEnv = (): typeof HealthSettings.Service => {
  const settings = HealthSettings.defaultValue()
  const text = process.env["AMTOMAT_MIN_FREE_MB"] ?? ""
  const mb = Number(text)
  return text !== "" && Number.isFinite(mb) && mb >= 0 ? { ...settings, minFreeBytes: mb * 1024 * 1024 } : settings
}

export const PartState = Schema.Literal("ok", "down", "unknown")

export const DeviceCheck = Schema.Struct({
  key: Schema.String,
  device: Schema.String,
  part: Schema.String,
  state: PartState,
  detail: Schema.String,
  /** when the state last changed (ISO), null if never reported */
  since: Schema.NullOr(Schema.String),
  reconnects: Schema.Int
})
export type DeviceCheck = typeof DeviceCheck.Type

export const DatabaseCheck = Schema.Struct({
  state: Schema.Literal("ok", "down"),
  writable: Schema.Boolean,
  detail: Schema.String,
  /** when the last probe ran (ISO), null before the first */
  checkedAt: Schema.NullOr(Schema.String),
  freeBytes: Schema.NullOr(Schema.Number),
  totalBytes: Schema.NullOr(Schema.Number),
  minFreeBytes: Schema.Number
})
export type DatabaseCheck = typeof DatabaseCheck.Type

export const OutboxCheck = Schema.Struct({
  /** undelivered applications: pending (still being retried) plus failed (given up, need staff) */
  depth: Schema.Int,
  pending: Schema.Int,
  failed: Schema.Int,
  oldestUndeliveredAt: Schema.NullOr(Schema.String),
  oldestUndeliveredSeconds: Schema.NullOr(Schema.Number)
})

const conditionFields = {
  site: Schema.String,
  terminal: Schema.String,
  checkedAt: Schema.String,
  /** one sentence per reason the terminal is degraded; empty when ok */
  problems: Schema.Array(Schema.String),
  /** the state of each device key and of "database", at a glance */
  devices: Schema.Record({ key: Schema.String, value: PartState }),
  parts: Schema.Array(DeviceCheck),
  database: DatabaseCheck,
  outbox: OutboxCheck,
  alarms: Schema.Struct({ open: Schema.Int }),
  /** length of the event log */
  events: Schema.Int,
  /** PickupCompleted events in the log */
  pickupsCompleted: Schema.Int
}

/** 200: every device up, the database writable with room to spare. */
export const HealthOk = Schema.Struct({ status: Schema.Literal("ok"), ...conditionFields }).annotations({ identifier: "HealthOk" })
/** 503: a device down or unknown, the database not writable or nearly full. */
export const HealthDegraded = Schema.Struct({ status: Schema.Literal("degraded"), ...conditionFields }).annotations({ identifier: "HealthDegraded" })
export type Condition = typeof HealthOk.Type | typeof HealthDegraded.Type

const MiB = 1024 * 1024
const iso = (millis: number) => DateTime.formatIso(DateTime.unsafeMake(millis))
const messageOf = (e: { readonly cause?: unknown; readonly message: string }) => e.cause instanceof Error ? e.cause.message : e.message

interface Probe {
  readonly writable: boolean
  readonly detail: string
  readonly checkedAt: number | null
  readonly freeBytes: number | null
  readonly totalBytes: number | null
}

/**
 * Builds the reader; scoped: the database probe runs in the background for
 * as long as the scope (the HTTP server) lives.
 */
export const makeCondition = Effect.gen(function*() {
  const log = yield* EventLog
  const alarmsRepo = yield* AlarmsRepo
  const applications = yield* ApplicationsRepo
  const config = yield* TerminalPolicy
  const status = yield* DeviceStatus
  const settings = yield* HealthSettings
  const file = yield* mainFile
  const probe = yield* Ref.make<Probe>({ writable: false, detail: "not checked yet", checkedAt: null, freeBytes: null, totalBytes: null })

  const check = Effect.gen(function*() {
    // fails on a read-only file or file system, on a full disk with a pending journal, on a corrupt file
    const write = yield* Effect.either(writeProbe)
    const space = file === ""
      ? undefined
      : yield* Effect.either(Effect.tryPromise(() => statfs(dirname(file))))
    const now = yield* Clock.currentTimeMillis
    const busy = write._tag === "Left" && String((write.left.cause as { code?: unknown } | undefined)?.code ?? "").startsWith("SQLITE_BUSY")
    yield* Ref.set(probe, {
      writable: write._tag === "Right" || busy,
      detail: write._tag === "Right" ? "writable" : busy ? "writable (another process was writing)" : `not writable: ${messageOf(write.left)}`,
      checkedAt: now,
      freeBytes: space?._tag === "Right" ? space.right.bavail * space.right.bsize : null,
      totalBytes: space?._tag === "Right" ? space.right.blocks * space.right.bsize : null
    })
  }).pipe(Effect.withSpan("Condition.probeDatabase"))
  yield* check
  yield* check.pipe(Effect.repeat(Schedule.spaced(settings.databaseCheckEvery)), Effect.forkScoped)

  const read = Effect.fn("Condition.read")(function*() {
    const now = yield* Clock.currentTimeMillis
    const current = yield* status.current
    const reported = new Map(current.map((h) => [deviceKey(h), h] as const))
    // a device counts as reported when it or any part of it (its serial port, a board) did
    const heardOf = new Set(current.map((h) => h.device))
    const parts: Array<DeviceCheck> = [
      ...expectedDevices.filter((d) => !heardOf.has(d)).map((device): DeviceCheck => ({
        key: device,
        device,
        part: "",
        state: "unknown",
        detail: "has not reported yet",
        since: null,
        reconnects: 0
      })),
      ...[...reported.entries()].map(([key, h]): DeviceCheck => ({
        key,
        device: h.device,
        part: h.part,
        state: h.up ? "ok" : "down",
        detail: h.detail,
        since: iso(h.since),
        reconnects: h.reconnects
      }))
    ].sort((a, b) => a.key.localeCompare(b.key))

    const events = yield* Effect.either(log.lastSeq)
    const pickups = yield* Effect.either(log.count("PickupCompleted"))
    const outbox = yield* Effect.either(applications.outboxStats)
    const alarms = yield* Effect.either(alarmsRepo.countOpen)
    const readable = events._tag === "Right" && outbox._tag === "Right" && alarms._tag === "Right"

    const p = yield* Ref.get(probe)
    const nearlyFull = p.freeBytes !== null && p.freeBytes < settings.minFreeBytes
    const dbOk = p.writable && readable && !nearlyFull
    const database: DatabaseCheck = {
      state: dbOk ? "ok" : "down",
      writable: p.writable,
      detail: !readable ? "cannot be read" : nearlyFull ? `nearly full: ${Math.floor((p.freeBytes ?? 0) / MiB)} MiB free` : p.detail,
      checkedAt: p.checkedAt === null ? null : iso(p.checkedAt),
      freeBytes: p.freeBytes,
      totalBytes: p.totalBytes,
      minFreeBytes: settings.minFreeBytes
    }

    const problems: Array<string> = []
    for (const part of parts) {
      if (part.state === "down") problems.push(`${part.key} is down since ${part.since}: ${part.detail}`)
      if (part.state === "unknown") problems.push(`${part.key} has not reported yet`)
    }
    if (!readable) problems.push("the database cannot be read")
    if (!p.writable) problems.push(`the database is ${p.detail}`)
    if (nearlyFull) {
      problems.push(
        `the database's file system is nearly full: ${Math.floor((p.freeBytes ?? 0) / MiB)} MiB free, at least ${
          Math.floor(settings.minFreeBytes / MiB)
        } MiB needed`
      )
    }

    const o = outbox._tag === "Right" ? outbox.right : undefined
    const oldest = o?.oldestUndeliveredAt ?? null
    const oldestMillis = oldest === null ? null : Date.parse(oldest)
    const pending = Number(o?.pending ?? 0)
    const failed = Number(o?.failed ?? 0)
    const fields = {
      site: config.site,
      terminal: config.terminalId,
      checkedAt: iso(now),
      problems,
      devices: Object.fromEntries([...parts.map((d) => [d.key, d.state] as const), ["database", database.state] as const]),
      parts,
      database,
      outbox: {
        depth: pending + failed,
        pending,
        failed,
        oldestUndeliveredAt: oldest,
        oldestUndeliveredSeconds: oldestMillis === null || Number.isNaN(oldestMillis) ? null : Math.max(0, (now - oldestMillis) / 1000)
      },
      alarms: { open: alarms._tag === "Right" ? alarms.right : 0 },
      events: events._tag === "Right" ? events.right : 0,
      pickupsCompleted: pickups._tag === "Right" ? pickups.right : 0
    }
    return problems.length === 0 ? { status: "ok" as const, ...fields } : { status: "degraded" as const, ...fields }
  })
  return { read } as const
})
