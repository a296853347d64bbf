/**
 * The host end of a serial line for the drivers: a line that comes and goes
 * with its device, and never fails to build.
 *
 * A background fiber opens the port at the configured path; when that fails
 * (the adapter is not plugged in at boot) the line starts down and retries
 * with back-off (an Effect Schedule: exponential from `initialMillis`, capped
 * at `maxMillis`). Loss is seen as serialport's `close` (a disconnect: EIO on
 * a vanished USB adapter or pseudo-terminal), an `error` or `end` of the
 * stream, or a failed write; the port is then closed and reopened with the
 * same back-off. The path is resolved again at every open, so a
 * `/dev/serial/by-id/…` symlink that udev recreates for the re-enumerated
 * adapter (pointing at a new ttyUSBn) is followed — configure those paths,
 * not `/dev/ttyUSBn`.
 *
 * Received chunks land in one queue that lives as long as the line (across
 * reopens; the `data` callback offers into it, so no Effect is run from a
 * callback). `opened` emits a generation number at every (re)open so the
 * driver re-initialises the device; a write while the line is down fails at
 * once. Every change of state is reported to DeviceStatus and logged once;
 * while down, a summary is logged at most every `summaryMillis`.
 */
import { SerialPortStream } from "@serialport/stream"
import type { OpenOptions as StreamOpenOptions } from "@serialport/stream"
import { Clock, Data, DateTime, Deferred, Duration, Effect, Exit, Queue, Schedule, Stream, SubscriptionRef } from "effect"
import { SerialPort } from "serialport"
import type { Device } from "../../core/domain/events.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"

/** serialport's `BindingInterface`: the operating system's ports by default; tests pass an in-process one. */
export type SerialBinding = StreamOpenOptions["binding"]

export class SerialError extends Data.TaggedError("SerialError")<{
  readonly path: string
  readonly message: string
}> {}

/** How the line reopens a lost or missing port. */
export interface ReconnectSettings {
  /** first delay after a failed open (default 250 ms); doubles per attempt */
  readonly initialMillis?: number
  /** the longest delay between two attempts (default 5 s) */
  readonly maxMillis?: number
  /** while down, a summary line is logged at most this often (default 10 minutes) */
  readonly summaryMillis?: number
}

export interface LineSettings {
  /** a device node or, better, a stable symlink (`/dev/serial/by-id/…`): resolved again at every open */
  readonly path: string
  readonly baudRate: number
  readonly stopBits?: 1 | 2
  readonly binding?: SerialBinding
  /** whose state the line reports to DeviceStatus */
  readonly device: Device
  readonly reconnect?: ReconnectSettings
}

export interface HostLine {
  readonly path: string
  /** every chunk received, across reopens */
  readonly input: Queue.Dequeue<Uint8Array>
  /** fails at once while the line is down; a failed write takes the line down */
  readonly write: (bytes: Uint8Array) => Effect.Effect<void, SerialError>
  /** the generation (1, 2, …) each time the port (re)opens; the current one first when open now */
  readonly opened: Stream.Stream<number>
  readonly isOpen: Effect.Effect<boolean>
  /** resumes once the line is open (at once when it is) */
  readonly awaitOpen: Effect.Effect<void>
}

interface LineState {
  readonly generation: number
  readonly open: boolean
}

/** The back-off between open attempts: exponential, capped. */
export const reconnectSchedule = (settings: ReconnectSettings = {}) =>
  Schedule.exponential(Duration.millis(settings.initialMillis ?? 250)).pipe(
    Schedule.union(Schedule.spaced(Duration.millis(settings.maxMillis ?? 5000)))
  )

const messageOf = (e: unknown) => (e instanceof Error ? e.message : e === null || e === undefined ? "closed" : String(e))

