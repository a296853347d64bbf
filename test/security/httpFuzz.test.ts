/**
 * HTTP fuzzing: thousands of malformed requests — wrong types, unknown
 * fields, bodies that are not JSON or not UTF-8, huge values, path tricks —
 * get a 4xx with a JSON body that says what was wrong, never a 5xx, and
 * change nothing.
 */
import * as fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { STAFF, webHandler } from "../support/webHandler.ts"

let app: ReturnType<typeof webHandler>
let token = ""
const base = "http://terminal.test"

const send = (method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) =>
  app.handler(new Request(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) }))

const json = async (method: string, path: string, body?: unknown, auth = false) => {
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (auth) headers["authorization"] = `Bearer ${token}`
  return send(method, path, body === undefined ? undefined : JSON.stringify(body), headers)
}

/** What a request could change: counted before and after. */
const state = async () => {
  const r = await json("GET", "/api/staff/events?limit=10000", undefined, true)
  const events = (await r.json()) as Array<{ event: { _tag: string } }>
  return events.filter((e) => e.event._tag !== "StaffSignInFailed" && e.event._tag !== "StaffSignedIn").length
}

beforeAll(async () => {
  app = webHandler({ config: { cardReadSeconds: 5 } })
  const login = await json("POST", "/api/staff/login", STAFF)
  expect(login.status).toBe(200)
  token = ((await login.json()) as { token: string }).token
}, 60_000)
afterAll(async () => {
  await app?.dispose()
})

const endpoints: ReadonlyArray<readonly [string, string, boolean]> = [
  ["POST", "/api/kiosk/session/end", false],
  ["POST", "/api/kiosk/pickup/identify", false],
  ["POST", "/api/kiosk/pickup/resend", false],
  ["POST", "/api/kiosk/pickup/verify", false],
  ["POST", "/api/kiosk/pickup/old-document", false],
  ["POST", "/api/kiosk/pickup/open", false],
  ["POST", "/api/kiosk/pickup/complete", false],
  ["POST", "/api/kiosk/pickup/cancel", false],
  ["POST", "/api/kiosk/applications/scan", false],
  ["POST", "/api/kiosk/applications", false],
  ["POST", "/api/kiosk/feedback", false],
  ["POST", "/api/staff/orders", true],
  ["GET", "/api/staff/orders", true],
  ["POST", "/api/staff/orders/{id}/load", true],
  ["POST", "/api/staff/orders/{id}/return/confirm", true],
  ["POST", "/api/staff/orders/{id}/release", true],
  ["POST", "/api/staff/compartments/{id}/out-of-service", true],
  ["POST", "/api/staff/compartments/{id}/override-open", true],
  ["POST", "/api/staff/alarms/{id}/ack", true],
  ["GET", "/api/staff/events", true],
  ["POST", "/api/staff/outbox/{id}/retry", true]
]

const badValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constant("ses_aaaaaaaaaaaa"),
  fc.constant("12345674"),
  fc.constant("../../etc/passwd"),
  fc.constant("\u0000"),
  fc.constant("x".repeat(5000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 })
)
const fieldName = fc.constantFrom(
  "sessionId",
  "pickupNumber",
  "code",
  "serviceId",
  "fields",
  "attachments",
  "context",
  "rating",
  "recommend",
  "documentKind",
  "phone",
  "requiresOldDocument",
  "size",
  "preferBand",
  "reason",
  "extra",
  "__proto__",
  "constructor"
)
const body = fc.oneof(
  { arbitrary: fc.dictionary(fieldName, badValue, { maxKeys: 6 }).map((o) => ({ kind: "json" as const, value: JSON.stringify(o) })), weight: 6 },
  { arbitrary: fc.string({ maxLength: 60 }).map((s) => ({ kind: "text" as const, value: s })), weight: 2 },
  { arbitrary: fc.uint8Array({ maxLength: 60 }).map((b) => ({ kind: "bytes" as const, value: b })), weight: 1 },
  { arbitrary: fc.constant({ kind: "json" as const, value: "[]" }), weight: 1 },
  { arbitrary: fc.integer({ min: 30, max: 5000 }).map((n) => ({ kind: "json" as const, value: `{"sessionId":${"[".repeat(n)}${"]".repeat(n)}}` })), weight: 1 },
  { arbitrary: fc.constant({ kind: "none" as const, value: "" }), weight: 1 }
)
const pathParam = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("..%2F..%2Fadmin", "%00", "ord_000000000000", "-1", "99999", "1e3", "%E0%A4%A"))
const query = fc.oneof(
  fc.constant(""),
  fc.dictionary(fc.constantFrom("status", "search", "limit", "after", "type", "since", "open"), fc.string({ maxLength: 12 }), { maxKeys: 3 })
    .map((q) => `?${new URLSearchParams(q).toString()}`)
)

describe("HTTP fuzzing", () => {
  it("malformed requests get a 4xx with a JSON explanation, never a 5xx, and change nothing", async () => {
    const before = await state()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        body,
        pathParam,
        query,
        fc.boolean(),
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"),
        async ([method, template, auth], b, param, q, withToken, type) => {
          const path = template.replace("{id}", encodeURIComponent(param).replace(/%25/g, "%")) + (method === "GET" ? q : "")
          const headers: Record<string, string> = { "content-type": type }
          if (auth && withToken) headers["authorization"] = `Bearer ${token || "bogus-token"}`
          const response = await send(method, path, method === "GET" || b.kind === "none" ? undefined : b.value as BodyInit, headers)
          expect(response.status, `${method} ${path}`).toBeLessThan(500)
          if (response.status >= 400) {
            const text = await response.text()
            expect(() => JSON.parse(text), `${method} ${path} -> ${response.status}: ${text.slice(0, 200)}`).not.toThrow()
          } else {
            await response.arrayBuffer()
          }
        }
      ),
      { numRuns: 2500 }
    )
    expect(await state()).toBe(before)
  }, 240_000)

  it("a value far too long is refused with the field named", async () => {
    const big = JSON.stringify({ sessionId: "ses_aaaaaaaaaaaa", pickupNumber: "x".repeat(512 * 1024) })
    const response = await send("POST", "/api/kiosk/pickup/identify", big, { "content-type": "application/json" })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toContain("pickupNumber")
  })
})
