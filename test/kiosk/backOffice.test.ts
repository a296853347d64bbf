/**
 * The back office's requests, through HTTP on a real terminal. Phone numbers
 * as staff type them are normalised, and a wrong one is one sentence. Staff
 * accounts: a
 * supervisor creates, disables, enables and resets accounts and sets roles; a
 * clerk cannot; nobody disables or demotes themselves; two supervisors demoting
 * each other at once leave one; a disabled account's open session ends at once.
 * Bad input gets one sentence and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { STAFF, webHandler } from "../support/webHandler.ts"

let app: ReturnType<typeof webHandler>
const base = "http://terminal.test"

const send = async (method: string, path: string, body?: unknown, token?: string) => {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers["content-type"] = "application/json"
  if (token !== undefined) headers["authorization"] = `Bearer ${token}`
  const r = await app.handler(new Request(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
  const text = await r.text()
  return { status: r.status, body: (text.length > 0 ? JSON.parse(text) : undefined) as Record<string, any> }
}
const login = async (username: string, password: string) => send("POST", "/api/staff/login", { username, password })
const tokenOf = async (username: string, password: string) => {
  const r = await login(username, password)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return String(r.body["token"])
}
const events = async (token: string) =>
  ((await send("GET", "/api/staff/events?limit=10000", undefined, token)).body as unknown as Array<{ event: { _tag: string } }>).map((e) => e.event)

/** One sentence: no schema tree, no stack, no line breaks. */
const oneSentence = (message: unknown) => {
  expect(typeof message).toBe("string")
  expect(String(message)).not.toMatch(/\n|<->|Encoded side|Struct|at .*\.ts:/)
}

let boss = ""
beforeAll(async () => {
  app = webHandler({ config: { cardReadSeconds: 5 } })
  boss = await tokenOf(STAFF.username, STAFF.password)
}, 60_000)
afterAll(async () => {
  await app?.dispose()
})

