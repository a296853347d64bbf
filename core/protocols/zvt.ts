/**
 * ZVT (PA00P015 / PA00P016) codec for the card terminal — pure, no I/O.
 *
 * Layers, bottom up: serial transport (`frame`, `unframe`, `Deframer`), APDU (`encodeApdu`,
 * `decodeApdu`, `ApduSplitter` for TCP), bitmap fields and BER-TLV, typed messages
 * (`decodeMessage`, `encodeMessage`) and builders for what the kiosk and its twin send.
 */
export * from "./zvt/apdu.ts"
export * from "./zvt/bitmap.ts"
export * from "./zvt/builders.ts"
export { concatBytes, decodeBcd, encodeBcd } from "./zvt/bytes.ts"
export * from "./zvt/codes.ts"
export * from "./zvt/crc.ts"
export * from "./zvt/decode.ts"
export * from "./zvt/encode.ts"
export * from "./zvt/errors.ts"
export * from "./zvt/messages.ts"
export * from "./zvt/tlv.ts"
export * from "./zvt/transport.ts"
