/**
 * Who may call what, decided per listener before any route runs.
 *
 * The terminal listener (`--host`, 127.0.0.1 by default) serves everything,
 * but the kiosk API (`/api/kiosk/*`: the citizen's card session, pickups,
 * applications) answers only the kiosk screen: a caller on this machine
 * (loopback), or one that presents the kiosk key (a screen on another
 * machine, opened with `/?key=…`). The twin API and panel (SMS codes, doors)
 * answer only callers on this machine unless `--twin-from-network` is given.
 *
 * The staff listener (`--staff-listen HOST:PORT`) serves only the back
 * office: its page and assets, `/api/staff/*`, the dashboard, `/health` and
 * `/metrics`. Nothing a citizen's session or a twin can do is reachable there.
 *
 * In-process callers (the tests' web handler) have no peer address and
 * never pass through here.
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option, Redacted } from "effect"
import { timingSafeEqual } from "node:crypto"
import { securityHeaders } from "./guards.ts"

export const KIOSK_KEY_HEADER = "x-kiosk-key"

export interface TerminalAccess {
  /** The key a kiosk screen on another machine presents; callers on this machine need none. */
  readonly kioskKey: Redacted.Redacted<string>
  /** Serve the twin API beyond loopback (a twin panel on another machine). */
  readonly twinFromNetwork: boolean
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. No address (an in-process call) is not a network peer. */
export const isLoopback = (address: string): boolean => address === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address)

const local = (request: HttpServerRequest.HttpServerRequest) => Option.match(request.remoteAddress, { onNone: () => true, onSome: isLoopback })

const keyMatches = (presented: string | undefined, key: Redacted.Redacted<string>): boolean => {
  if (presented === undefined) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(Redacted.value(key))
  return a.length === b.length && timingSafeEqual(a, b)
}

// A refusal here never reaches the API's own middleware, so it gets the same headers (guards.ts) itself.
const refuse = (status: number, tag: string, message: string) =>
  Effect.succeed(securityHeaders(HttpServerResponse.unsafeJson({ _tag: tag, message }, { status, headers: { "cache-control": "no-store" } })))

const pathOf = (request: HttpServerRequest.HttpServerRequest) => {
  try {
    return new URL(request.url, "http://terminal").pathname
  } catch {
    return request.url
  }
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`)

/** The terminal listener: kiosk API for the kiosk screen only, twin API for this machine only. */
export const terminalAccess = (access: TerminalAccess) => <E, R>(app: HttpApp.HttpApp<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = pathOf(request)
    if (under(path, "/api/kiosk") && !local(request) && !keyMatches(request.headers[KIOSK_KEY_HEADER], access.kioskKey)) {
      return refuse(403, "Forbidden", "the kiosk API answers only the kiosk screen: open the kiosk page with its key (see the README, \"Who can reach what\")")
    }
    if ((under(path, "/api/twin") || under(path, "/twin")) && !access.twinFromNetwork && !local(request)) {
      return refuse(403, "Forbidden", "the twin controls answer only on this machine (start with --twin-from-network to allow more)")
    }
    return app
  })

const staffPaths = ["/staff", "/assets", "/api/staff", "/dashboard", "/health", "/metrics"]

/** The staff listener: the back office and monitoring, nothing else. */
export const staffAccess = <E, R>(app: HttpApp.HttpApp<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = pathOf(request)
    if (path === "/") {
      return Effect.succeed(securityHeaders(HttpServerResponse.empty({ status: 303, headers: { "cache-control": "no-store", location: "/staff" } })))
    }
    if (!staffPaths.some((p) => under(path, p))) {
      return refuse(404, "NotFound", "this address serves only the staff back office (/staff, /api/staff, /dashboard, /health, /metrics)")
    }
    return app
  })

/** "HOST:PORT" or "[v6]:PORT" of `--staff-listen`, or one sentence saying what is wrong. */
export const parseListen = (text: string): { readonly host: string; readonly port: number } | string => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim())
  if (match === null) return `--staff-listen must be HOST:PORT (e.g. 192.168.10.5:8443 or [::1]:8443), not "${text}"`
  const port = Number(match[3])
  if (port < 1 || port > 65535) return `--staff-listen: the port must be between 1 and 65535, not ${match[3]}`
  return { host: match[1] ?? match[2]!, port }
}
