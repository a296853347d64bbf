/**
 * The kiosk's calls: only /api/kiosk/*. Types come from the server's own
 * schemas (type-only imports, erased in the build), so the screens and the
 * API cannot drift apart unnoticed.
 */
import type { Catalogue } from "../../../core/domain/catalogue.ts"
import type { KioskStatus } from "../../../core/workflows/Availability.ts"
import type { Completed, Identified, Opened, Received, Scanned, SessionStarted, Submitted, Verified } from "../../http/schemas.ts"
import { call } from "../shared/http.ts"
import { kioskHeaders } from "./key.ts"

export type CatalogueT = typeof Catalogue.Encoded
export type ServiceT = CatalogueT[number]
export type FieldT = ServiceT["fields"][number]
export type IdentifiedT = typeof Identified.Encoded
export type SubmittedT = typeof Submitted.Encoded
export type ScannedT = typeof Scanned.Encoded
export type KioskStatusT = typeof KioskStatus.Encoded

const post = <A>(path: string, body: unknown, signal?: AbortSignal) => call<A>("POST", `/api/kiosk${path}`, body, { signal, headers: kioskHeaders() })

export const kioskApi = {
  /** What a page that (re)loads calls first: ends whatever session was running, tells which doors are open. */
  resume: () => post<KioskStatusT>("/resume", undefined),
  status: (signal?: AbortSignal) => call<KioskStatusT>("GET", "/api/kiosk/status", undefined, { signal, headers: kioskHeaders() }),
  startSession: (signal?: AbortSignal) => post<typeof SessionStarted.Encoded>("/session", undefined, signal),
  endSession: (sessionId: string) => post<void>("/session/end", { sessionId }),
  keepAlive: (sessionId: string) => post<void>("/session/keep-alive", { sessionId }),
  identify: (sessionId: string, pickupNumber: string, signal?: AbortSignal) => post<IdentifiedT>("/pickup/identify", { sessionId, pickupNumber }, signal),
  resend: (sessionId: string, signal?: AbortSignal) => post<IdentifiedT>("/pickup/resend", { sessionId }, signal),
  verify: (sessionId: string, code: string, signal?: AbortSignal) => post<typeof Verified.Encoded>("/pickup/verify", { sessionId, code }, signal),
  oldDocument: (sessionId: string, signal?: AbortSignal) => post<typeof Received.Encoded>("/pickup/old-document", { sessionId }, signal),
  open: (sessionId: string, signal?: AbortSignal) => post<typeof Opened.Encoded>("/pickup/open", { sessionId }, signal),
  complete: (sessionId: string, signal?: AbortSignal) => post<typeof Completed.Encoded>("/pickup/complete", { sessionId }, signal),
  cancel: (sessionId: string) => post<void>("/pickup/cancel", { sessionId }),
  services: (signal?: AbortSignal) => call<CatalogueT>("GET", "/api/kiosk/services", undefined, { signal, headers: kioskHeaders() }),
  scan: (sessionId: string, signal?: AbortSignal) => post<ScannedT>("/applications/scan", { sessionId }, signal),
  submit: (
    body: { sessionId: string; serviceId: string; fields: Record<string, string>; attachments: ReadonlyArray<{ name: string; attachmentId: string }> },
    signal?: AbortSignal
  ) => post<SubmittedT>("/applications", body, signal),
  feedback: (sessionId: string, context: "pickup" | "application" | "other", rating: number, recommend: "yes" | "no" | "unsure") =>
    post<void>("/feedback", { sessionId, context, rating, recommend })
}
