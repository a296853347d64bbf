/**
 * The ZVT messages the kiosk and its twin exchange, as plain typed values. `decodeMessage` and
 * `encodeMessage` (decode.ts / encode.ts) map them to and from APDU bytes. Bitmap fields a
 * message does not name are kept in `other` so nothing is lost.
 */
import type { BitmapField } from "./bitmap.ts"
import type { TlvEntry } from "./tlv.ts"

interface Extras {
  readonly tlv?: ReadonlyArray<TlvEntry>
  readonly other?: ReadonlyArray<BitmapField>
}

/** `06 00`: password (6 BCD digits), config byte, [currency], [03 service byte], [06 TLV]. */
export interface Registration extends Extras {
  readonly _tag: "Registration"
  readonly password: string
  readonly config: number
  /** ISO 4217 numeric, e.g. 978; must be present when a service byte or TLV is sent */
  readonly currency?: number
  readonly serviceByte?: number
}

/** `05 01`: [password], [03 service byte], [06 TLV]. */
export interface StatusEnquiry extends Extras {
  readonly _tag: "StatusEnquiry"
  readonly password?: string
  readonly serviceByte?: number
}

/** `06 C0`: timeout in seconds (0 = none), [19 card type], [FC dialog control], [06 TLV]. */
export interface ReadCard extends Extras {
  readonly _tag: "ReadCard"
  readonly timeoutSeconds: number
  readonly cardType?: number
  readonly dialogControl?: number
}

/** `06 B0`: abort a running command, release a retained card. */
export interface Abort {
  readonly _tag: "Abort"
}

/** `04 FF`: intermediate status code, [timeout], [06 TLV]. */
export interface IntermediateStatus extends Extras {
  readonly _tag: "IntermediateStatus"
  readonly code: number
  readonly timeout?: number
}

/** `04 0F`: 27 result, [19 card type], [29 terminal id], [49 currency], [06 TLV], … */
export interface StatusInformation extends Extras {
  readonly _tag: "StatusInformation"
  readonly result: number
  readonly cardType?: number
  /** 8 BCD digits */
  readonly terminalId?: string
  readonly currency?: number
}

/** `06 0F` in bitmap form: [27 result], [19 status byte], [29 terminal id], [49 currency], [06 TLV]. */
export interface Completion extends Extras {
  readonly _tag: "Completion"
  readonly resultCode?: number
  readonly statusByte?: number
  readonly terminalId?: string
  readonly currency?: number
}

/** `06 0F` answering Status Enquiry: LLLVAR software version, terminal status code, [06 TLV]. */
export interface StatusEnquiryCompletion extends Extras {
  readonly _tag: "StatusEnquiryCompletion"
  readonly softwareVersion: string
  readonly terminalStatus: number
}

/** `06 1E`: the terminal aborts; result code, then command-specific bytes kept raw. */
export interface AbortFromTerminal {
  readonly _tag: "AbortFromTerminal"
  readonly result: number
  readonly rest?: Uint8Array
}

/** `06 D1`: attribute byte and one line of text (single-byte characters). */
export interface PrintLine {
  readonly _tag: "PrintLine"
  readonly attribute: number
  readonly text: string
}

/** `80 00 00` */
export interface PositiveAnswer {
  readonly _tag: "PositiveAnswer"
  readonly data?: Uint8Array
}

/** `84 xx 00`, xx a result code */
export interface NegativeAnswer {
  readonly _tag: "NegativeAnswer"
  readonly code: number
  readonly data?: Uint8Array
}

/** Any other APDU, e.g. Diagnosis `06 70`; answer it with `84 83 00` if it is a command. */
export interface UnknownMessage {
  readonly _tag: "Unknown"
  readonly cls: number
  readonly instr: number
  readonly data: Uint8Array
}

export type ZvtMessage =
  | Registration
  | StatusEnquiry
  | ReadCard
  | Abort
  | IntermediateStatus
  | StatusInformation
  | Completion
  | StatusEnquiryCompletion
  | AbortFromTerminal
  | PrintLine
  | PositiveAnswer
  | NegativeAnswer
  | UnknownMessage

/** CLASS and INSTR of each message. */
export const ControlField = {
  Registration: [0x06, 0x00],
  StatusEnquiry: [0x05, 0x01],
  ReadCard: [0x06, 0xc0],
  Abort: [0x06, 0xb0],
  IntermediateStatus: [0x04, 0xff],
  StatusInformation: [0x04, 0x0f],
  Completion: [0x06, 0x0f],
  StatusEnquiryCompletion: [0x06, 0x0f],
  AbortFromTerminal: [0x06, 0x1e],
  PrintLine: [0x06, 0xd1],
  PositiveAnswer: [0x80, 0x00],
  NegativeAnswer: [0x84, 0x00]
} as const
