import { Data } from "effect"

/** Text or number that cannot become an SMS-SUBMIT PDU or an AT command. `offset`: position in the input string. */
export class SmsEncodeError extends Data.TaggedError("SmsEncodeError")<{
  readonly reason: "Unencodable" | "TooLong" | "BadNumber" | "BadText"
  readonly offset: number
  readonly message: string
}> {}

/**
 * PDU hex that does not decode, or modem output the AT parser cannot take. `offset`: octet of the
 * PDU (SMSC byte = 0), or character of the modem stream since the parser was created.
 */
export class SmsDecodeError extends Data.TaggedError("SmsDecodeError")<{
  readonly reason: "BadHex" | "Truncated" | "TrailingBytes" | "NotSubmit" | "UnsupportedEncoding" | "LineTooLong"
  readonly offset: number
  readonly message: string
}> {}
