/**
 * Typed ZVT message → APDU bytes. Every value is checked (bytes 0..255, BCD digits, lengths);
 * a value that cannot go on the wire is a ZvtEncodeError, never an exception.
 */
import { Either } from "effect"
import { encodeApdu } from "./apdu.ts"
import { type BitmapField, encodeBitmaps, encodeVarLength } from "./bitmap.ts"
import { checkByte, concatBytes, encodeBcd, encodeBcdNumber, latin1Encode } from "./bytes.ts"
import { ZvtEncodeError } from "./errors.ts"
import type { ZvtMessage } from "./messages.ts"
import { encodeTlv, type TlvEntry } from "./tlv.ts"

type Built = Either.Either<ReadonlyArray<BitmapField>, ZvtEncodeError>

const none: Built = Either.right([])

const byteField = (tag: number, name: string, value: number | undefined): Built =>
  value === undefined ? none : Either.map(checkByte(name, value), (v) => [{ tag, value: Uint8Array.of(v) }])

const bcdField = (tag: number, name: string, digits: string | undefined, size: number): Built =>
  digits === undefined ? none : Either.map(encodeBcd(name, digits, size), (value) => [{ tag, value }])

const currencyField = (currency: number | undefined): Built =>
  currency === undefined
    ? none
    : Either.map(encodeBcdNumber("currency", currency, 2), (value) => [{ tag: 0x49, value }])

const tlvField = (tlv: ReadonlyArray<TlvEntry> | undefined): Built => tlv === undefined ? none : Either.map(encodeTlv(tlv), (value) => [{ tag: 0x06, value }])

/** Concatenates the given bitmap groups (in order) plus `other`, encoded. */
const bitmaps = (groups: ReadonlyArray<Built>, other: ReadonlyArray<BitmapField> | undefined) =>
  Either.flatMap(Either.all(groups), (gs) => encodeBitmaps([...gs.flat(), ...(other ?? [])]))

const apdu = (cls: number, instr: number, parts: ReadonlyArray<Either.Either<Uint8Array, ZvtEncodeError>>) =>
  Either.flatMap(Either.all(parts), (ps) => encodeApdu({ cls, instr, data: concatBytes(ps) }))

const bytes = (...values: ReadonlyArray<number>) => Either.right(Uint8Array.from(values))

export const encodeMessage = (m: ZvtMessage): Either.Either<Uint8Array, ZvtEncodeError> => {
  switch (m._tag) {
    case "Registration": {
      if (m.currency === undefined && (m.serviceByte !== undefined || m.tlv !== undefined || m.other !== undefined)) {
        return Either.left(
          new ZvtEncodeError({
            reason: "BadValue",
            field: "currency",
            message: "Registration needs the currency when a service byte, TLV or other field follows"
          })
        )
      }
      return apdu(0x06, 0x00, [
        encodeBcd("password", m.password, 3),
        Either.map(checkByte("config", m.config), (c) => Uint8Array.of(c)),
        m.currency === undefined ? bytes() : encodeBcdNumber("currency", m.currency, 2),
        bitmaps([byteField(0x03, "serviceByte", m.serviceByte), tlvField(m.tlv)], m.other)
      ])
    }
    case "StatusEnquiry":
      return apdu(0x05, 0x01, [
        m.password === undefined ? bytes() : encodeBcd("password", m.password, 3),
        bitmaps([byteField(0x03, "serviceByte", m.serviceByte), tlvField(m.tlv)], m.other)
      ])
    case "ReadCard":
      return apdu(0x06, 0xc0, [
        Either.map(checkByte("timeoutSeconds", m.timeoutSeconds), (t) => Uint8Array.of(t)),
        bitmaps([
          byteField(0x19, "cardType", m.cardType),
          byteField(0xfc, "dialogControl", m.dialogControl),
          tlvField(m.tlv)
        ], m.other)
      ])
    case "Abort":
      return apdu(0x06, 0xb0, [])
    case "IntermediateStatus":
      if (m.timeout === undefined && (m.tlv !== undefined || m.other !== undefined)) {
        return Either.left(
          new ZvtEncodeError({
            reason: "BadValue",
            field: "timeout",
            message: "Intermediate Status needs the timeout byte when a TLV or other field follows"
          })
        )
      }
      return apdu(0x04, 0xff, [
        Either.map(checkByte("code", m.code), (c) => Uint8Array.of(c)),
        m.timeout === undefined ? bytes() : Either.map(checkByte("timeout", m.timeout), (t) => Uint8Array.of(t)),
        bitmaps([tlvField(m.tlv)], m.other)
      ])
    case "StatusInformation":
      return apdu(0x04, 0x0f, [
        bitmaps([
          byteField(0x27, "result", m.result),
          byteField(0x19, "cardType", m.cardType),
          bcdField(0x29, "terminalId", m.terminalId, 4),
          currencyField(m.currency),
          tlvField(m.tlv)
        ], m.other)
      ])
    case "Completion":
      return apdu(0x06, 0x0f, [
        bitmaps([
          byteField(0x27, "resultCode", m.resultCode),
          byteField(0x19, "statusByte", m.statusByte),
          bcdField(0x29, "terminalId", m.terminalId, 4),
          currencyField(m.currency),
          tlvField(m.tlv)
        ], m.other)
      ])
    case "StatusEnquiryCompletion":
      return apdu(0x06, 0x0f, [
        Either.flatMap(latin1Encode("softwareVersion", m.softwareVersion), (v) =>
          v.length > 999
            ? Either.left(
              new ZvtEncodeError({
                reason: "TooLong",
                field: "softwareVersion",
                message: "software version over 999 bytes"
              })
            )
            : Either.right(concatBytes([encodeVarLength(v.length, 3), v]))),
        Either.map(checkByte("terminalStatus", m.terminalStatus), (s) => Uint8Array.of(s)),
        bitmaps([tlvField(m.tlv)], m.other)
      ])
    case "AbortFromTerminal":
      return apdu(0x06, 0x1e, [
        Either.map(checkByte("result", m.result), (r) => Uint8Array.of(r)),
        Either.right(m.rest ?? new Uint8Array(0))
      ])
    case "PrintLine":
      return apdu(0x06, 0xd1, [
        Either.map(checkByte("attribute", m.attribute), (a) => Uint8Array.of(a)),
        latin1Encode("text", m.text)
      ])
    case "PositiveAnswer":
      return apdu(0x80, 0x00, [Either.right(m.data ?? new Uint8Array(0))])
    case "NegativeAnswer":
      return Either.flatMap(
        checkByte("code", m.code),
        (c) => apdu(0x84, c, [Either.right(m.data ?? new Uint8Array(0))])
      )
    case "Unknown":
      return encodeApdu({ cls: m.cls, instr: m.instr, data: m.data })
  }
}
