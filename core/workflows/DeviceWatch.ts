/**
 * Devices that come and go: every change a device adapter reports (a port
 * lost or reopened, a board silent or back) becomes one event, one log line
 * and a `device_offline` alarm that resolves by itself when the device is
 * back. Devices already down when the terminal starts are alarmed at once.
 */
import { Effect, Queue } from "effect"
import { EventLog } from "../persistence/EventLog.ts"
import { type DeviceHealth, deviceKey, DeviceStatus } from "../ports/DeviceStatus.ts"
import { Alarms } from "./Alarms.ts"

export class DeviceWatch extends Effect.Service<DeviceWatch>()("amtomat/DeviceWatch", {
  scoped: Effect.gen(function*() {
    const status = yield* DeviceStatus
    const alarms = yield* Alarms
    const log = yield* EventLog

    const detailOf = (h: DeviceHealth) => h.part === "" ? h.detail : `${h.part}: ${h.detail}`

    const handle = (h: DeviceHealth) =>
      Effect.gen(function*() {
        const key = deviceKey(h)
        yield* log.append({ _tag: "DeviceStatusChanged", device: h.device, online: h.up, detail: detailOf(h) })
        // a serial line logs its own changes (one line each); everything else is logged here, once
        const say = h.part === "port" ? Effect.logDebug : h.up ? Effect.logInfo : Effect.logWarning
        yield* say(`device ${key} is ${h.up ? "back" : "down"}: ${h.detail}`)
        if (h.up) yield* alarms.resolve("device_offline", key, `${key} is back: ${h.detail}`)
        else yield* alarms.raise("device_offline", null, `${key}: ${h.detail}`, key)
      }).pipe(Effect.catchAllCause((cause) => Effect.logError(`device change of ${deviceKey(h)} not recorded`, cause)))

    const changes = yield* status.subscribe
    for (const h of yield* status.current) if (!h.up) yield* handle(h)
    yield* Queue.take(changes).pipe(Effect.flatMap(handle), Effect.forever, Effect.forkScoped)

    return { current: status.current } as const
  }),
  dependencies: [EventLog.Default, Alarms.Default]
}) {}
