/**
 * The device end of a serial line, as the protocol twins see it: chunks from
 * the host in a queue, and a write. Opened with serialport on a real port or
 * pseudo-terminal, or on an in-process pair binding, or made in memory.
 */
import { SerialPortStream } from "@serialport/stream"
import { Duration, Effect, Queue } from "effect"
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

/** Opens the port for the scope; closing the scope closes the port. */
export const openSerialLine = (options: SerialLineOptions) =>
  Effect.gen(function*() {
    const input = yield* Effect.acquireRelease(Queue.unbounded<Uint8Array>(), Queue.shutdown)
    const port = yield* Effect.acquireRelease(
      Effect.async<SerialPortStream, Error>((resume) => {
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
        p.open((err) => resume(err ? Effect.fail(err) : Effect.succeed(p)))
      }),
      (p) => Effect.async<void>((resume) => {
        if (!p.isOpen) return resume(Effect.void)
        p.close(() => resume(Effect.void))
      })
    )
    port.on("data", (chunk: Buffer) => {
      Queue.unsafeOffer(input, new Uint8Array(chunk))
    })
    port.on("error", () => {})
    const send = (bytes: Uint8Array) =>
      Effect.async<void>((resume) => {
        if (!port.isOpen) return resume(Effect.void)
        port.write(Buffer.from(bytes), () => resume(Effect.void))
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
