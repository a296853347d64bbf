/**
 * GET /metrics: Prometheus text format (prom-client), one registry per
 * server — never the global default one. Values are read at scrape time from
 * the same cached condition as /health (DeviceStatus, the background database
 * probe, cheap queries), plus prom-client's default process metrics.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client"
import { makeCondition } from "./condition.ts"

export const metricsRoute = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const condition = yield* makeCondition
    const registers = [new Registry()]
    const [registry] = registers as [Registry]
    collectDefaultMetrics({ register: registry })
    const deviceUp = new Gauge({
      name: "amtomat_device_up",
      help: "1 when the device (or part) last reported up, 0 when down or never reported",
      labelNames: ["device"],
      registers
    })
    const deviceReported = new Gauge({
      name: "amtomat_device_reported",
      help: "1 when the device (or part) has reported its state at least once",
      labelNames: ["device"],
      registers
    })
    const reconnects = new Counter({
      name: "amtomat_device_reconnects_total",
      help: "how often the device (or part) came back after being lost",
      labelNames: ["device"],
      registers
    })
    const healthy = new Gauge({ name: "amtomat_healthy", help: "1 when /health answers ok, 0 when degraded", registers })
    const writable = new Gauge({ name: "amtomat_database_writable", help: "1 when the last database probe could write", registers })
    const freeBytes = new Gauge({ name: "amtomat_database_free_bytes", help: "free space on the database's file system", registers })
    const pickups = new Counter({ name: "amtomat_pickups_completed_total", help: "completed pickups (PickupCompleted events in the log)", registers })
    const alarms = new Gauge({ name: "amtomat_alarms_open", help: "alarms neither acknowledged nor resolved", registers })
    const outboxDepth = new Gauge({ name: "amtomat_outbox_depth", help: "applications not delivered yet (pending and failed)", registers })
    const outboxOldest = new Gauge({
      name: "amtomat_outbox_oldest_undelivered_seconds",
      help: "age of the oldest undelivered application, 0 when none",
      registers
    })
    const events = new Gauge({ name: "amtomat_event_log_length", help: "events in the hash-chained event log", registers })

    yield* router.get(
      "/metrics",
      Effect.gen(function*() {
        const c = yield* condition.read()
        deviceUp.reset()
        deviceReported.reset()
        reconnects.reset()
        for (const part of c.parts) {
          deviceUp.set({ device: part.key }, part.state === "ok" ? 1 : 0)
          deviceReported.set({ device: part.key }, part.state === "unknown" ? 0 : 1)
          reconnects.inc({ device: part.key }, part.reconnects)
        }
        healthy.set(c.status === "ok" ? 1 : 0)
        writable.set(c.database.writable ? 1 : 0)
        if (c.database.freeBytes !== null) freeBytes.set(c.database.freeBytes)
        pickups.reset()
        pickups.inc(c.pickupsCompleted)
        alarms.set(c.alarms.open)
        outboxDepth.set(c.outbox.depth)
        outboxOldest.set(c.outbox.oldestUndeliveredSeconds ?? 0)
        events.set(c.events)
        const text = yield* Effect.promise(() => registry.metrics())
        return HttpServerResponse.text(text, { contentType: registry.contentType, headers: { "cache-control": "no-store" } })
      }).pipe(Effect.withSpan("Metrics.scrape"))
    )
  })
)
