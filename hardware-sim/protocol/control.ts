/**
 * Remote control of the protocol twins running in another process (`amtomat
 * twin`): a tiny JSON-over-HTTP RPC. `POST /rpc {device, op, args}` calls one
 * method of LockerTwinControl, CardTwinControl, SmsTwinControl or a faults
 * handle; the client rebuilds the same interfaces, so a contract suite in one
 * process can drive the hands of twins in another. Localhost only.
 */
import { Duration, Effect, FiberSet } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { CardTwinControl } from "../behavioural/CardTwin.ts"
import type { LockerTwinControl } from "../behavioural/LockerTwin.ts"
import type { SmsTwinControl } from "../behavioural/SmsTwin.ts"
import { TwinError } from "../behavioural/TwinError.ts"
import type { KerongFaults } from "./kerongBus.ts"
import type { ModemFaults } from "./smsModem.ts"
import type { ZvtFaults } from "./zvtTerminal.ts"

export type Device = "locker" | "card" | "sms" | "kerongFaults" | "zvtFaults" | "modemFaults"

/** The twins whose serial port can be unplugged. */
export type PluggableDevice = "locker" | "card" | "modem"

export interface Handles {
  readonly locker: LockerTwinControl
  readonly card: CardTwinControl
  readonly sms: SmsTwinControl
  readonly kerongFaults: KerongFaults
  readonly zvtFaults: ZvtFaults
  readonly modemFaults: ModemFaults
}

/** Values cross as JSON: bytes as arrays of numbers, Infinity as null, Maps as entry lists. */
const toJson = (v: unknown): unknown =>
  v instanceof Uint8Array ?
    { $bytes: [...v] }
    : v instanceof Map ?
    { $map: [...v.entries()].map(([k, x]) => [toJson(k), toJson(x)]) }
    : v instanceof Set ?
    { $set: [...v].map(toJson) }
    : Array.isArray(v) ?
    v.map(toJson)
    : v === Infinity ?
    { $inf: true }
    : v !== null && typeof v === "object" ?
    Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]))
    : v
const fromJson = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(fromJson)
  if (v === null || typeof v !== "object") return v
  const o = v as Record<string, unknown>
  if (Array.isArray(o["$bytes"])) return Uint8Array.from(o["$bytes"] as Array<number>)
  if (Array.isArray(o["$map"])) return new Map((o["$map"] as Array<[unknown, unknown]>).map(([k, x]) => [fromJson(k), fromJson(x)]))
  if (Array.isArray(o["$set"])) return new Set((o["$set"] as Array<unknown>).map(fromJson))
  if (o["$inf"] === true) return Infinity
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJson(x)]))
}

const call = (handles: Handles, device: Device, op: string, args: ReadonlyArray<unknown>): Effect.Effect<unknown, TwinError> => {
  if (!(device in handles)) return Effect.fail(new TwinError({ message: `no device ${device}` }))
  const target = handles[device] as unknown as Record<string, unknown>
  const member = Object.hasOwn(target, op) ? target[op] : undefined
  if (member === undefined) return Effect.fail(new TwinError({ message: `no operation ${device}.${op}` }))
  const result = typeof member === "function" ? (member as (...a: ReadonlyArray<unknown>) => unknown)(...args) : member
  return Effect.isEffect(result)
    ? (result as Effect.Effect<unknown, unknown>).pipe(
      Effect.mapError((e) => e instanceof TwinError ? e : new TwinError({ message: String(e) }))
    )
    : Effect.fail(new TwinError({ message: `${device}.${op} is not an operation` }))
}

const body = (req: IncomingMessage) =>
  Effect.async<string>((resume) => {
    let data = ""
    req.on("data", (d: Buffer) => (data += d.toString()))
    req.on("end", () => resume(Effect.succeed(data)))
  })