describe("staff accounts in the back office", () => {
  it("a supervisor creates a clerk with a temporary password shown once; the clerk signs in with it and may not manage accounts", async () => {
    const made = await send("POST", "/api/staff/accounts", { username: "Anna.K", displayName: "Anna Klein", role: "clerk" }, boss)
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body["account"]).toMatchObject({ username: "anna.k", displayName: "Anna Klein", role: "clerk", disabled: false, locked: false })
    const password = String(made.body["temporaryPassword"])
    expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/)
    const anna = await tokenOf("anna.k", password)
    for (
      const [method, path, body] of [["GET", "/api/staff/accounts"], ["POST", "/api/staff/accounts", {
        username: "x1",
        displayName: "X One",
        role: "supervisor"
      }]] as const
    ) {
      const r = await send(method, path, body, anna)
      expect(r.status).toBe(403)
      oneSentence(r.body["message"])
    }
    const listed = (await send("GET", "/api/staff/accounts", undefined, boss)).body as unknown as Array<Record<string, unknown>>
    expect(listed.map((a) => a["username"])).toEqual(expect.arrayContaining(["anna.k", STAFF.username]))
    expect(JSON.stringify(listed)).not.toContain("scrypt")
    const names = (await send("GET", "/api/staff/names", undefined, anna)).body as unknown as Array<{ displayName: string }>
    expect(names.map((n) => n.displayName)).toEqual(expect.arrayContaining(["Anna Klein", "Fuzz"]))
    expect((await events(boss)).filter((e) => e._tag === "StaffAccountCreated")).toEqual([
      expect.objectContaining({ role: "clerk", staffId: made.body["account"]["id"] })
    ])
  })

  it("bad input gets one sentence and creates nothing; a taken user name is a conflict", async () => {
    const before = ((await send("GET", "/api/staff/accounts", undefined, boss)).body as unknown as Array<unknown>).length
    for (
      const [body, status] of [
        [{ username: "a b", displayName: "Has Space", role: "clerk" }, 400],
        [{ username: "ok-name", displayName: " ", role: "clerk" }, 400],
        [{ username: "ok-name", displayName: "Role Wrong", role: "admin" }, 400],
        [{ username: "ok-name", displayName: "Extra", role: "clerk", password: "x" }, 400],
        [{ username: "anna.k", displayName: "Again", role: "clerk" }, 409]
      ] as const
    ) {
      const r = await send("POST", "/api/staff/accounts", body, boss)
      expect(r.status, JSON.stringify(r.body)).toBe(status)
      oneSentence(r.body["message"])
    }
    expect(((await send("GET", "/api/staff/accounts", undefined, boss)).body as unknown as Array<unknown>).length).toBe(before)
  })

  it("disabling ends the account's session at once and refuses its sign-in like a wrong password; enabled again it signs in", async () => {
    const made = await send("POST", "/api/staff/accounts", { username: "ben", displayName: "Ben Bauer", role: "clerk" }, boss)
    const id = String(made.body["account"]["id"])
    const password = String(made.body["temporaryPassword"])
    const ben = await tokenOf("ben", password)
    expect((await send("GET", "/api/staff/me", undefined, ben)).status).toBe(200)
    const off = await send("POST", `/api/staff/accounts/${id}`, { disabled: true }, boss)
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(off.body).toMatchObject({ disabled: true })
    expect((await send("GET", "/api/staff/me", undefined, ben)).status).toBe(401)
    const refused = await login("ben", password)
    const wrong = await login("ben", "not-his-password")
    expect(refused.status).toBe(401)
    expect(refused.body["message"]).toBe(wrong.body["message"])
    expect((await send("POST", `/api/staff/accounts/${id}`, { disabled: false, role: "technician" }, boss)).body).toMatchObject({
      disabled: false,
      role: "technician"
    })
    await tokenOf("ben", password)
    expect((await events(boss)).filter((e) => e._tag === "StaffAccountChanged").map((e) => [e["disabled" as never], e["role" as never]])).toEqual(
      expect.arrayContaining([[true, "clerk"], [false, "technician"]])
    )
  })

  it("a reset gives a new temporary password: the old one and the account's sessions stop working, a lock is lifted", async () => {
    const made = await send("POST", "/api/staff/accounts", { username: "cem", displayName: "Cem Demir", role: "clerk" }, boss)
    const id = String(made.body["account"]["id"])
    const old = String(made.body["temporaryPassword"])
    const cem = await tokenOf("cem", old)
    for (let i = 0; i < 5; i++) await login("cem", `wrong-${i}-password`)
    expect(((await send("GET", "/api/staff/accounts", undefined, boss)).body as unknown as Array<Record<string, unknown>>).find((a) => a["id"] === id))
      .toMatchObject({ locked: true })
    const reset = await send("POST", `/api/staff/accounts/${id}/reset-password`, undefined, boss)
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    expect(reset.body["account"]).toMatchObject({ locked: false })
    const fresh = String(reset.body["temporaryPassword"])
    expect(fresh).not.toBe(old)
    expect((await send("GET", "/api/staff/me", undefined, cem)).status).toBe(401)
    expect((await login("cem", old)).status).toBe(401)
    await tokenOf("cem", fresh)
  })

  it("nobody disables or demotes their own account", async () => {
    const me = (await send("GET", "/api/staff/me", undefined, boss)).body
    for (const change of [{ disabled: true }, { role: "clerk" }]) {
      const r = await send("POST", `/api/staff/accounts/${String(me["id"])}`, change, boss)
      expect(r.status).toBe(403)
      oneSentence(r.body["message"])
    }
    // nor resets their own password: it would end their own session before the new one was read
    const reset = await send("POST", `/api/staff/accounts/${String(me["id"])}/reset-password`, undefined, boss)
    expect(reset.status).toBe(403)
    oneSentence(reset.body["message"])
    expect((await send("GET", "/api/staff/me", undefined, boss)).status).toBe(200)
    // a new display name for oneself is fine
    expect((await send("POST", `/api/staff/accounts/${String(me["id"])}`, { displayName: "Fuzz Chef" }, boss)).body).toMatchObject({
      displayName: "Fuzz Chef",
      role: "supervisor"
    })
  })

  it("two supervisors demoting each other at the same moment: exactly one succeeds and one active supervisor stays", async () => {
    const made = await send("POST", "/api/staff/accounts", { username: "dora", displayName: "Dora Engel", role: "supervisor" }, boss)
    const dora = await tokenOf("dora", String(made.body["temporaryPassword"]))
    const supervisors = async () =>
      ((await send("GET", "/api/staff/accounts", undefined, boss)).body as unknown as Array<Record<string, unknown>>)
        .filter((a) => a["role"] === "supervisor" && a["disabled"] === false)
    // only fuzz and dora are supervisors
    expect((await supervisors()).map((a) => a["username"]).sort()).toEqual(["dora", STAFF.username])
    const fuzzId = String((await send("GET", "/api/staff/me", undefined, boss)).body["id"])
    const doraId = String(made.body["account"]["id"])
    const [a, b] = await Promise.all([
      send("POST", `/api/staff/accounts/${doraId}`, { disabled: true }, boss),
      send("POST", `/api/staff/accounts/${fuzzId}`, { disabled: true }, dora)
    ])
    // the loser is refused as the last supervisor (409), or had its session ended by the winner first (401)
    const [won, lost] = a.status === 200 ? [a, b] : [b, a]
    expect(won.status, JSON.stringify(won.body)).toBe(200)
    expect([401, 409]).toContain(lost.status)
    oneSentence(lost.body["message"])
    const left = await supervisors()
    expect(left).toHaveLength(1)
    // put things back for any later case: the one left enables the other
    const survivor = left[0]!["username"] === "dora" ? dora : boss
    const other = left[0]!["username"] === "dora" ? fuzzId : doraId
    expect((await send("POST", `/api/staff/accounts/${other}`, { disabled: false }, survivor)).status).toBe(200)
    if (survivor === dora) boss = await tokenOf(STAFF.username, STAFF.password)
  })

  it("an unknown account is 404 with a sentence", async () => {
    const r = await send("POST", "/api/staff/accounts/stf_000000000000", { disabled: true }, boss)
    expect(r.status).toBe(404)
    oneSentence(r.body["message"])
  })

  it("release and acknowledge take a note (kept with the alarm and in the events) or no body at all; an overlong note is one sentence", async () => {
    const order = await send("POST", "/api/staff/orders", { documentKind: "passport", phone: "0151 23456789", requiresOldDocument: false }, boss)
    expect(order.status, JSON.stringify(order.body)).toBe(201)
    expect(order.body["phone"]).toBe("+4915123456789")
    const id = String(order.body["id"])
    const c = await send("POST", `/api/staff/orders/${id}/load`, undefined, boss)
    await send("POST", `/api/twin/slots/${String(c.body["id"])}/put`)
    await send("POST", `/api/twin/slots/${String(c.body["id"])}/close`)
    expect((await send("POST", `/api/staff/orders/${id}/load/confirm`, undefined, boss)).body["status"]).toBe("loaded")
    // three wrong codes lock it and raise an alarm
    await send("POST", "/api/twin/card/insert", { label: "notes-card" })
    const { sessionId } = (await send("POST", "/api/kiosk/session")).body
    await send("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: order.body["pickupNumber"] })
    for (let i = 0; i < 3; i++) await send("POST", "/api/kiosk/pickup/verify", { sessionId, code: `00000${i}` })
    const alarm = ((await send("GET", "/api/staff/alarms?open=true", undefined, boss)).body as unknown as Array<Record<string, unknown>>)
      .find((a) => a["kind"] === "order_locked")
    expect(alarm).toBeDefined()
    const long = await send("POST", `/api/staff/alarms/${String(alarm!["id"])}/ack`, { note: "x".repeat(501) }, boss)
    expect(long.status).toBe(400)
    expect(long.body["message"]).toMatch(/^note: a note has at most 500 characters/)
    oneSentence(long.body["message"])
    const acked = await send("POST", `/api/staff/alarms/${String(alarm!["id"])}/ack`, { note: "  Ausweis am Schalter geprüft  " }, boss)
    expect(acked.status, JSON.stringify(acked.body)).toBe(200)
    expect(acked.body).toMatchObject({ acknowledgedNote: "Ausweis am Schalter geprüft" })
    const released = await send("POST", `/api/staff/orders/${id}/release`, { note: "Person mit Ausweis erkannt" }, boss)
    expect(released.body["status"]).toBe("loaded")
    const logged = await events(boss)
    expect(logged.filter((e) => e._tag === "AlarmAcknowledged").at(-1)).toMatchObject({ note: "Ausweis am Schalter geprüft" })
    expect(logged.filter((e) => e._tag === "OrderReleased").at(-1)).toMatchObject({ orderId: id, note: "Person mit Ausweis erkannt" })
    // no body at all is no note: the request reaches the order (released already, so 409), not a decode error
    const again = await send("POST", `/api/staff/orders/${id}/release`, undefined, boss)
    expect(again.status, JSON.stringify(again.body)).toBe(409)
    expect(again.body["message"]).toContain("is not locked")
  })
})

