/**
 * Malformed and hostile bodies never reach a decoder: JSON nested too deep
 * (400), bodies over the limit by length or by stream (413), anything but
 * JSON, multipart and forms included (415), each with a JSON sentence and
 * nothing changed; and every response carries the security headers.
 */
import * as fc from "fast-check"
import { createHash } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { inlineBlocks, MAX_BODY, MAX_DEPTH } from "../../kiosk/http/guards.ts"
import { STAFF, webHandler } from "../support/webHandler.ts"

let app: ReturnType<typeof webHandler>
let token = ""
const base = "http://terminal.test"

const send = (method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) =>
  app.handler(new Request(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body, duplex: "half" }) } as RequestInit))

const jsonHeaders = { "content-type": "application/json" }

/** Every event in the log, sign-ins included. */
const allEvents = async () => {
  const r = await send("GET", "/api/staff/events?limit=10000", undefined, { authorization: `Bearer ${token}` })
  return ((await r.json()) as Array<unknown>).length
}

/** What a request could change: counted before and after. */
const state = async () => {
  const r = await send("GET", "/api/staff/events?limit=10000", undefined, { authorization: `Bearer ${token}` })
  const events = (await r.json()) as Array<{ event: { _tag: string } }>
  return events.filter((e) => e.event._tag !== "StaffSignInFailed" && e.event._tag !== "StaffSignedIn").length
}

/** A JSON answer with a sentence in `message`. */
const explained = async (response: Response, status: number) => {
  const text = await response.text()
  expect(response.status, text.slice(0, 200)).toBe(status)
  expect(response.headers.get("content-type")).toContain("application/json")
  const body = JSON.parse(text) as { _tag: string; message: string }
  expect(body.message.length).toBeGreaterThan(10)
  return body
}

const deep = (n: number) => "[".repeat(n) + "]".repeat(n)
const deepObject = (n: number) => "{\"a\":".repeat(n) + "1" + "}".repeat(n)

beforeAll(async () => {
  app = webHandler({ config: { cardReadSeconds: 5 } })
  const login = await send("POST", "/api/staff/login", JSON.stringify(STAFF), jsonHeaders)
  expect(login.status).toBe(200)
  token = ((await login.json()) as { token: string }).token
}, 60_000)
afterAll(async () => {
  await app?.dispose()
})

describe("deeply nested JSON", () => {
  it("3,000 levels deep is refused with 400 and a sentence, never parsed", async () => {
    for (const body of [deep(3000), deepObject(3000), `{"sessionId":${deep(3000)}}`]) {
      const r = await send("POST", "/api/kiosk/pickup/identify", body, jsonHeaders)
      expect((await explained(r, 400)).message).toContain(`${MAX_DEPTH}`)
    }
  })

  it("the limit is exact: 32 levels reach the schema, 33 do not", async () => {
    const ok = await send("POST", "/api/kiosk/pickup/identify", `{"sessionId":${deep(MAX_DEPTH - 1)}}`, jsonHeaders)
    expect(ok.status).toBe(400)
    expect((await ok.json() as { message?: string }).message ?? "").not.toContain("nested deeper")
    const over = await send("POST", "/api/kiosk/pickup/identify", `{"sessionId":${deep(MAX_DEPTH)}}`, jsonHeaders)
    expect((await explained(over, 400)).message).toContain("nested deeper")
  })

  it("brackets inside strings do not count", async () => {
    const r = await send("POST", "/api/kiosk/pickup/identify", JSON.stringify({ sessionId: "[{".repeat(500), pickupNumber: "\\\"[" }), jsonHeaders)
    expect(r.status).toBe(400)
    expect(JSON.stringify(await r.json())).not.toContain("nested deeper")
  })

  it("fuzz: any nesting of arrays and objects, any depth, gets a 4xx JSON answer", async () => {
    const before = await state()
    const nesting = fc.array(fc.constantFrom("[", "{\"k\":"), { minLength: 1, maxLength: 4000 })
      .map((opens) => opens.join("") + "0" + opens.map((o) => (o === "[" ? "]" : "}")).reverse().join(""))
    await fc.assert(
      fc.asyncProperty(
        nesting,
        fc.constantFrom("/api/kiosk/pickup/identify", "/api/kiosk/feedback", "/api/staff/login", "/api/twin/card/insert"),
        async (body, path) => {
          const r = await send("POST", path, body, jsonHeaders)
          expect(r.status).toBeGreaterThanOrEqual(400)
          expect(r.status).toBeLessThan(500)
          JSON.parse(await r.text())
        }
      ),
      { numRuns: 200 }
    )
    expect(await state()).toBe(before)
  }, 60_000)
})

describe("oversize bodies", () => {
  it("a Content-Length over the limit is refused with 413 before reading", async () => {
    const r = await send("POST", "/api/kiosk/pickup/identify", "{}", { ...jsonHeaders, "content-length": String(MAX_BODY * 50) })
    expect((await explained(r, 413))._tag).toBe("PayloadTooLarge")
  })

  it("a body over the limit is refused with 413", async () => {
    const r = await send("POST", "/api/kiosk/pickup/identify", JSON.stringify({ sessionId: "x".repeat(MAX_BODY + 10) }), jsonHeaders)
    await explained(r, 413)
  })

  it("a chunked body without a length is cut off at the limit with 413", async () => {
    let sent = 0
    const chunk = new TextEncoder().encode("[" + "0,".repeat(32 * 1024))
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length
        if (sent > MAX_BODY * 8) controller.close()
        else controller.enqueue(chunk)
      }
    })
    const r = await send("POST", "/api/kiosk/pickup/identify", stream, jsonHeaders)
    await explained(r, 413)
    expect(sent).toBeLessThan(MAX_BODY * 4)
  })
})

