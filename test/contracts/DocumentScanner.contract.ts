import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { DocumentScanner } from "../../core/ports/DocumentScanner.ts"
import { ScannerTwin } from "../../hardware-sim/behavioural/ScannerTwin.ts"

export const documentScannerContract = (name: string, layer: Layer.Layer<DocumentScanner | ScannerTwin, unknown>) =>
  describe(`DocumentScanner contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, DocumentScanner | ScannerTwin>) => body.pipe(Effect.provide(layer), Effect.scoped)

    it.effect("nothing on the scanner: NoPaper; a document: an image with its page count", () =>
      run(Effect.gen(function*() {
        const scanner = yield* DocumentScanner
        const hand = yield* ScannerTwin
        expect(yield* Effect.flip(scanner.scan)).toMatchObject({ reason: "NoPaper" })
        yield* hand.place(2)
        const doc = yield* scanner.scan
        expect(doc.pages).toBe(2)
        expect(["image/png", "application/pdf", "image/tiff"]).toContain(doc.mime)
        if (doc.mime === "image/png") expect(Buffer.from(doc.data.subarray(0, 8)).toString("hex")).toBe("89504e470d0a1a0a")
        expect(yield* Effect.flip(scanner.scan)).toMatchObject({ reason: "NoPaper" })
      })))

    it.effect("a jam and an offline scanner fail with their reasons", () =>
      run(Effect.gen(function*() {
        const scanner = yield* DocumentScanner
        const hand = yield* ScannerTwin
        yield* hand.place(1)
        yield* hand.setFault("jam")
        expect(yield* Effect.flip(scanner.scan)).toMatchObject({ reason: "Jam" })
        yield* hand.setFault("offline")
        expect(yield* Effect.flip(scanner.scan)).toMatchObject({ reason: "Offline" })
        yield* hand.setFault("none")
        expect((yield* scanner.scan).pages).toBe(1)
      })))
  })
