/**
 * What can go wrong while reading inputs or writing a report.
 */
import { Data } from "effect"

export class ReportError extends Data.TaggedError("ReportError")<{
  readonly reason: "NotFound" | "BadInput" | "Io"
  readonly message: string
}> {}

export const ioError = (what: string) => (cause: unknown) =>
  new ReportError({ reason: "Io", message: `${what}: ${cause instanceof Error ? cause.message : String(cause)}` })
