/**
 * Captured bytes → one record per frame, for `amtomat decode`. Pure: uses the
 * codecs in core/protocols. Every error names its byte offset in the capture.
 */
import { Either } from "effect"
import * as Kerong from "../../core/protocols/kerong.ts"
import * as Sms from "../../core/protocols/sms.ts"
import * as Zvt from "../../core/protocols/zvt.ts"

export type DecodedRecord = { readonly offset: number; readonly error?: string; readonly message?: string } & Record<string, unknown>

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ")
const hex2 = (n: number, width = 2) => n.toString(16).toUpperCase().padStart(width, "0")

/** "02 00 30", "020030", "02:00:30", "0x02 0x00" → bytes; a stray character is an error with its position. */
export const parseHex = (text: string): Either.Either<Uint8Array, DecodedRecord> => {
  const cleaned = text.replace(/0x/gi, " ")
  const digits: Array<string> = []
  for (let i = 0; i < cleaned.length; i++) {
    const c = cleaned[i]!
    if (/[0-9a-f]/i.test(c)) digits.push(c)
    else if (!/[\s:,.-]/.test(c)) {
      return Either.left({ offset: i, error: "BadHex", message: `character ${JSON.stringify(c)} at position ${i} of the input is not hex` })
    }
  }
  if (digits.length % 2 !== 0) {
    return Either.left({ offset: digits.length >> 1, error: "BadHex", message: `odd number of hex digits (${digits.length}): the last byte is incomplete` })
  }
  return Either.right(Uint8Array.from({ length: digits.length / 2 }, (_, i) => parseInt(digits[2 * i]! + digits[2 * i + 1]!, 16)))
}

const indexOf = (bytes: Uint8Array, part: Uint8Array, from: number) => {
  outer: for (let i = from; i + part.length <= bytes.length; i++) {
    for (let j = 0; j < part.length; j++) if (bytes[i + j] !== part[j]) continue outer
    return i
  }
  return -1
}

const lockList = (flags: ReadonlyArray<boolean>, want: boolean) => flags.flatMap((f, i) => (f === want ? [i + 1] : []))

const kerongNames: Record<number, string> = { 0x30: "status request", 0x31: "unlock", 0x35: "status", 0x37: "set unlock time" }

export const decodeKerong = (bytes: Uint8Array, polarity: Kerong.LockedBit = 1): ReadonlyArray<DecodedRecord> => {
  const { rest, results } = Kerong.splitFrames(bytes)
  const out: Array<DecodedRecord> = []
  let cursor = 0
  for (const r of results) {
    if (Either.isLeft(r)) {
      out.push({ offset: r.left.offset, error: r.left.reason, message: r.left.message })
      continue
    }
    const f = r.right
    const wire = Kerong.encodeFrame(f)
    const offset = Math.max(0, indexOf(bytes, wire, cursor))
    cursor = offset + wire.length
    const board = Kerong.boardOf(f.address)
    const base = { offset, frame: hex(wire), board, command: hex2(f.command), name: kerongNames[f.command] ?? "unknown" }
    if (f.command === Kerong.Command.Unlock) out.push({ ...base, lock: Kerong.lockIndexOf(f.address) + 1 })
    else if (f.command === Kerong.Command.SetUnlockTime) out.push({ ...base, milliseconds: (((f.data[0] ?? 0) << 8) | (f.data[1] ?? 0)) * 10 })
    else if (f.command === Kerong.Command.StatusReply) {
      const s = Kerong.decodeStatus(f, polarity)
      out.push(
        Either.isRight(s)
          ? { ...base, polarity, openLocks: lockList(s.right.locked, false), items: lockList(s.right.items, true) }
          : { offset: offset + s.left.offset, error: s.left.reason, message: s.left.message }
      )
    } else out.push(base)
  }
  if (rest.length > 0) {
    const offset = bytes.length - rest.length
    out.push({ offset, error: "Incomplete", message: `${rest.length} byte(s) of an unfinished frame at offset ${offset}` })
  }
  return out
}

/** A ZVT message as plain JSON: bytes as hex, TLV tags as hex, codes with their meaning. */
export const zvtFields = (m: Zvt.ZvtMessage): Record<string, unknown> => {
  const fields: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(m)) {
    if (k === "_tag") continue
    if (v instanceof Uint8Array) fields[k] = hex(v)
    else if (k === "tlv" && Array.isArray(v)) {
      fields[k] = (v as ReadonlyArray<Zvt.TlvEntry>).map((e) => ({ tag: hex2(e.tag, e.tag > 0xff ? 4 : 2), value: hex(e.value) }))
    } else if (k === "other" && Array.isArray(v)) fields[k] = (v as ReadonlyArray<Zvt.BitmapField>).map((f) => ({ tag: hex2(f.tag), value: hex(f.value) }))
    else fields[k] = v
  }
  if (m._tag === "StatusInformation" || m._tag === "AbortFromTerminal") fields["resultText"] = Zvt.describeResult(m.result)
  if (m._tag === "Completion" && m.resultCode !== undefined) fields["resultText"] = Zvt.describeResult(m.resultCode)
  if (m._tag === "NegativeAnswer") fields["codeText"] = Zvt.describeResult(m.code)
  if (m._tag === "IntermediateStatus") fields["codeText"] = Zvt.describeIntermediateStatus(m.code)
  if (m._tag === "StatusEnquiryCompletion") fields["terminalStatusText"] = Zvt.describeTerminalStatus(m.terminalStatus)
  return fields
}