export interface ServeOptions {
  /** the current handles (they change when the twins are reset) */
  readonly handles: Effect.Effect<Handles>
  /** `{device: "twins", op: "reset"}`: fresh twins on the same lines */
  readonly reset?: Effect.Effect<void>
  /**
   * `{device: "twins", op: "powerCycle"}`: the devices lose power and come
   * back — every volatile state is gone, doors and documents stay where they
   * physically are
   */
  readonly powerCycle?: Effect.Effect<void>
  /**
   * `{device: "twins", op: "unplug", args: [device, forMillis?]}`: the device's serial port vanishes
   * (its pseudo-terminal pair is killed); with `forMillis` it comes back at the same path after that long
   */
  readonly unplug?: (device: PluggableDevice, forMillis?: number) => Effect.Effect<void, TwinError>
  /** `{device: "twins", op: "replug", args: [device, at?]}`: back at the same path or at `at`; yields the path */
  readonly replug?: (device: PluggableDevice, at?: string) => Effect.Effect<string, TwinError>
  /** 0 picks a free port */
  readonly port?: number
}

/** Serves the handles on 127.0.0.1 for the scope; yields the port. */
export const serve = (options: ServeOptions) =>
  Effect.gen(function*() {
    const run = yield* FiberSet.makeRuntime<never>()
    const answer = (res: ServerResponse, status: number, value: unknown) =>
      Effect.sync(() => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(toJson(value))))
    const server = createServer((req, res) => {
      run(Effect.gen(function*() {
        if (req.method !== "POST" || req.url !== "/rpc") return yield* answer(res, 404, { ok: false, error: "POST /rpc" })
        const text = yield* body(req)
        const parsed = yield* Effect.try(() => fromJson(JSON.parse(text)) as { device: Device | "twins"; op: string; args?: ReadonlyArray<unknown> }).pipe(
          Effect.orElseSucceed(() => undefined)
        )
        if (parsed === undefined) return yield* answer(res, 400, { ok: false, error: "body is not JSON" })
        const { args, device, op } = parsed
        const result = device === "twins"
          ? yield* Effect.either(
            op === "reset" && options.reset !== undefined ?
              options.reset
              : op === "powerCycle" && options.powerCycle !== undefined ?
              options.powerCycle
              : op === "unplug" && options.unplug !== undefined
              ? options.unplug(args?.[0] as PluggableDevice, args?.[1] === undefined || args[1] === null ? undefined : Number(args[1]))
              : op === "replug" && options.replug !== undefined
              ? options.replug(args?.[0] as PluggableDevice, typeof args?.[1] === "string" ? args[1] : undefined)
              : Effect.fail(new TwinError({ message: `no operation twins.${op}` }))
          )
          : yield* Effect.either(Effect.flatMap(options.handles, (h) => call(h, device, op, args ?? [])))
        return yield* result._tag === "Right"
          ? answer(res, 200, { ok: true, value: result.right ?? null })
          : answer(res, 200, { ok: false, error: result.left.message })
      }))
    })
    const bound = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        server.listen(options.port ?? 0, "127.0.0.1", () => {
          const address = server.address()
          resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : options.port ?? 0))
        })
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    return bound
  })

/** One remote call; a refusal (e.g. taking an item out of a closed compartment) fails with TwinError. */
const remote = (url: string) => (device: Device | "twins", op: string, args: ReadonlyArray<unknown> = []) =>
  Effect.tryPromise({
    try: async () => {
      const res = await fetch(`${url}/rpc`, { method: "POST", body: JSON.stringify(toJson({ device, op, args })) })
      return fromJson(await res.json()) as { ok: boolean; value?: unknown; error?: string }
    },
    catch: (e) => new TwinError({ message: `twin control at ${url} not reachable: ${String(e)}` })
  }).pipe(Effect.flatMap((r) => (r.ok ? Effect.succeed(r.value as never) : Effect.fail(new TwinError({ message: r.error ?? "refused" })))))

/** Fresh twins in the remote process (same lines, initial state), e.g. before each test. */
export const reset = (url: string) => Effect.asVoid(remote(url)("twins", "reset"))

/** Power to the twins in the remote process goes off and on; the physical state stays. */
export const powerCycle = (url: string) => Effect.asVoid(remote(url)("twins", "powerCycle"))

/** The device's port in the remote process vanishes; with `forMillis` it is back at the same path after that long. */
export const unplug = (url: string, device: PluggableDevice, forMillis?: number) =>
  Effect.asVoid(remote(url)("twins", "unplug", forMillis === undefined ? [device] : [device, forMillis]))

