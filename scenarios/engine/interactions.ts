/**
 * What the engine asks of the terminal, and what it learns back. The agent
 * decisions (who comes when, who forgets the old document, who mistypes the
 * code) are made by the engine and travel in the interaction; the outcome is
 * computed by a driver: in `model` fidelity from the device state and the
 * workflows' rules, in `full` fidelity by the real core workflows against the
 * twin devices. Both see the same interactions, in the same order.
 */

export type DocumentKindName = "id-card" | "passport"
export const documentKinds: ReadonlyArray<DocumentKindName> = ["id-card", "passport"]

export type FaultKind = "jam" | "locker-offline" | "sms-outage" | "card-offline"

export interface Feedback {
  readonly rating: number
  readonly recommend: "yes" | "no" | "unsure"
}

export type Interaction =
  /** The document is handed over at the counter (announced, then handed over). */
  | { readonly kind: "counter"; readonly site: number; readonly t: number; readonly doc: number; readonly documentKind: DocumentKindName }
  /** Staff load the document into a compartment; the citizen gets the "ready" text. */
  | {
    readonly kind: "load"
    readonly site: number
    readonly t: number
    readonly doc: number
    readonly documentKind: DocumentKindName
    readonly requiresOldDocument: boolean
  }
  /** The citizen comes to collect. */
  | {
    readonly kind: "pickup"
    readonly site: number
    readonly t: number
    readonly doc: number
    readonly card: string
    readonly forgetsOldDocument: boolean
    readonly mistypesCode: boolean
    readonly feedback: Feedback | null
  }
  /** Staff take an uncollected (or failed) document back to the office. */
  | { readonly kind: "return"; readonly site: number; readonly t: number; readonly doc: number }
  /** A citizen files an application at the terminal. */
  | { readonly kind: "application"; readonly site: number; readonly t: number; readonly card: string; readonly serviceId: string }
  /** A device fault starts (on) or ends (off); `slot` is the compartment's index for a jam. */
  | { readonly kind: "fault"; readonly site: number; readonly t: number; readonly fault: FaultKind; readonly on: boolean; readonly slot: number }
  /** The terminal's daily jobs: reminders, expiry, delivery of applications. */
  | { readonly kind: "daily"; readonly site: number; readonly t: number }

export type Outcome =
  | "ok"
  | "full"
  | "jam"
  | "offline"
  | "card"
  | "sms"
  | "no-old-document"
  | "failed"

/** Failures that the device caused (staff hear complaints), as opposed to the citizen's own slip. */
export const deviceFailure = (o: Outcome): boolean => o === "jam" || o === "offline" || o === "card" || o === "sms" || o === "failed"