describe("phone numbers as staff type them", () => {
  it.each([
    ["0151 23456789", "+4915123456789"],
    ["0049 (0)160 98765432", "+4916098765432"],
    ["+49 171 1234567", "+491711234567"]
  ])("%s is announced as %s", async (typed, e164) => {
    const r = await send("POST", "/api/staff/orders", { documentKind: "id-card", phone: typed, requiresOldDocument: true }, boss)
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body["phone"]).toBe(e164)
  })

  it.each([
    ["0151 2345678", "not a valid phone number"],
    ["02651 12345", "landline"],
    ["call me", "is not a phone number"]
  ])("%s is refused with one sentence at the phone field, and no order is made", async (typed, says) => {
    const before = ((await send("GET", "/api/staff/orders", undefined, boss)).body as unknown as Array<unknown>).length
    const r = await send("POST", "/api/staff/orders", { documentKind: "id-card", phone: typed, requiresOldDocument: true }, boss)
    expect(r.status).toBe(400)
    expect(r.body["message"]).toMatch(new RegExp(`^phone: .*${says}`))
    oneSentence(r.body["message"])
    expect(((await send("GET", "/api/staff/orders", undefined, boss)).body as unknown as Array<unknown>).length).toBe(before)
  })

  it("any request that does not fit its endpoint is one sentence, not the schema", async () => {
    for (
      const [path, body] of [
        ["/api/staff/orders", { documentKind: "id-card", phone: "0151 23456789", requiresOldDocument: "yes" }],
        ["/api/staff/orders", { documentKind: "ID CARD", phone: "0151 23456789", requiresOldDocument: true }],
        ["/api/staff/orders", { documentKind: "id-card", phone: "0151 23456789", requiresOldDocument: true, colour: "red" }]
      ] as const
    ) {
      const r = await send("POST", path, body, boss)
      expect(r.status).toBe(400)
      oneSentence(r.body["message"])
    }
  })
})
