import { Data } from "effect"

/** Serial link layer: framing, DLE stuffing, CRC. Offsets count bytes of the input stream. */
export class ZvtTransportError extends Data.TaggedError("ZvtTransportError")<{
  readonly reason: "BadCrc" | "BadFrame" | "Garbage" | "FrameTooLong" | "Incomplete"
  readonly offset: number
  readonly message: string
}> {}

/** APDU, bitmap, TLV and message layer. Offsets count bytes from the start of the APDU. */
export class ZvtDecodeError extends Data.TaggedError("ZvtDecodeError")<{
  readonly reason: "Truncated" | "TrailingBytes" | "UnknownTag" | "BadLength" | "BadValue" | "MissingField"
  readonly offset: number
  readonly message: string
}> {}

/** A value the encoders cannot put on the wire (out of range, unknown bitmap tag, too long). */
export class ZvtEncodeError extends Data.TaggedError("ZvtEncodeError")<{
  readonly reason: "OutOfRange" | "UnknownTag" | "BadValue" | "TooLong"
  readonly field: string
  readonly message: string
}> {}
