/**
 * A minimal PNG decoder for screenshots (8-bit RGB or RGBA, not interlaced),
 * so the tests can look at the pixels of each chart on the page.
 */
import { inflateSync } from "node:zlib"

export interface Image {
  readonly width: number
  readonly height: number
  /** RGBA, 4 bytes per pixel, row by row. */
  readonly data: Uint8Array
}

const paeth = (a: number, b: number, c: number) => {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

export const decodePng = (png: Uint8Array): Image => {
  const buf = Buffer.from(png)
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG")
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  const idat: Array<Buffer> = []
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset)
    const type = buf.toString("ascii", offset + 4, offset + 8)
    const body = buf.subarray(offset + 8, offset + 8 + length)
    if (type === "IHDR") {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const [depth, colour, interlace] = [body[8], body[9], body[12]]
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error("only 8-bit RGB(A), non-interlaced PNG")
      channels = colour === 6 ? 4 : 3
    }
    if (type === "IDAT") idat.push(body)
    if (type === "IEND") break
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const pixels = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0
      const v = line[x]!
      const predicted = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c)
      pixels[y * stride + x] = (v + predicted) & 0xff
    }
  }
  if (channels === 4) return { width, height, data: pixels }
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) {
    rgba.set(pixels.subarray(i * 3, i * 3 + 3), i * 4)
    rgba[i * 4 + 3] = 255
  }
  return { width, height, data: rgba }
}

export interface Ink {
  /** Pixels in the box that are not (near) white. */
  readonly drawn: number
  /** Pixels with clear colour (not grey): data series rather than axes and grid lines. */
  readonly coloured: number
  readonly total: number
}

/** Counts drawn and coloured pixels inside a box (CSS pixels × device scale). */
export const inkIn = (img: Image, box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number }): Ink => {
  let drawn = 0
  let coloured = 0
  const x0 = Math.max(0, Math.floor(box.x))
  const y0 = Math.max(0, Math.floor(box.y))
  const x1 = Math.min(img.width, Math.ceil(box.x + box.width))
  const y1 = Math.min(img.height, Math.ceil(box.y + box.height))
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4
      const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!]
      if (r < 245 || g < 245 || b < 245) drawn++
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++
    }
  }
  return { drawn, coloured, total: Math.max(0, x1 - x0) * Math.max(0, y1 - y0) }
}
