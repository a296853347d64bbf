/**
 * CRC-16/KERMIT: reflected polynomial 0x8408 (CCITT 0x1021 reflected), init 0, no final XOR.
 * ZVT sends it low byte first; check value for "123456789" is 0x2189.
 */
export const crc16Kermit = (bytes: Uint8Array, init = 0): number => {
  let crc = init
  for (let i = 0; i < bytes.length; i++) {
    crc ^= bytes[i]!
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1
  }
  return crc
}
