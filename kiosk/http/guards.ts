/**
 * What stands in front of every handler: request bodies are bounded (size,
 * JSON nesting depth, media type) before anything decodes them, and every
 * response carries the security headers a browser needs (nosniff everywhere;
 * on HTML a Content-Security-Policy, no referrer, no framing).
 */
import { HttpApp, HttpMethod, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeStream } from "@effect/platform-node"
import { Chunk, Effect, Option, Stream } from "effect"
import { createHash } from "node:crypto"
import { IncomingMessage } from "node:http"

/** The largest request body taken, in bytes. */
export const MAX_BODY = 1024 * 1024

/** The deepest nesting of arrays and objects a JSON body may have. */
export const MAX_DEPTH = 32

const tooLarge = () =>
  HttpServerResponse.unsafeJson(
    { _tag: "PayloadTooLarge", message: `the request body is larger than ${MAX_BODY} bytes` },
    { status: 413, headers: { connection: "close" } }
  )

const unsupported = () =>
  HttpServerResponse.unsafeJson(
    { _tag: "UnsupportedMediaType", message: "the request body must be sent as Content-Type: application/json" },
    { status: 415 }
  )

const badRequest = (message: string) => HttpServerResponse.unsafeJson({ _tag: "BadRequest", message }, { status: 400 })

const mediaType = (header: string) => header.split(";")[0]!.trim().toLowerCase()

/** True when arrays and objects nest deeper than `max`; a scan, never a recursive parse. */
export const nestedDeeperThan = (text: string, max: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // backslash: skip the escaped character
      else if (c === 34) inString = false
    } else if (c === 34) {
      inString = true
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true
    } else if (c === 93 || c === 125) {
      depth--
    }
  }
  return false
}

/**
 * The body, read up to MAX_BODY bytes; None when it is longer. A Node request
 * is read without destroying its socket, so the 413 still reaches the client.
 */
const readLimited = (request: HttpServerRequest.HttpServerRequest) => {
  const source = request.source
  const onError = (cause: unknown) => new HttpServerError.RequestError({ request, reason: "Decode", cause })
  const stream: Stream.Stream<Uint8Array, HttpServerError.RequestError> = source instanceof IncomingMessage
    ? NodeStream.fromReadable<HttpServerError.RequestError, Uint8Array>(() => source, onError, { closeOnDone: false })
    : request.stream.pipe(Stream.catchAll(() => Stream.empty))
  return stream.pipe(
    Stream.scan({ size: 0, chunks: Chunk.empty<Uint8Array>() }, (acc, chunk) => ({
      size: acc.size + chunk.length,
      chunks: acc.size + chunk.length > MAX_BODY ? acc.chunks : Chunk.append(acc.chunks, chunk)
    })),
    Stream.takeUntil((acc) => acc.size > MAX_BODY),
    Stream.runLast,
    Effect.map(Option.match({
      onNone: () => Option.some(""),
      onSome: (acc) => acc.size > MAX_BODY ? Option.none() : Option.some(Buffer.concat(Chunk.toReadonlyArray(acc.chunks)).toString("utf8"))
    }))
  )
}

/** The same request, with its body already read: the handlers decode `text`, never the socket again. */
const withBody = (request: HttpServerRequest.HttpServerRequest, text: string, json: unknown): HttpServerRequest.HttpServerRequest => {
  const replaced = Object.create(request) as HttpServerRequest.HttpServerRequest
  const bytes = new TextEncoder().encode(text)
  Object.defineProperties(replaced, {
    text: { get: () => Effect.succeed(text) },
    json: { get: () => Effect.succeed(json) },
    arrayBuffer: { get: () => Effect.succeed(bytes.buffer) },
    stream: { get: () => Stream.succeed(bytes) },
    modify: { value: (options: Parameters<HttpServerRequest.HttpServerRequest["modify"]>[0]) => withBody(request.modify(options), text, json) }
  })
  return replaced
}

