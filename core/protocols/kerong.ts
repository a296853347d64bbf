/**
 * Kerong KR-CU16 ("CU" protocol) locker board codec — pure, no I/O.
 *
 * Frame, both directions: `02 ADDR CMD [DATA ...] 03 SUM`, SUM = (sum of 02 .. 03) mod 256.
 * ADDR = (board << 4) | lockIndex, lockIndex 0..15 (lock 1 = index 0), 0 for board commands.
 */
import { Data, Either } from "effect"

export const STX = 0x02
export const ETX = 0x03

export const Command = {
  Status: 0x30,
  Unlock: 0x31,
  StatusReply: 0x35,
  SetUnlockTime: 0x37
} as const

/** Data length of every command the splitter recognises (it can only cut frames it knows). */
export const defaultDataLengths: ReadonlyMap<number, number> = new Map([
  [Command.Status, 0],
  [Command.Unlock, 0],
  [Command.StatusReply, 4],
  [Command.SetUnlockTime, 2]
])

export class KerongDecodeError extends Data.TaggedError("KerongDecodeError")<{
  readonly reason: "BadFrame" | "BadChecksum" | "Garbage" | "UnexpectedCommand" | "BadLength"
  readonly offset: number
  readonly message: string
}> {}

export class KerongEncodeError extends Data.TaggedError("KerongEncodeError")<{
  readonly reason: "OutOfRange"
  readonly field: string
  readonly message: string
}> {}

export interface KerongFrame {
  readonly address: number
  readonly command: number
  readonly data: Uint8Array
}

/** 1 = a set lock bit means locked (most boards); 0 = a cleared bit means locked (newer variant). */
export type LockedBit = 0 | 1

export interface BoardStatus {
  readonly board: number
  /** index i is lock i + 1; true = locked/closed */
  readonly locked: ReadonlyArray<boolean>
  /** index i is compartment i + 1; true = an item is inside */
  readonly items: ReadonlyArray<boolean>
}

export const sum8 = (bytes: Uint8Array, from = 0, to = bytes.length): number => {
  let sum = 0
  for (let i = from; i < to; i++) sum = (sum + bytes[i]!) & 0xff
  return sum
}

export const boardOf = (address: number): number => (address >> 4) & 0x0f
export const lockIndexOf = (address: number): number => address & 0x0f

/** Encodes any frame; address and command are bytes (taken modulo 256 like any Uint8Array store). */
export const encodeFrame = (frame: KerongFrame): Uint8Array => {
  const out = new Uint8Array(frame.data.length + 5)
  out[0] = STX
  out[1] = frame.address
  out[2] = frame.command
  out.set(frame.data, 3)
  out[out.length - 2] = ETX
  out[out.length - 1] = sum8(out, 0, out.length - 1)
  return out
}

/** Decodes exactly one complete frame. */
export const decodeFrame = (bytes: Uint8Array): Either.Either<KerongFrame, KerongDecodeError> => {
  const n = bytes.length
  if (n < 5) return Either.left(badFrame(n, `frame too short: ${n} bytes, need at least 5`))
  if (bytes[0] !== STX) return Either.left(badFrame(0, "frame does not start with 02"))
  if (bytes[n - 2] !== ETX) return Either.left(badFrame(n - 2, "frame does not end with 03 SUM"))
  const expected = sum8(bytes, 0, n - 1)
  if (bytes[n - 1] !== expected) return Either.left(badChecksum(n - 1, bytes[n - 1]!, expected))
  return Either.right({ address: bytes[1]!, command: bytes[2]!, data: bytes.slice(3, bytes.length - 2) })
}

const badFrame = (offset: number, message: string) => new KerongDecodeError({ reason: "BadFrame", offset, message })

const badChecksum = (offset: number, got: number, expected: number) =>
  new KerongDecodeError({
    reason: "BadChecksum",
    offset,
    message: `checksum ${hex(got)} at offset ${offset}, expected ${hex(expected)}`
  })

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0")

export interface SplitResult {
  readonly results: ReadonlyArray<Either.Either<KerongFrame, KerongDecodeError>>
  /** bytes of an incomplete frame candidate at the end of the input, to be prepended to the next chunk */
  readonly rest: Uint8Array
}

type Candidate =
  | { readonly _tag: "Frame"; readonly total: number }
  | { readonly _tag: "BadChecksum"; readonly total: number; readonly got: number; readonly expected: number }
  | { readonly _tag: "Incomplete" }
  | { readonly _tag: "NoFrame" }

