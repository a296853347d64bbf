/**
 * /health and /metrics read cached state only: each device as it last
 * reported to DeviceStatus (never a bus poll per request), the database
 * (writable, free space), the outbox and open alarms. 503 when degraded.
 */
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { demoLayout } from "../../core/domain/compartment.ts"
import { defaultPolicy } from "../../core/domain/config.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"
import { boot, databaseLayer, terminalLayer } from "../../kiosk/composition.ts"
import { expectedDevices, HealthSettings } from "../../kiosk/http/condition.ts"
import { httpAppLayer } from "../../kiosk/http/server.ts"
import { tempDb, testAuditKey } from "../support/terminal.ts"

let lockerCalls = 0
const countingLocker = (bank: typeof LockerBank.Service): typeof LockerBank.Service => ({
  open: (channel) => Effect.suspend(() => (lockerCalls++, bank.open(channel))),
  status: (channel) => Effect.suspend(() => (lockerCalls++, bank.status(channel))),
  snapshot: Effect.suspend(() => (lockerCalls++, bank.snapshot)),
  changes: bank.changes
})

const terminal = terminalLayer({
  config: { ...defaultPolicy, site: "health-test" },
  layout: demoLayout,
  cardKey: Buffer.from("00112233445566778899aabbccddeeff", "hex"),
  auditKey: testAuditKey,
  devices: Layer.map(Twins.layer(demoLayout, {}), (ctx) => Context.add(ctx, LockerBank, countingLocker(Context.get(ctx, LockerBank)))),
  database: databaseLayer(tempDb())
}).pipe(Layer.tap((context) => Effect.provide(boot("twin"), context)))

const scope = Effect.runSync(Scope.make())
let status: typeof DeviceStatus.Service
const apps: Array<{ readonly handler: (r: Request) => Promise<Response>; readonly dispose: () => Promise<void> }> = []

/** The whole HTTP app in-process over the one terminal; `settings` as a server would get them. */
const app = (settings?: Partial<typeof HealthSettings.Service>, deviceStatus?: typeof DeviceStatus.Service) => {
  const built = HttpApiBuilder.toWebHandler(
    Layer.mergeAll(httpAppLayer(true), HttpServer.layerContext).pipe(
      Layer.provide(Layer.succeedContext(deviceStatus === undefined ? context : Context.add(context, DeviceStatus, deviceStatus))),
      Layer.provide(Layer.succeed(HealthSettings, { ...HealthSettings.defaultValue(), ...settings }))
    )
  )
  apps.push(built)
  return built
}
let context: Context.Context<Layer.Layer.Success<typeof terminal>>
let main: ReturnType<typeof app>

const get = async (handler: (r: Request) => Promise<Response>, path: string) => {
  const response = await handler(new Request(`http://terminal${path}`))
  const text = await response.text()
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text }
}
const health = async (handler = main.handler) => {
  const r = await get(handler, "/health")
  return { status: r.status, body: JSON.parse(r.text) }
}
const allUp = Effect.gen(function*() {
  for (const device of expectedDevices) yield* status.report(device, true, `${device} connected`)
})

