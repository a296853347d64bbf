/**
 * Everything the kiosk holds about the citizen in front of it: in memory
 * only, and replaced wholesale by `initialState()` on every reset.
 */
import type { Dict, Lang } from "../i18n/index.ts"
import type { CatalogueT, IdentifiedT, KioskStatusT, SubmittedT } from "./api.ts"

export type RouteName =
  | "attract"
  | "card"
  | "services"
  | "number"
  | "code"
  | "old"
  | "opening"
  | "open"
  | "closeDoor"
  | "done"
  | "form"
  | "scan"
  | "review"
  | "receipt"
  | "feedback"
  | "thanks"
  | "message"
  | "resume"

export type MessageKey = keyof Dict["messages"]
export type ActionLabel = keyof Dict["actions"] | "back"

/** What a button on a message screen does; data, so a language switch can redraw it. */
export type Action =
  | { readonly kind: "go"; readonly label: ActionLabel; readonly to: RouteName }
  | { readonly kind: "newCode" }
  | { readonly kind: "startOver" }
  | { readonly kind: "callStaff" }
  | { readonly kind: "finish" }

export interface Route {
  readonly name: RouteName
  readonly message?: MessageKey
  readonly seconds?: number
  readonly actions?: ReadonlyArray<Action>
  /** For "call staff": the message to go back to. */
  readonly back?: Route
}

export type FieldProblem = "required" | "postcode" | "email" | "date" | "phone" | "number" | "select" | "server" | `tooLong:${number}`

export interface FormState {
  readonly serviceId: string
  values: Record<string, string>
  errors: Record<string, FieldProblem>
  scans: Record<string, { readonly attachmentId: string; readonly pages: number }>
  scanNotice: "noPaper" | "down" | `missing:${string}` | null
}

export interface KioskState {
  lang: Lang
  large: boolean
  contrast: boolean
  readAloud: boolean
  route: Route
  busy: boolean
  sessionId: string | null
  /** What the terminal can offer and which doors the server watches, as last told (GET /api/kiosk/status). */
  terminal: KioskStatusT | null
  /** The server's idle limit for the card session, from POST /api/kiosk/session. */
  idleSeconds: number
  catalogue: CatalogueT | null
  pickup: {
    number: string
    code: string
    identified: IdentifiedT | null
    compartmentId: number | null
    notice: "typo" | "wrong" | "resent" | null
    attemptsLeft: number | null
    /** the citizen chose to see the code's digits on the screen */
    revealed: boolean
  }
  form: FormState | null
  receipt: SubmittedT | null
  feedbackContext: "pickup" | "application" | "other"
  feedback: { rating: number | null; recommend: "yes" | "no" | "unsure" | null }
}

export const initialState = (): KioskState => ({
  lang: "de",
  large: false,
  contrast: false,
  readAloud: false,
  route: { name: "attract" },
  busy: false,
  sessionId: null,
  terminal: null,
  idleSeconds: 300,
  catalogue: null,
  pickup: { number: "", code: "", identified: null, compartmentId: null, notice: null, attemptsLeft: null, revealed: false },
  form: null,
  receipt: null,
  feedbackContext: "other",
  feedback: { rating: null, recommend: null }
})

/** Screens that belong to a pickup: a reset there cancels the pickup (the sensors decide what happened). */
export const pickupScreens: ReadonlyArray<RouteName> = ["number", "code", "old", "opening", "open", "closeDoor"]