/**
 * Bodies only as JSON: a declared length over MAX_BODY is refused before
 * reading, a longer stream as soon as it passes MAX_BODY (413); any other
 * media type, multipart and forms included, is refused unread (415); JSON
 * nested deeper than MAX_DEPTH or not JSON at all is refused unparsed (400).
 */
export const guardBody = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    if (!HttpMethod.hasBody(request.method)) return app
    const length = request.headers["content-length"]
    if (length !== undefined && !(Number(length) <= MAX_BODY)) return Effect.succeed(tooLarge())
    const type = request.headers["content-type"]
    if (type !== undefined && mediaType(type) !== "application/json") return Effect.succeed(unsupported())
    return Effect.flatMap(Effect.either(readLimited(request)), (read) => {
      if (read._tag === "Left") return Effect.succeed(badRequest("the request body could not be read"))
      const body = read.right
      if (Option.isNone(body)) return Effect.succeed(tooLarge())
      const text = body.value
      if (type === undefined && text.trim() !== "") return Effect.succeed(unsupported())
      if (nestedDeeperThan(text, MAX_DEPTH)) {
        return Effect.succeed(badRequest(`the JSON body is nested deeper than ${MAX_DEPTH} levels`))
      }
      let json: unknown = null
      if (text.trim() !== "") {
        try {
          json = JSON.parse(text)
        } catch {
          return Effect.succeed(badRequest("the request body could not be read: it must be valid JSON"))
        }
      }
      return Effect.provideService(app, HttpServerRequest.HttpServerRequest, withBody(request, text, json))
    })
  })

const hashes = new WeakMap<Uint8Array, string>()

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`

/** The inline blocks a page runs (scripts, not JSON data blocks) and its inline styles. */
export const inlineBlocks = (html: string) => {
  const scripts: Array<string> = []
  const styles: Array<string> = []
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    const attributes = m[1] ?? ""
    if (/\ssrc\s*=/i.test(attributes)) continue
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase()
    if (type !== undefined && type !== "module" && type !== "text/javascript" && type !== "application/javascript") continue
    scripts.push(m[2]!)
  }
  for (const m of html.matchAll(/<style(\s[^>]*)?>([\s\S]*?)<\/style>/gi)) styles.push(m[2]!)
  return { scripts, styles }
}

/** A policy for a page rendered here: only its own inline blocks (by hash) and this server. */
export const pagePolicy = (html: string) => {
  const { scripts, styles } = inlineBlocks(html)
  const list = (blocks: ReadonlyArray<string>) => blocks.length === 0 ? "'none'" : [...new Set(blocks.map(sha256))].join(" ")
  return [
    "default-src 'none'",
    `script-src ${list(scripts)}`,
    `style-src ${styles.length === 0 ? "'self'" : `'self' ${list(styles)}`}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join("; ")
}

const policyOf = (body: HttpServerResponse.HttpServerResponse["body"]) => {
  if (body._tag !== "Uint8Array") return pagePolicy("")
  const known = hashes.get(body.body)
  if (known !== undefined) return known
  const policy = pagePolicy(new TextDecoder().decode(body.body))
  hashes.set(body.body, policy)
  return policy
}

/** nosniff and no referrer on every response; an HTML page without a policy of its own gets one, and no framing. */
export const securityHeaders = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  let out = HttpServerResponse.setHeaders(response, { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" })
  const type = response.headers["content-type"] ?? (response.body._tag === "Empty" ? undefined : response.body.contentType)
  if (type === undefined || !type.toLowerCase().startsWith("text/html")) return out
  const own = response.headers["content-security-policy"]
  const policy = own ?? policyOf(response.body)
  out = HttpServerResponse.setHeader(out, "content-security-policy", policy)
  return HttpServerResponse.setHeader(out, "x-frame-options", /frame-ancestors 'self'/.test(policy) ? "SAMEORIGIN" : "DENY")
}

/** Registers securityHeaders for the response this request ends with, error answers included. */
export const withSecurityHeaders = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.zipRight(HttpApp.appendPreResponseHandler((_request, response) => Effect.succeed(securityHeaders(response))), app)