beforeAll(async () => {
  context = await Effect.runPromise(Scope.extend(Layer.build(terminal), scope))
  status = Context.get(context, DeviceStatus)
  main = app()
}, 60_000)
afterAll(async () => {
  for (const a of apps) await a.dispose()
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("/health", () => {
  it("devices that never reported are unknown, which is not ok: 503", async () => {
    // a DeviceStatus nobody reported to
    const silent = await Effect.runPromise(Effect.map(Scope.extend(Layer.build(DeviceStatus.layer), scope), Context.get(DeviceStatus)))
    const { status: code, body } = await health(app({}, silent).handler)
    expect(code).toBe(503)
    expect(body.status).toBe("degraded")
    expect(body.devices).toMatchObject({ locker: "unknown", card: "unknown", sms: "unknown", scanner: "unknown", authority: "unknown" })
    expect(body.problems).toContain("locker has not reported yet")
  })

  it("200 when every device reports up, 503 when one goes down, 200 when it is back — without touching the bus", async () => {
    await Effect.runPromise(allUp)
    await Effect.runPromise(status.report("locker", true, "board 1 answers", "board 1"))
    const before = lockerCalls
    const up = await health()
    expect(up.status).toBe(200)
    expect(up.body).toMatchObject({
      status: "ok",
      site: "health-test",
      problems: [],
      devices: { locker: "ok", "locker/board 1": "ok", card: "ok", sms: "ok", scanner: "ok", authority: "ok", database: "ok" },
      database: { state: "ok", writable: true },
      outbox: { depth: 0, pending: 0, failed: 0, oldestUndeliveredSeconds: null },
      alarms: { open: expect.any(Number) }
    })
    expect(up.body.database.freeBytes).toBeGreaterThan(0)
    expect(up.body.events).toBeGreaterThan(0)

    await Effect.runPromise(status.report("locker", false, "board 1 does not answer", "board 1"))
    const down = await health()
    expect(down.status).toBe(503)
    expect(down.body.status).toBe("degraded")
    expect(down.body.devices["locker/board 1"]).toBe("down")
    expect(down.body.parts.find((p: { key: string }) => p.key === "locker/board 1")).toMatchObject({
      device: "locker",
      part: "board 1",
      state: "down",
      detail: "board 1 does not answer",
      since: expect.any(String)
    })
    expect(down.body.problems.join(" ")).toContain("locker/board 1 is down")

    await Effect.runPromise(status.report("locker", true, "board 1 answers again", "board 1"))
    const back = await health()
    expect(back.status).toBe(200)
    expect(back.body.parts.find((p: { key: string }) => p.key === "locker/board 1")).toMatchObject({ state: "ok", reconnects: 1 })

    for (let i = 0; i < 20; i++) expect((await health()).status).toBe(200)
    expect(lockerCalls - before).toBe(0)
  })

  it("a database whose file system is nearly full is degraded", async () => {
    await Effect.runPromise(allUp)
    const full = app({ minFreeBytes: Number.MAX_SAFE_INTEGER })
    const { status: code, body } = await health(full.handler)
    expect(code).toBe(503)
    expect(body.devices.database).toBe("down")
    expect(body.database).toMatchObject({ state: "down", writable: true, minFreeBytes: Number.MAX_SAFE_INTEGER })
    expect(body.problems.join(" ")).toContain("nearly full")
    expect((await health()).status).toBe(200)
  })
})

/** Prometheus text exposition format, line by line (values parse like Go's ParseFloat: prom-client writes "Nan"). */
const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)( -?\d+)?$/
const parse = (text: string) => {
  const samples = new Map<string, number>()
  for (const line of text.split("\n")) {
    if (line === "") continue
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue
    if (!sample.test(line)) throw new Error(`not Prometheus text: ${line}`)
    const at = line.lastIndexOf(" ")
    samples.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return samples
}

describe("/metrics", () => {
  it("Prometheus text with the device gauges, the terminal's counts and the process metrics", async () => {
    await Effect.runPromise(allUp)
    await Effect.runPromise(status.report("sms", false, "modem gone"))
    const before = lockerCalls
    const r = await get(main.handler, "/metrics")
    expect(r.status).toBe(200)
    expect(r.contentType).toContain("text/plain")
    const samples = parse(r.text)
    expect(samples.get("amtomat_device_up{device=\"locker\"}")).toBe(1)
    expect(samples.get("amtomat_device_up{device=\"sms\"}")).toBe(0)
    expect(samples.get("amtomat_device_reconnects_total{device=\"locker/board 1\"}")).toBe(1)
    expect(samples.get("amtomat_healthy")).toBe(0)
    expect(samples.get("amtomat_database_writable")).toBe(1)
    expect(samples.get("amtomat_outbox_depth")).toBe(0)
    expect(samples.get("amtomat_pickups_completed_total")).toBe(0)
    expect(samples.has("amtomat_alarms_open")).toBe(true)
    expect(samples.get("amtomat_event_log_length")).toBeGreaterThan(0)
    expect(samples.has("process_cpu_user_seconds_total")).toBe(true)
    expect(samples.has("nodejs_heap_size_used_bytes")).toBe(true)
    expect(lockerCalls - before).toBe(0)
    await Effect.runPromise(status.report("sms", true, "modem back"))
    expect(parse((await get(main.handler, "/metrics")).text).get("amtomat_device_up{device=\"sms\"}")).toBe(1)
  })

  it("each server has its own registry: two apps in one process both answer", async () => {
    const other = app()
    const a = parse((await get(other.handler, "/metrics")).text)
    expect(a.get("amtomat_device_up{device=\"locker\"}")).toBe(1)
  })
})
