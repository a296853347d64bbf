/**
 * The host end of a serial line for the drivers: serialport opened for the
 * scope, received chunks in a queue (the `data` callback offers into it, so no
 * Effect is run from a callback), and a write that resumes once serialport
 * took the bytes.
 */
import { SerialPortStream } from "@serialport/stream"
import type { OpenOptions as StreamOpenOptions } from "@serialport/stream"
import { Data, Effect, Queue } from "effect"
import { SerialPort } from "serialport"

/** serialport's `BindingInterface`: the operating system's ports by default; tests pass an in-process one. */
export type SerialBinding = StreamOpenOptions["binding"]

export class SerialError extends Data.TaggedError("SerialError")<{
  readonly path: string
  readonly message: string
}> {}

export interface LineSettings {
  readonly path: string
  readonly baudRate: number
  readonly stopBits?: 1 | 2
  readonly binding?: SerialBinding
}

export interface HostLine {
  readonly path: string
  readonly input: Queue.Dequeue<Uint8Array>
  readonly write: (bytes: Uint8Array) => Effect.Effect<void, SerialError>
}

export const openLine = (settings: LineSettings) =>
  Effect.gen(function*() {
    const input = yield* Effect.acquireRelease(Queue.unbounded<Uint8Array>(), Queue.shutdown)
    const port = yield* Effect.acquireRelease(
      Effect.async<SerialPortStream, SerialError>((resume) => {
        const options = {
          path: settings.path,
          baudRate: settings.baudRate,
          dataBits: 8 as const,
          stopBits: settings.stopBits ?? 1,
          parity: "none" as const,
          autoOpen: false
        }
        const p: SerialPortStream = settings.binding === undefined
          ? new SerialPort(options)
          : new SerialPortStream({ ...options, binding: settings.binding })
        p.open((err) =>
          resume(err ? Effect.fail(new SerialError({ path: settings.path, message: `cannot open ${settings.path}: ${err.message}` })) : Effect.succeed(p))
        )
      }),
      (p) =>
        Effect.async<void>((resume) => {
          if (!p.isOpen) return resume(Effect.void)
          p.close(() => resume(Effect.void))
        })
    )
    port.on("data", (chunk: Buffer) => {
      Queue.unsafeOffer(input, new Uint8Array(chunk))
    })
    // Errors surface as failed writes and as silence (timeouts); the listener keeps them from crashing the process.
    port.on("error", () => {})
    const write = (bytes: Uint8Array) =>
      Effect.async<void, SerialError>((resume) => {
        if (!port.isOpen) return resume(Effect.fail(new SerialError({ path: settings.path, message: `${settings.path} is closed` })))
        port.write(Buffer.from(bytes), (err) =>
          resume(err ? Effect.fail(new SerialError({ path: settings.path, message: err.message })) : Effect.void))
      })
    return { path: settings.path, input, write } satisfies HostLine
  })