export const openLine = (settings: LineSettings) =>
  Effect.gen(function*() {
    const status = yield* DeviceStatus
    const { device, path } = settings
    const input = yield* Effect.acquireRelease(Queue.unbounded<Uint8Array>(), Queue.shutdown)
    const state = yield* SubscriptionRef.make<LineState>({ generation: 0, open: false })
    const summaryEvery = settings.reconnect?.summaryMillis ?? 600_000
    /** the open port and the signal that it was lost */
    let current: { readonly port: SerialPortStream; readonly lost: Deferred.Deferred<string> } | undefined

    const tryOpen = Effect.async<SerialPortStream, SerialError>((resume) => {
      const options = {
        path,
        baudRate: settings.baudRate,
        dataBits: 8 as const,
        stopBits: settings.stopBits ?? 1,
        parity: "none" as const,
        autoOpen: false
      }
      let p: SerialPortStream
      try {
        p = settings.binding === undefined ? new SerialPort(options) : new SerialPortStream({ ...options, binding: settings.binding })
      } catch (e) {
        resume(Effect.fail(new SerialError({ path, message: `${path}: cannot open: ${messageOf(e)}` })))
        return
      }
      let abandoned = false
      p.open((err) => {
        if (abandoned) {
          if (!err && p.isOpen) p.close()
          return
        }
        // serialport words it "Error: No such file or directory, cannot open <path>": keep the reason only
        resume(
          err
            ? Effect.fail(new SerialError({ path, message: `${path}: cannot open: ${err.message.replace(/^Error: /, "").replace(/, cannot open .*$/, "")}` }))
            : Effect.succeed(p)
        )
      })
      return Effect.sync(() => {
        abandoned = true
        if (p.isOpen) p.close()
      })
    })

    const closePort = (p: SerialPortStream) =>
      Effect.async<void>((resume) => {
        p.removeAllListeners("data")
        if (!p.isOpen) return resume(Effect.void)
        p.close(() => resume(Effect.void))
      }).pipe(Effect.timeout("2 seconds"), Effect.ignore)

    /** Opens until it works; while down, a summary line now and then. The port, and the attempts it took. */
    const openWithBackoff = (since: DateTime.Utc) =>
      Effect.gen(function*() {
        const backoff = yield* Schedule.driver(reconnectSchedule(settings.reconnect))
        let attempts = 0
        let lastSummary = since.epochMillis
        for (;;) {
          yield* Effect.orDie(backoff.next(undefined))
          const result = yield* Effect.either(tryOpen)
          if (result._tag === "Right") return result.right
          attempts++
          yield* status.report(device, false, result.left.message, "port")
          const now = yield* Clock.currentTimeMillis
          if (now - lastSummary >= summaryEvery) {
            lastSummary = now
            yield* Effect.logWarning(
              `${device} line still down since ${DateTime.formatIso(since)}, ${attempts} attempts to reopen: ${result.left.message}`
            )
          }
        }
      })

    /** The port is open: listen for its data and its loss, tell everyone. */
    const install = (port: SerialPortStream, again: boolean) =>
      Effect.gen(function*() {
        const lost = yield* Deferred.make<string>()
        const signal = (reason: string) => Deferred.unsafeDone(lost, Exit.succeed(reason))
        port.on("data", (chunk: Buffer) => {
          Queue.unsafeOffer(input, new Uint8Array(chunk))
        })
        port.on("close", (err: unknown) => signal(err === null || err === undefined ? "closed" : `lost: ${messageOf(err)}`))
        port.on("error", (err: unknown) => signal(`error: ${messageOf(err)}`))
        port.on("end", () => signal("end of stream"))
        current = { port, lost }
        yield* SubscriptionRef.update(state, (s) => ({ generation: s.generation + 1, open: true }))
        yield* status.report(device, true, `${path} open`, "port")
        yield* Effect.logInfo(again ? `${device} line up again: ${path} reopened` : `${device} line up: ${path} open`)
        return lost
      })

    /** One log line and one report per change of state. */
    const wentDown = (detail: string) =>
      Effect.gen(function*() {
        yield* status.report(device, false, detail, "port")
        yield* Effect.logWarning(`${device} line down: ${detail}; retrying`)
        return yield* DateTime.now
      })

    // The first attempt happens while the layer builds: a device that is there is usable at once, a
    // missing one is reported down at once.
    const first = yield* Effect.either(tryOpen)
    let lost: Deferred.Deferred<string> | undefined
    let since: DateTime.Utc | undefined
    if (first._tag === "Right") lost = yield* install(first.right, false)
    else since = yield* wentDown(first.left.message)
    let seenUp = first._tag === "Right"

    // The connection: run until lost, close, reopen with back-off.
    yield* Effect.gen(function*() {
      for (;;) {
        if (lost === undefined) {
          const port = yield* openWithBackoff(since!)
          lost = yield* install(port, seenUp)
          seenUp = true
        }
        const reason = yield* Deferred.await(lost)
        const c = current
        current = undefined
        lost = undefined
        yield* SubscriptionRef.update(state, (s) => ({ ...s, open: false }))
        if (c !== undefined) yield* closePort(c.port)
        since = yield* wentDown(`${path}: ${reason}`)
      }
    }).pipe(
      Effect.ensuring(Effect.suspend(() => {
        const c = current
        current = undefined
        return c === undefined ? Effect.void : closePort(c.port)
      })),
      Effect.forkScoped
    )

    const write = (bytes: Uint8Array) =>
      Effect.suspend(() => {
        const c = current
        if (c === undefined || !c.port.isOpen) return Effect.fail(new SerialError({ path, message: `${path} is not open` }))
        return Effect.async<void, SerialError>((resume) => {
          c.port.write(Buffer.from(bytes), (err) => {
            if (!err) return resume(Effect.void)
            Deferred.unsafeDone(c.lost, Exit.succeed(`write failed: ${err.message}`))
            resume(Effect.fail(new SerialError({ path, message: `${path}: write failed: ${err.message}` })))
          })
        })
      })

    const opened = state.changes.pipe(
      Stream.filter((s) => s.open),
      Stream.map((s) => s.generation),
      Stream.changes
    )
    const isOpen = Effect.map(SubscriptionRef.get(state), (s) => s.open)
    const awaitOpen = Stream.runDrain(Stream.take(opened, 1))
    return { path, input, write, opened, isOpen, awaitOpen } satisfies HostLine
  })
