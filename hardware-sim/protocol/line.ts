/**
 * The device end of a serial line, as the protocol twins see it: chunks from
 * the host in a queue, and a write. Opened with serialport on a real port or
 * pseudo-terminal, or on an in-process pair binding, or made in memory.
 */
import { SerialPortStream } from "@serialport/stream"
import { Deferred, Duration, Effect, Exit, Queue, Schedule } from "effect"
import { SerialPort } from "serialport"
import type { Binding } from "./pairBinding.ts"

export interface DeviceLine {
  /** chunks as the host wrote them (or as the line delivered them) */
  readonly input: Queue.Dequeue<Uint8Array>
  readonly write: (bytes: Uint8Array) => Effect.Effect<void>
}

export interface SerialLineOptions {
  readonly path: string
  readonly baudRate: number
  /** default: the operating system's serial ports (bindings-cpp) */
  readonly binding?: Binding
  readonly stopBits?: 1 | 2
  /**
   * Honour the baud rate: each chunk is delayed by its transmission time
   * (`bitsPerByte` / baud per byte; 10 for 8N1, 11 for 8N2). Off by default.
   */
  readonly byteTiming?: boolean
}

/** How long `n` bytes take on the wire. */
export const wireTime = (n: number, baudRate: number, stopBits: 1 | 2 = 1): Duration.Duration =>
  Duration.micros(BigInt(Math.ceil((n * (9 + stopBits) * 1_000_000) / baudRate)))

/**
 * Opens the port for the scope; closing the scope closes the port. When the
 * port goes away under the twin (its pseudo-terminal pair was unplugged) it is
 * reopened at the same path every 20 ms until it is back; the input queue
 * stays, bytes written meanwhile are lost, like on a cable nobody listens to.
 */
export const openSerialLine = (options: SerialLineOptions) =>
  Effect.gen(function*() {
    const input = yield* Effect.acquireRelease(Queue.unbounded<Uint8Array>(), Queue.shutdown)
    let port: SerialPortStream | undefined
    const tryOpen = Effect.async<SerialPortStream, Error>((resume) => {
      const common = {
        path: options.path,
        baudRate: options.baudRate,
        dataBits: 8 as const,
        stopBits: options.stopBits ?? 1,
        parity: "none" as const,
        autoOpen: false
      }
      const p: SerialPortStream = options.binding === undefined
        ? new SerialPort(common)
        : new SerialPortStream({ ...common, binding: options.binding })
      let abandoned = false
      p.open((err) => {
        if (abandoned) return err ? undefined : p.close()
        resume(err ? Effect.fail(err) : Effect.succeed(p))
      })
      return Effect.sync(() => {
        abandoned = true
        if (p.isOpen) p.close()
      })
    })
    const close = (p: SerialPortStream) =>
      Effect.async<void>((resume) => {
        p.removeAllListeners("data")
        if (!p.isOpen) return resume(Effect.void)
        p.close(() => resume(Effect.void))
      }).pipe(Effect.timeout("2 seconds"), Effect.ignore)
    const attach = (p: SerialPortStream) =>
      Effect.gen(function*() {
        const gone = yield* Deferred.make<void>()
        p.on("data", (chunk: Buffer) => {
          Queue.unsafeOffer(input, new Uint8Array(chunk))
        })
        p.on("error", () => Deferred.unsafeDone(gone, Exit.void))
        p.on("close", () => Deferred.unsafeDone(gone, Exit.void))
        port = p
        return gone
      })
    // The first open is part of building the twin: a twin without its line is a broken rig.
    let gone: Deferred.Deferred<void> | undefined = yield* attach(yield* tryOpen)
    yield* Effect.gen(function*() {
      for (;;) {
        if (gone === undefined) gone = yield* attach(yield* Effect.retry(tryOpen, Schedule.spaced("20 millis")))
        yield* Deferred.await(gone)
        gone = undefined
        const p = port
        port = undefined
        if (p !== undefined) yield* close(p)
      }
    }).pipe(
      Effect.ensuring(Effect.suspend(() => (port === undefined ? Effect.void : close(port)))),
      Effect.forkScoped
    )
    const send = (bytes: Uint8Array) =>
      Effect.async<void>((resume) => {
        const p = port
        if (p === undefined || !p.isOpen) return resume(Effect.void)
        p.write(Buffer.from(bytes), () => resume(Effect.void))
      })
    const write = (bytes: Uint8Array): Effect.Effect<void> =>
      options.byteTiming === true
        ? Effect.zipRight(Effect.sleep(wireTime(bytes.length, options.baudRate, options.stopBits)), send(bytes))
        : send(bytes)
    return { input, write } satisfies DeviceLine
  })

/** Writes each byte alone, `gap` apart: a sender that breaks the inter-byte timer. */
export const writeSlowly = (line: DeviceLine, bytes: Uint8Array, gap: Duration.DurationInput) =>
  Effect.forEach(bytes, (b, i) => Effect.zipRight(i === 0 ? Effect.void : Effect.sleep(gap), line.write(Uint8Array.of(b))), {
    discard: true
  })