describe("media types", () => {
  const types = ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]

  it("JSON endpoints refuse other content types with 415 and change nothing", async () => {
    const before = await allEvents()
    // the control: the same sign-in as JSON is taken, and logged
    const ok = await send("POST", "/api/staff/login", JSON.stringify(STAFF), jsonHeaders)
    expect(ok.status).toBe(200)
    const afterOk = await allEvents()
    for (const type of types) {
      for (
        const [path, body] of [
          ["/api/twin/card/insert", "label=probe"],
          ["/api/twin/card/insert", JSON.stringify({ label: "probe" })],
          ["/api/kiosk/pickup/identify", "sessionId=ses_aaaaaaaaaaaa&pickupNumber=12345674"],
          ["/api/staff/login", `username=${STAFF.username}&password=${STAFF.password}`]
        ] as const
      ) {
        const r = await send("POST", path, body, { "content-type": type })
        expect((await explained(r, 415))._tag, `${type} ${path}`).toBe("UnsupportedMediaType")
      }
    }
    expect(afterOk).toBeGreaterThan(before)
    expect(await allEvents()).toBe(afterOk)
  })

  it("a body without a content type is refused with 415", async () => {
    const r = await send("POST", "/api/twin/card/insert", new Blob([JSON.stringify({ label: "probe" })]))
    expect(r.headers.get("content-type") ?? "").toContain("json")
    await explained(r, 415)
  })

  it("a form post as a browser sends it cross-site is refused", async () => {
    const form = new FormData()
    form.set("username", STAFF.username)
    form.set("password", STAFF.password)
    await explained(await send("POST", "/api/staff/login", form), 415)
    await explained(await send("POST", "/api/staff/login", new URLSearchParams(STAFF)), 415)
  })

  it("multipart garbage gets a 4xx JSON answer", async () => {
    const bodies = ["--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "\u0000".repeat(100), "garbage", "--x--", "--" + "x".repeat(10000)]
    for (const body of bodies) {
      for (const type of ["multipart/form-data; boundary=x", "multipart/form-data", "multipart/mixed; boundary=x"]) {
        const r = await send("POST", "/api/kiosk/feedback", body, { "content-type": type })
        expect(r.status).toBeGreaterThanOrEqual(400)
        expect(r.status).toBeLessThan(500)
        JSON.parse(await r.text())
      }
    }
  })
})

describe("security headers", () => {
  const routes = [
    "/",
    "/staff",
    "/twin",
    "/docs",
    "/dashboard",
    "/dashboard/data.json",
    "/openapi.json",
    "/health",
    "/metrics",
    "/api/kiosk/status",
    "/api/staff/me",
    "/api/nope",
    "/assets/nope.js"
  ]

  it("every route family carries nosniff and no referrer", async () => {
    for (const path of routes) {
      const r = await send("GET", path)
      await r.arrayBuffer()
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff")
      expect(r.headers.get("referrer-policy"), path).toBe("no-referrer")
    }
    for (
      const r of [
        await send("POST", "/api/kiosk/pickup/identify", "{", jsonHeaders),
        await send("POST", "/api/staff/login", "a", { "content-type": "text/plain" })
      ]
    ) {
      await r.arrayBuffer()
      expect(r.headers.get("x-content-type-options")).toBe("nosniff")
    }
  })

  it("every HTML page has a restrictive policy and cannot be framed by others", async () => {
    const pages: Array<string> = []
    for (const path of ["/", "/staff", "/twin", "/docs", "/dashboard"]) {
      const r = await send("GET", path)
      const text = await r.text()
      // /staff and /twin are HTML only with a screens build (test/kiosk/screens.test.ts has one)
      if (!(r.headers.get("content-type") ?? "").includes("text/html")) continue
      pages.push(path)
      const csp = r.headers.get("content-security-policy") ?? ""
      expect(csp, path).toContain("default-src")
      expect(csp, path).not.toContain("unsafe-inline")
      expect(csp, path).not.toContain("unsafe-eval")
      expect(csp, path).toMatch(/frame-ancestors '(none|self)'/)
      expect(r.headers.get("x-frame-options"), path).toMatch(/^(DENY|SAMEORIGIN)$/)
      expect(text.length).toBeGreaterThan(0)
    }
    expect(pages).toEqual(expect.arrayContaining(["/", "/docs", "/dashboard"]))
  })

  it("/docs still renders Swagger UI: its inline bundle and styles are allowed by hash", async () => {
    const r = await send("GET", "/docs")
    const html = await r.text()
    expect(r.status).toBe(200)
    expect(html).toContain("SwaggerUIBundle")
    const csp = r.headers.get("content-security-policy") ?? ""
    const { scripts, styles } = inlineBlocks(html)
    expect(scripts.some((s) => s.includes("SwaggerUIBundle"))).toBe(true)
    expect(styles.length).toBeGreaterThan(0)
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`
    const directive = (name: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? ""
    for (const s of scripts) expect(directive("script-src")).toContain(hash(s))
    for (const s of styles) expect(directive("style-src")).toContain(hash(s))
    expect(directive("connect-src")).toContain("'self'")
  })
})
