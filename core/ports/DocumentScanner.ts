/**
 * The document scanner for application attachments.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { ScannerError } from "../domain/errors.ts"

export interface ScannedDocument {
  readonly mime: "image/png" | "application/pdf" | "image/tiff"
  readonly data: Uint8Array
  readonly pages: number
}

export class DocumentScanner extends Context.Tag("amtomat/DocumentScanner")<DocumentScanner, {
  /** Scans what lies on the glass or in the feeder. */
  readonly scan: Effect.Effect<ScannedDocument, ScannerError>
}>() {}
