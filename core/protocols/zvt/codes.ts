/**
 * ZVT code tables (PA00P015 chapter "Error-Messages" and the intermediate status list).
 * Result codes appear in bitmap 27, in `84 xx 00` and in Abort `06 1E xx`.
 */

export const ResultCode = {
  NoError: 0x00,
  CardNotReadable: 0x64,
  CardDataNotPresent: 0x65,
  ProcessingError: 0x66,
  Aborted: 0x6c,
  CardBlocked: 0x6e,
  CardExpired: 0x78,
  CardNotYetValid: 0x79,
  CardUnknown: 0x7a,
  FunctionNotPossible: 0x83,
  ProtocolError: 0x9a,
  PleaseWait: 0x9c,
  ReceiverNotReady: 0xa0,
  CardInserted: 0xdc,
  CardEjectError: 0xdd,
  CardReaderDefective: 0xe2,
  SystemError: 0xff
} as const

export type ResultCode = typeof ResultCode[keyof typeof ResultCode]

export const resultDescriptions: ReadonlyMap<number, string> = new Map<number, string>([
  [ResultCode.NoError, "no error"],
  [ResultCode.CardNotReadable, "card not readable"],
  [ResultCode.CardDataNotPresent, "card data not present"],
  [ResultCode.ProcessingError, "processing error"],
  [ResultCode.Aborted, "aborted by timeout or abort key"],
  [ResultCode.CardBlocked, "card on blocked list"],
  [ResultCode.CardExpired, "card expired"],
  [ResultCode.CardNotYetValid, "card not yet valid"],
  [ResultCode.CardUnknown, "card unknown"],
  [ResultCode.FunctionNotPossible, "function not possible / unknown command"],
  [ResultCode.ProtocolError, "ZVT protocol error"],
  [ResultCode.PleaseWait, "please wait"],
  [ResultCode.ReceiverNotReady, "receiver not ready"],
  [ResultCode.CardInserted, "card inserted"],
  [ResultCode.CardEjectError, "card eject error"],
  [ResultCode.CardReaderDefective, "card reader defective"],
  [ResultCode.SystemError, "system error"]
])

const describe = (table: ReadonlyMap<number, string>, code: number) => table.get(code) ?? `unknown code ${code.toString(16).toUpperCase().padStart(2, "0")}`

export const describeResult = (code: number): string => describe(resultDescriptions, code)

/** Intermediate status codes (`04 FF <code>`) worth showing to the citizen. */
export const IntermediateStatusCode = {
  InsertCard: 0x0a,
  RemoveCard: 0x0b,
  CardNotReadable: 0x0c,
  PleaseWait: 0x0e,
  InvalidCard: 0x10,
  SystemMalfunction: 0x12,
  PleaseWaitAlt: 0x17,
  CardInsertionDetected: 0x68
} as const

export type IntermediateStatusCode = typeof IntermediateStatusCode[keyof typeof IntermediateStatusCode]

export const intermediateStatusDescriptions: ReadonlyMap<number, string> = new Map<number, string>([
  [IntermediateStatusCode.InsertCard, "insert card"],
  [IntermediateStatusCode.RemoveCard, "please remove card"],
  [IntermediateStatusCode.CardNotReadable, "card not readable"],
  [IntermediateStatusCode.PleaseWait, "please wait"],
  [IntermediateStatusCode.InvalidCard, "invalid card"],
  [IntermediateStatusCode.SystemMalfunction, "system malfunction"],
  [IntermediateStatusCode.PleaseWaitAlt, "please wait"],
  [IntermediateStatusCode.CardInsertionDetected, "card insertion detected"]
])

export const describeIntermediateStatus = (code: number): string => describe(intermediateStatusDescriptions, code)

/** Terminal status code carried by the Completion that answers Status Enquiry `05 01`. */
export const TerminalStatus = {
  Ready: 0x00,
  CardInserted: 0xdc,
  OutOfOrder: 0xdf,
  CardReaderDefective: 0xe2
} as const

export const terminalStatusDescriptions: ReadonlyMap<number, string> = new Map<number, string>([
  [TerminalStatus.Ready, "ready"],
  [TerminalStatus.CardInserted, "card inserted"],
  [TerminalStatus.OutOfOrder, "out of order"],
  [TerminalStatus.CardReaderDefective, "card reader defective"]
])

export const describeTerminalStatus = (code: number): string => terminalStatusDescriptions.get(code) ?? describeResult(code)

/** Registration config-byte bits. */
export const ConfigBit = {
  /** payment receipt printed by the ECR */
  EcrPrintsPaymentReceipt: 0x02,
  /** administration receipt printed by the ECR */
  EcrPrintsAdminReceipt: 0x04,
  /** the terminal sends Intermediate Status `04 FF` */
  SendIntermediateStatus: 0x08,
  /** amount entry at the terminal not possible */
  NoAmountEntry: 0x10,
  /** administration functions at the terminal not possible */
  NoAdminFunctions: 0x20,
  /** receipts come as Print Line `06 D1` */
  ReceiptsAsPrintLines: 0x80
} as const

/** `1F15` card-reading control: the top bit asks the terminal for `1F14`. */
export const CardReadingControl = { RequestCardId: 0x80 } as const

export const TlvTag = {
  CardId: 0x1f14,
  CardReadingControl: 0x1f15,
  ReadCardType: 0x1f60
} as const
