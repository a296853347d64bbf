/**
 * A stand-in for /api/kiosk/* (except the catalogue), so the accessibility
 * walk reaches every screen, every failure message included, in seconds and
 * without touching the terminal's state. Answers follow the API contract;
 * an endpoint can be held (a long poll that has not answered yet).
 */
import type { Page, Route } from "@playwright/test"
import { luhnCheckDigit } from "../../../core/domain/rules.ts"

export interface Reply {
  readonly status: number
  readonly body?: unknown
}

export const ok = (body?: unknown): Reply => ({ status: body === undefined ? 204 : 200, body })
export const pickupFailed = (reason: string, extra: Record<string, unknown> = {}): Reply => ({
  status: 422,
  body: { _tag: "PickupFailed", reason, message: reason, ...extra }
})

const quiet = { services: { pickup: { available: true, missing: [] }, applications: { available: true, missing: [] } }, doors: [] }

const defaults: Record<string, Reply> = {
  "resume": ok(quiet),
  "status": ok(quiet),
  "session": ok({ sessionId: "ses_000000000001", idleSeconds: 300 }),
  "pickup/identify": ok({
    maskedPhone: "+49 ••• ••• 42",
    codeDigits: 6,
    codeExpiresAt: Date.now() + 600_000,
    requiresOldDocument: true,
    documentKind: "id-card"
  }),
  "pickup/resend": ok({
    maskedPhone: "+49 ••• ••• 42",
    codeDigits: 6,
    codeExpiresAt: Date.now() + 600_000,
    requiresOldDocument: true,
    documentKind: "id-card"
  }),
  "pickup/verify": ok({ requiresOldDocument: true }),
  "pickup/old-document": ok({ received: true }),
  "pickup/open": ok({ compartmentId: 7 }),
  "pickup/complete": ok({ collected: true, doorClosed: true }),
  "applications/scan": ok({ attachmentId: "att_000000000001", mime: "image/png", pages: 1, bytes: 2048 }),
  "applications": ok({ applicationId: "app_000000000001", reference: "2026-KXM4PQ", office: "friedhofsverwaltung" })
}

export const mockKiosk = async (page: Page) => {
  const replies = new Map<string, Reply>(Object.entries(defaults))
  const held = new Set<string>()
  const waiting = new Map<string, Array<Route>>()
  const fulfil = (route: Route, reply: Reply) =>
    route.fulfill({ status: reply.status, contentType: "application/json", ...(reply.body === undefined ? {} : { body: JSON.stringify(reply.body) }) })
      .catch(() => undefined)

  await page.route(/\/api\/kiosk\/(?!services$)(.+)$/, (route) => {
    const endpoint = new URL(route.request().url()).pathname.replace("/api/kiosk/", "")
    if (held.has(endpoint)) {
      waiting.set(endpoint, [...(waiting.get(endpoint) ?? []), route])
      return
    }
    return fulfil(route, replies.get(endpoint) ?? ok())
  })

  return {
    /** The next calls to `endpoint` get this answer. */
    reply: (endpoint: string, reply: Reply) => void replies.set(endpoint, reply),
    /** Calls to `endpoint` wait until `release`. */
    hold: (endpoint: string) => void held.add(endpoint),
    release: async (endpoint: string, reply?: Reply) => {
      held.delete(endpoint)
      if (reply) replies.set(endpoint, reply)
      const routes = waiting.get(endpoint) ?? []
      waiting.delete(endpoint)
      for (const r of routes) await fulfil(r, replies.get(endpoint) ?? ok())
    },
    reset: () => {
      replies.clear()
      for (const [k, v] of Object.entries(defaults)) replies.set(k, v)
    }
  }
}

/** A pickup number with a valid check digit (Luhn), as the server expects. */
export const withCheckDigit = (body: string) => body + String(luhnCheckDigit(body))