const zvtApdu = (apdu: Uint8Array, offset: number, dataStart: number, wire?: string): DecodedRecord => {
  const m = Zvt.decodeMessage(apdu)
  if (Either.isLeft(m)) {
    return { offset: offset + dataStart + m.left.offset, error: m.left.reason, message: `${m.left.message} (APDU offset ${m.left.offset})`, apdu: hex(apdu) }
  }
  const command = apdu.length >= 2 ? `${hex2(apdu[0]!)} ${hex2(apdu[1]!)}` : hex(apdu)
  return { offset, ...(wire === undefined ? {} : { frame: wire }), apdu: hex(apdu), command, name: m.right._tag, ...zvtFields(m.right) }
}

/** Serial captures (`10 02 … 10 03 CRC`, ACK, NAK) or, when there is no `10 02`, bare APDUs (TCP). */
export const decodeZvt = (bytes: Uint8Array): ReadonlyArray<DecodedRecord> => {
  const out: Array<DecodedRecord> = []
  const serial = indexOf(bytes, Uint8Array.of(0x10, 0x02), 0) >= 0 || (bytes.length > 0 && bytes.every((b) => b === Zvt.ACK || b === Zvt.NAK))
  if (!serial) {
    const splitter = new Zvt.ApduSplitter()
    let at = 0
    for (const a of splitter.push(bytes)) {
      const apdu = Either.getOrThrow(Zvt.encodeApdu(a))
      out.push(zvtApdu(apdu, at, 0))
      at += apdu.length
    }
    if (splitter.pending.length > 0) {
      out.push({ offset: at, error: "Truncated", message: `${splitter.pending.length} byte(s) of an unfinished APDU at offset ${at}` })
    }
    return out
  }
  const deframer = new Zvt.Deframer()
  let frameStart = 0
  for (let i = 0; i < bytes.length; i++) {
    const was = deframer.inFrame
    const events = deframer.push(bytes.subarray(i, i + 1))
    if (!was && deframer.inFrame) frameStart = i - 1
    for (const e of events) {
      if (Either.isLeft(e)) out.push({ offset: e.left.offset, error: e.left.reason, message: e.left.message })
      else if (e.right._tag !== "Frame") out.push({ offset: i, name: e.right._tag === "Ack" ? "ACK" : "NAK", byte: hex2(bytes[i]!) })
      else out.push(zvtApdu(e.right.apdu, frameStart, 2, hex(bytes.subarray(frameStart, i + 1))))
    }
  }
  if (deframer.inFrame) out.push({ offset: frameStart, error: "Incomplete", message: `unfinished frame from offset ${frameStart}` })
  return out
}

const printable = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a || b === 0x1a || b === 0x1b

const smsPdu = (pduHex: string, offset: number): DecodedRecord => {
  const pdu = Sms.decodeSubmitPdu(pduHex)
  if (Either.isLeft(pdu)) return { offset, error: pdu.left.reason, message: `${pdu.left.message} (PDU octet ${pdu.left.offset})`, pdu: pduHex }
  const { userDataHeader, validity, ...rest } = pdu.right
  return {
    offset,
    name: "SMS-SUBMIT",
    ...rest,
    ...(validity === undefined ? {} : { validity: validity._tag === "Relative" ? validity.value : hex(validity.octets) }),
    ...(userDataHeader === undefined ? {} : { userDataHeader: hex(userDataHeader) })
  }
}

const atRecord = (e: Sms.AtEvent, offset: number): DecodedRecord => {
  if (e._tag === "Line") {
    if (/^AT/i.test(e.text)) return { offset, name: "command", text: e.text }
    if (/^[0-9A-F]+$/i.test(e.text) && e.text.length >= 14 && e.text.length % 2 === 0) return smsPdu(e.text, offset)
    return { offset, name: "line", text: e.text }
  }
  if (e._tag === "CmsError" || e._tag === "CmeError") {
    const kind = e._tag === "CmsError" ? "cms" : "cme"
    return { offset, name: e._tag, code: e.code ?? null, text: e.text, class: e.code === undefined ? "failed" : Sms.classifySmsError(e.code, kind) }
  }
  if (e._tag === "Info") return { offset, name: "info", info: e.name, value: e.value, params: e.params }
  return { offset, name: e._tag }
}

/** AT traffic (commands, answers, prompt, PDU bodies); bytes that are not text are taken as one PDU. */
export const decodeSms = (bytes: Uint8Array): ReadonlyArray<DecodedRecord> => {
  if (!bytes.every(printable)) return [smsPdu(hex(bytes).replace(/ /g, ""), 0)]
  const out: Array<DecodedRecord> = []
  const parser = new Sms.AtLineParser()
  let lineStart = 0
  for (let i = 0; i < bytes.length; i++) {
    for (const e of parser.push(bytes.subarray(i, i + 1))) {
      out.push(Either.isLeft(e) ? { offset: e.left.offset, error: e.left.reason, message: e.left.message } : atRecord(e.right, lineStart))
    }
    const b = bytes[i]!
    if (b === 0x0d || b === 0x0a || b === 0x1a || b === 0x1b || parser.pending.length === 0) lineStart = i + 1
  }
  if (parser.pending.trim().length > 0) {
    out.push({ offset: lineStart, error: "Incomplete", message: `unterminated line at offset ${lineStart}: ${JSON.stringify(parser.pending)}` })
  }
  return out
}

export type DecodeProtocol = "kerong" | "zvt" | "sms"

export const decode = (protocol: DecodeProtocol, bytes: Uint8Array, options: { readonly polarity?: Kerong.LockedBit } = {}) =>
  (protocol === "kerong" ? decodeKerong(bytes, options.polarity ?? 1) : protocol === "zvt" ? decodeZvt(bytes) : decodeSms(bytes))
    .map((r) => ({ protocol, ...r }))