/** The device's port in the remote process is back, at the same path or at `at`; yields the host path. */
export const replug = (url: string, device: PluggableDevice, at?: string) =>
  remote(url)("twins", "replug", at === undefined ? [device] : [device, at]) as Effect.Effect<string, TwinError>

/** The control handles of twins in another process, from the URL `amtomat twin` printed. */
export const client = (url: string): Handles => {
  const rpc = remote(url)
  // Operations that cannot be refused are typed without an error in the control interfaces: a lost
  // connection to the twin process is a broken test rig, so it becomes a defect there.
  const sure = <A>(device: Device, op: string, args: ReadonlyArray<unknown> = []) => Effect.orDie(rpc(device, op, args)) as Effect.Effect<A>
  return {
    locker: {
      locks: sure("locker", "locks"),
      close: (c) => rpc("locker", "close", [c]),
      putItem: (c) => rpc("locker", "putItem", [c]),
      takeItem: (c) => rpc("locker", "takeItem", [c]),
      jam: (c, j) => rpc("locker", "jam", [c, j]),
      stickSensor: (c, v) => rpc("locker", "stickSensor", [c, v]),
      setBoardOnline: (b, o) => sure("locker", "setBoardOnline", [b, o]),
      boardsOffline: sure("locker", "boardsOffline"),
      binned: sure("locker", "binned")
    },
    card: {
      insert: (label) => sure("card", "insert", [label]),
      remove: sure("card", "remove"),
      waiting: sure("card", "waiting"),
      setFault: (f) => sure("card", "setFault", [f]),
      fault: sure("card", "fault"),
      reads: sure("card", "reads")
    },
    sms: {
      inbox: (to) => sure("sms", "inbox", to === undefined ? [] : [to]),
      setFault: (f) => sure("sms", "setFault", [f]),
      fault: sure("sms", "fault"),
      clear: sure("sms", "clear")
    },
    kerongFaults: {
      silence: (b, n) => sure("kerongFaults", "silence", n === undefined ? [b] : [b, n]),
      corruptChecksums: (n) => sure("kerongFaults", "corruptChecksums", [n]),
      noise: (bytes) => sure("kerongFaults", "noise", [bytes]),
      setUnlockReply: (a) => sure("kerongFaults", "setUnlockReply", [a]),
      breakLatch: (c, b) => sure("kerongFaults", "breakLatch", [c, b]),
      clear: sure("kerongFaults", "clear"),
      state: sure("kerongFaults", "state"),
      received: sure("kerongFaults", "received"),
      unlockTimes: sure("kerongFaults", "unlockTimes")
    },
    zvtFaults: {
      noReply: (on) => sure("zvtFaults", "noReply", [on]),
      nakStorm: (n) => sure("zvtFaults", "nakStorm", [n]),
      corruptCrc: (n) => sure("zvtFaults", "corruptCrc", [n]),
      garbage: (b) => sure("zvtFaults", "garbage", [b]),
      slowBytes: (gap) => sure("zvtFaults", "slowBytes", [gap === null ? null : Duration.toMillis(gap)]),
      stallNextCommand: (ms) => sure("zvtFaults", "stallNextCommand", [ms]),
      strayCompletion: sure("zvtFaults", "strayCompletion"),
      clear: sure("zvtFaults", "clear"),
      received: sure("zvtFaults", "received"),
      registeredConfig: sure("zvtFaults", "registeredConfig")
    },
    modemFaults: {
      noReply: (on) => sure("modemFaults", "noReply", [on]),
      networkError: (code) => sure("modemFaults", "networkError", [code]),
      failNext: (code, n) => sure("modemFaults", "failNext", [code, n]),
      clear: sure("modemFaults", "clear"),
      received: sure("modemFaults", "received"),
      reboot: sure("modemFaults", "reboot"),
      simPin: (pin) => sure("modemFaults", "simPin", [pin]),
      sim: sure("modemFaults", "sim"),
      lteOnly: (on) => sure("modemFaults", "lteOnly", [on]),
      unregistered: (on) => sure("modemFaults", "unregistered", [on]),
      unsolicited: (lines) => sure("modemFaults", "unsolicited", [lines]),
      interject: (lines) => sure("modemFaults", "interject", [lines])
    }
  }
}
