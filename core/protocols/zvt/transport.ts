/**
 * ZVT serial transport (PA00P016): `10 02 APDU* 10 03 CRC-lo CRC-hi`.
 * APDU* is the APDU with every 10 doubled; the CRC runs over the un-doubled APDU followed by 03
 * and its two bytes are sent raw (never doubled, never un-doubled). ACK 06 / NAK 15 are single
 * raw bytes between frames.
 */
import { Either } from "effect"
import { crc16Kermit } from "./crc.ts"
import { ZvtTransportError } from "./errors.ts"

export const DLE = 0x10
export const STX = 0x02
export const ETX = 0x03
export const ACK = 0x06
export const NAK = 0x15

/** An APDU never exceeds 5 header bytes + 0xFFFF data bytes. */
export const MAX_APDU_LENGTH = 0xffff + 5

export const crcOfApdu = (apdu: Uint8Array): number => crc16Kermit(Uint8Array.of(ETX), crc16Kermit(apdu))

/** Wraps an APDU for the serial line. */
export const frame = (apdu: Uint8Array): Uint8Array => {
  let dles = 0
  for (let i = 0; i < apdu.length; i++) if (apdu[i] === DLE) dles++
  const out = new Uint8Array(apdu.length + dles + 6)
  out[0] = DLE
  out[1] = STX
  let at = 2
  for (let i = 0; i < apdu.length; i++) {
    out[at++] = apdu[i]!
    if (apdu[i] === DLE) out[at++] = DLE
  }
  const crc = crcOfApdu(apdu)
  out[at++] = DLE
  out[at++] = ETX
  out[at++] = crc & 0xff
  out[at] = crc >> 8
  return out
}

export type ZvtLinkEvent =
  | { readonly _tag: "Ack" }
  | { readonly _tag: "Nak" }
  | { readonly _tag: "Frame"; readonly apdu: Uint8Array }

type State = "Idle" | "IdleDle" | "Data" | "DataDle" | "Crc1" | "Crc2"

/**
 * Streaming deframer: `push` every chunk read from the line; it returns link events and typed
 * errors in arrival order. Error offsets count bytes since construction.
 *
 * Between frames a 06 is an Ack and a 15 a Nak; `10 02` opens a frame. Every other byte is
 * garbage: a contiguous run is reported once as a "Garbage" error and skipped. Inside a frame
 * `10 10` is one data byte 10, `10 03` ends the data, then two raw CRC bytes follow. `10 02`
 * inside a frame reports "BadFrame" and starts the new frame; `10` followed by anything else
 * reports "BadFrame" and drops the frame. A CRC mismatch reports "BadCrc" (answer with NAK).
 * `reset()` drops a half-received frame, e.g. after the T1 inter-byte timeout.
 */
export class Deframer {
  private state: State = "Idle"
  private data: Array<number> = []
  private crcLo = 0
  private position = 0
  private frameStart = 0
  private garbageStart = -1
  private garbageCount = 0

  constructor(private readonly maxApduLength: number = MAX_APDU_LENGTH) {}

  get inFrame(): boolean {
    return this.state !== "Idle" && this.state !== "IdleDle"
  }

  reset(): void {
    this.state = "Idle"
    this.data = []
  }

  push(chunk: Uint8Array): ReadonlyArray<Either.Either<ZvtLinkEvent, ZvtTransportError>> {
    const out: Array<Either.Either<ZvtLinkEvent, ZvtTransportError>> = []
    for (let i = 0; i < chunk.length; i++) {
      this.step(chunk[i]!, this.position, out)
      this.position++
    }
    this.flushGarbage(out)
    return out
  }