/** What starts at `i`: a whole frame, one with a wrong SUM, not enough bytes yet, or no frame. */
const candidateAt = (bytes: Uint8Array, i: number, dataLengths: ReadonlyMap<number, number>): Candidate => {
  if (bytes[i] !== STX) return { _tag: "NoFrame" }
  if (i + 3 > bytes.length) return { _tag: "Incomplete" }
  const length = dataLengths.get(bytes[i + 2]!)
  if (length === undefined) return { _tag: "NoFrame" }
  const total = length + 5
  if (i + total > bytes.length) return { _tag: "Incomplete" }
  if (bytes[i + total - 2] !== ETX) return { _tag: "NoFrame" }
  const expected = sum8(bytes, i, i + total - 1)
  const got = bytes[i + total - 1]!
  return got === expected ? { _tag: "Frame", total } : { _tag: "BadChecksum", total, got, expected }
}

/**
 * Cuts complete frames out of a byte buffer. `baseOffset` is added to every error offset.
 *
 * How garbage is skipped: the splitter looks for 02; a candidate is only accepted if its CMD has a
 * known data length, the byte at the computed end is 03 and the checksum matches. Anything else
 * drops exactly one byte (the 02) and scanning resumes with the next byte, so a real frame hidden
 * behind noise that happened to contain 02 is still found. Contiguous skipped bytes are reported
 * as one "Garbage" error; a candidate with good shape but a wrong SUM is reported as "BadChecksum"
 * (and its bytes are not reported again as garbage). A candidate cut off by the end of the input
 * is kept as `rest` — unless a complete, checksum-valid frame starts after it, in which case the
 * candidate was noise (a board answers once and then stays silent, so waiting would stall).
 */
export const splitFrames = (
  bytes: Uint8Array,
  baseOffset = 0,
  dataLengths: ReadonlyMap<number, number> = defaultDataLengths
): SplitResult => {
  const results: Array<Either.Either<KerongFrame, KerongDecodeError>> = []
  let garbageStart = -1
  let quietUntil = 0
  const flushGarbage = (end: number) => {
    if (garbageStart >= 0) {
      const offset = baseOffset + garbageStart
      results.push(Either.left(
        new KerongDecodeError({
          reason: "Garbage",
          offset,
          message: `skipped ${end - garbageStart} byte(s) that are not part of a frame at offset ${offset}`
        })
      ))
      garbageStart = -1
    }
  }
  const skip = (i: number) => {
    if (garbageStart < 0 && i >= quietUntil) garbageStart = i
  }
  const laterFrame = (from: number) => {
    for (let j = from; j < bytes.length; j++) {
      if (candidateAt(bytes, j, dataLengths)._tag === "Frame") return true
    }
    return false
  }
  let i = 0
  while (i < bytes.length) {
    const c = candidateAt(bytes, i, dataLengths)
    if (c._tag === "Incomplete") {
      if (!laterFrame(i + 1)) break
      skip(i)
      i++
    } else if (c._tag === "NoFrame") {
      skip(i)
      i++
    } else if (c._tag === "BadChecksum") {
      flushGarbage(i)
      results.push(Either.left(badChecksum(baseOffset + i + c.total - 1, c.got, c.expected)))
      quietUntil = i + c.total
      i++
    } else {
      flushGarbage(i)
      results.push(Either.right({
        address: bytes[i + 1]!,
        command: bytes[i + 2]!,
        data: bytes.slice(i + 3, i + c.total - 2)
      }))
      i += c.total
    }
  }
  flushGarbage(i)
  return { results, rest: bytes.slice(i) }
}

/**
 * Streaming splitter: `push` each chunk read from the bus, get frames and typed errors in order.
 * Error offsets count bytes since the splitter was created. Call `reset` after a reply timeout.
 */
export class KerongFrameSplitter {
  private buffer: Uint8Array = new Uint8Array(0)
  private consumed = 0

  constructor(private readonly dataLengths: ReadonlyMap<number, number> = defaultDataLengths) {}

  push(chunk: Uint8Array): ReadonlyArray<Either.Either<KerongFrame, KerongDecodeError>> {
    const joined = new Uint8Array(this.buffer.length + chunk.length)
    joined.set(this.buffer, 0)
    joined.set(chunk, this.buffer.length)
    const { rest, results } = splitFrames(joined, this.consumed, this.dataLengths)
    this.consumed += joined.length - rest.length
    this.buffer = rest
    return results
  }

  /** bytes held back as the start of a not yet complete frame */
  get pending(): Uint8Array {
    return this.buffer
  }

