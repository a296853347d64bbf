/**
 * Behavioural twin of the document scanner: the citizen lays a document on
 * it, the scan yields a real (generated) PNG page. Faults: jam, offline.
 */
import { Context, Effect, Layer, Ref } from "effect"
import { deflateSync } from "node:zlib"
import { ScannerError } from "../../core/domain/errors.ts"
import { DocumentScanner } from "../../core/ports/DocumentScanner.ts"

export type ScannerFault = "none" | "jam" | "offline"

export interface ScannerTwinControl {
  /** Lays a document of `pages` pages on the scanner. */
  readonly place: (pages?: number) => Effect.Effect<void>
  readonly loaded: Effect.Effect<number>
  readonly setFault: (fault: ScannerFault) => Effect.Effect<void>
}

export class ScannerTwin extends Context.Tag("amtomat/twin/ScannerTwin")<ScannerTwin, ScannerTwinControl>() {}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type: string, data: Uint8Array) => {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, "ascii")
  Buffer.from(data).copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** A grey-scale A4-ish page (124x175 px) with "text lines", as a valid PNG. */
export const pagePng = (seed: number): Uint8Array => {
  const w = 124
  const h = 175
  const raw = Buffer.alloc((w + 1) * h, 0xff)
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0
    const line = y > 15 && y < h - 15 && y % 8 < 2
    if (!line) continue
    const len = 20 + ((y * 31 + seed * 17) % (w - 40))
    for (let x = 12; x < 12 + len && x < w - 12; x++) raw[y * (w + 1) + 1 + x] = 0x40
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0))
  ])
}

export const make = Effect.gen(function*() {
  const tray = yield* Ref.make<ReadonlyArray<number>>([])
  const fault = yield* Ref.make<ScannerFault>("none")
  const scans = yield* Ref.make(0)

  const port = DocumentScanner.of({
    scan: Effect.gen(function*() {
      const f = yield* Ref.get(fault)
      if (f === "offline") return yield* new ScannerError({ reason: "Offline", message: "scanner does not answer" })
      if (f === "jam") return yield* new ScannerError({ reason: "Jam", message: "paper jam" })
      const docs = yield* Ref.get(tray)
      const pages = docs[0]
      if (pages === undefined) return yield* new ScannerError({ reason: "NoPaper", message: "no document on the scanner" })
      yield* Ref.set(tray, docs.slice(1))
      const n = yield* Ref.updateAndGet(scans, (x) => x + 1)
      return { mime: "image/png" as const, data: pagePng(n), pages }
    })
  })
  const control: ScannerTwinControl = {
    place: (pages = 1) => Ref.update(tray, (xs) => [...xs, Math.max(1, Math.min(50, Math.floor(pages)))]),
    loaded: Effect.map(Ref.get(tray), (xs) => xs.length),
    setFault: (f) => Ref.set(fault, f)
  }
  return { port, control }
})

export const layer = Layer.effectContext(Effect.map(make, ({ control, port }) => Context.make(DocumentScanner, port).pipe(Context.add(ScannerTwin, control))))