  private step(b: number, at: number, out: Array<Either.Either<ZvtLinkEvent, ZvtTransportError>>): void {
    switch (this.state) {
      case "Idle":
        if (b === ACK || b === NAK) {
          this.flushGarbage(out)
          out.push(Either.right(b === ACK ? { _tag: "Ack" } : { _tag: "Nak" }))
        } else if (b === DLE) {
          this.state = "IdleDle"
        } else {
          this.garbage(at, 1)
        }
        return
      case "IdleDle":
        if (b === STX) {
          this.flushGarbage(out)
          this.startFrame(at - 1)
        } else {
          // the lone 10 was garbage; look at this byte again as a byte between frames
          this.garbage(at - 1, 1)
          this.state = "Idle"
          this.step(b, at, out)
        }
        return
      case "Data":
        if (b === DLE) {
          this.state = "DataDle"
        } else {
          this.append(b, at, out)
        }
        return
      case "DataDle":
        if (b === DLE) {
          this.state = "Data"
          this.append(DLE, at, out)
        } else if (b === ETX) {
          this.state = "Crc1"
        } else if (b === STX) {
          out.push(Either.left(this.error("BadFrame", at - 1, "10 02 inside a frame; the frame is dropped")))
          this.startFrame(at - 1)
        } else {
          out.push(Either.left(this.error("BadFrame", at - 1, `10 followed by ${hex(b)} inside a frame`)))
          this.reset()
        }
        return
      case "Crc1":
        this.crcLo = b
        this.state = "Crc2"
        return
      case "Crc2": {
        const apdu = Uint8Array.from(this.data)
        const expected = crcOfApdu(apdu)
        const got = this.crcLo | (b << 8)
        this.reset()
        out.push(
          got === expected
            ? Either.right({ _tag: "Frame", apdu })
            : Either.left(
              this.error("BadCrc", at - 1, `CRC ${crcHex(got)}, expected ${crcHex(expected)}`)
            )
        )
        return
      }
    }
  }

  private startFrame(at: number): void {
    this.state = "Data"
    this.data = []
    this.frameStart = at
  }

  private append(b: number, at: number, out: Array<Either.Either<ZvtLinkEvent, ZvtTransportError>>): void {
    if (this.data.length >= this.maxApduLength) {
      out.push(Either.left(this.error("FrameTooLong", at, `frame exceeds ${this.maxApduLength} APDU bytes; dropped`)))
      this.reset()
      return
    }
    this.data.push(b)
  }

  private garbage(at: number, count: number): void {
    if (this.garbageStart < 0) this.garbageStart = at
    this.garbageCount += count
  }

  private flushGarbage(out: Array<Either.Either<ZvtLinkEvent, ZvtTransportError>>): void {
    if (this.garbageStart >= 0) {
      out.push(Either.left(
        new ZvtTransportError({
          reason: "Garbage",
          offset: this.garbageStart,
          message: `skipped ${this.garbageCount} byte(s) outside a frame from offset ${this.garbageStart}`
        })
      ))
      this.garbageStart = -1
      this.garbageCount = 0
    }
  }

  private error(reason: ZvtTransportError["reason"], offset: number, message: string): ZvtTransportError {
    return new ZvtTransportError({
      reason,
      offset,
      message: `${message} (frame from offset ${this.frameStart}, at ${offset})`
    })
  }
}

/** Decodes exactly one complete frame (no ACK/NAK, nothing before or after it). */
export const unframe = (bytes: Uint8Array): Either.Either<Uint8Array, ZvtTransportError> => {
  const deframer = new Deframer()
  const events = deframer.push(bytes)
  const first = events[0]
  if (first !== undefined && Either.isLeft(first)) return Either.left(first.left)
  if (first !== undefined && first.right._tag === "Frame" && events.length === 1 && !deframer.inFrame) {
    return Either.right(first.right.apdu)
  }
  return Either.left(
    new ZvtTransportError({
      reason: events.length === 0 ? "Incomplete" : "BadFrame",
      offset: 0,
      message: events.length === 0 ? "no complete frame in the input" : "input is not exactly one frame"
    })
  )
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0")

/** the two CRC bytes in wire order */
const crcHex = (crc: number) => `${hex(crc & 0xff)} ${hex(crc >> 8)}`