  reset(): void {
    this.consumed += this.buffer.length
    this.buffer = new Uint8Array(0)
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and status frames

const checkRange = (field: string, value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max
    ? Either.right(value)
    : Either.left(
      new KerongEncodeError({ reason: "OutOfRange", field, message: `${field} must be ${min}..${max}, got ${value}` })
    )

/** ADDR for a board (0..15) and a lock index (0..15, lock 1 = 0). */
export const address = (board: number, lockIndex: number): Either.Either<number, KerongEncodeError> =>
  Either.zipWith(checkRange("board", board, 0, 15), checkRange("lockIndex", lockIndex, 0, 15), (b, l) => (b << 4) | l)

/** CMD 30: status of one board, e.g. board 0 → `02 00 30 03 35`. */
export const encodeStatusRequest = (board: number): Either.Either<Uint8Array, KerongEncodeError> =>
  Either.map(address(board, 0), (a) => encodeFrame({ address: a, command: Command.Status, data: new Uint8Array(0) }))

/** CMD 31: unlock `lock` (1..16) on `board` (0..15); board 0 lock 16 → `02 0F 31 03 45`. */
export const encodeUnlock = (board: number, lock: number): Either.Either<Uint8Array, KerongEncodeError> =>
  Either.flatMap(
    checkRange("lock", lock, 1, 16),
    (l) => Either.map(address(board, l - 1), (a) => encodeFrame({ address: a, command: Command.Unlock, data: new Uint8Array(0) }))
  )

/** CMD 37: unlock pulse length, sent as 2 bytes big-endian in units of 10 ms (ms are rounded). */
export const encodeSetUnlockTime = (
  board: number,
  milliseconds: number
): Either.Either<Uint8Array, KerongEncodeError> =>
  Either.flatMap(checkRange("milliseconds", milliseconds, 0, 655_350), (ms) => {
    const units = Math.round(ms / 10)
    const data = Uint8Array.of((units >> 8) & 0xff, units & 0xff)
    return Either.map(address(board, 0), (a) => encodeFrame({ address: a, command: Command.SetUnlockTime, data }))
  })

const bitsToBools = (lo: number, hi: number, on: number): ReadonlyArray<boolean> =>
  Array.from({ length: 16 }, (_, i) => (((i < 8 ? lo >> i : hi >> (i - 8)) & 1) === on))

const boolsToBits = (values: ReadonlyArray<boolean>, on: number): readonly [number, number] => {
  let lo = 0
  let hi = 0
  values.forEach((v, i) => {
    const bit = v ? on : 1 - on
    if (i < 8) lo |= bit << i
    else hi |= bit << (i - 8)
  })
  return [lo, hi]
}

/**
 * Decodes a status frame (CMD 35, 4 data bytes) with the board's lock polarity.
 * Accepts a decoded frame or the raw frame bytes.
 */
export const decodeStatus = (
  frame: KerongFrame | Uint8Array,
  lockedBit: LockedBit = 1
): Either.Either<BoardStatus, KerongDecodeError> =>
  Either.flatMap(frame instanceof Uint8Array ? decodeFrame(frame) : Either.right(frame), (f) => {
    if (f.command !== Command.StatusReply) {
      const message = `expected status frame (CMD 35), got CMD ${hex(f.command)}`
      return Either.left(new KerongDecodeError({ reason: "UnexpectedCommand", offset: 2, message }))
    }
    if (f.data.length !== 4) {
      const message = `status frame carries ${f.data.length} data bytes, expected 4`
      return Either.left(new KerongDecodeError({ reason: "BadLength", offset: 3, message }))
    }
    const [l1, l2, i1, i2] = f.data
    return Either.right({
      board: boardOf(f.address),
      locked: bitsToBools(l1!, l2!, lockedBit),
      items: bitsToBools(i1!, i2!, 1)
    })
  })

/** Encodes the board's status reply (the twin board sends it); arrays must have 16 entries. */
export const encodeStatusReply = (
  board: number,
  locked: ReadonlyArray<boolean>,
  items: ReadonlyArray<boolean>,
  lockedBit: LockedBit = 1
): Either.Either<Uint8Array, KerongEncodeError> =>
  Either.gen(function*() {
    const a = yield* address(board, 0)
    yield* checkRange("locked.length", locked.length, 16, 16)
    yield* checkRange("items.length", items.length, 16, 16)
    const [l1, l2] = boolsToBits(locked, lockedBit)
    const [i1, i2] = boolsToBits(items, 1)
    return encodeFrame({ address: a, command: Command.StatusReply, data: Uint8Array.of(l1, l2, i1, i2) })
  })
