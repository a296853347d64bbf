/**
 * The HTTP server: the API, its OpenAPI document and Swagger UI, a start page,
 * and the guards in ./guards.ts: request bodies only as JSON, at most 1 MiB and
 * 32 levels deep; security headers on every response.
 */
import {
  FileSystem,
  type HttpApi,
  HttpApiBuilder,
  HttpApiError,
  HttpApiSwagger,
  type HttpApp,
  HttpIncomingMessage,
  HttpMiddleware,
  HttpServer,
  HttpServerResponse
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Effect, Layer, Option, Predicate } from "effect"
import { createServer } from "node:http"
import { sentenceOfIssues } from "../../core/domain/errors.ts"
import { staffAccess, type TerminalAccess, terminalAccess } from "./access.ts"
import { AmtomatApi, AmtomatTwinApi } from "./api.ts"
import { dashboardRoutes } from "./dashboard.ts"
import { guardBody, MAX_BODY, withSecurityHeaders } from "./guards.ts"
import { KioskHandlers } from "./handlers/kiosk.ts"
import { StaffAuthenticationLive, StaffHandlers, StaffSessionHandlers } from "./handlers/staff.ts"
import { SystemHandlers } from "./handlers/system.ts"
import { TwinHandlers } from "./handlers/twin.ts"
import { metricsRoute } from "./metrics.ts"
import { staffStreamRoute, twinStreamRoute } from "./streams.ts"
import { uiRoutes } from "./ui.ts"

const startPage = (twin: boolean) =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>amtomat</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:18px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#111}a{color:#0645ad}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>amtomat terminal</h1>
<p>The terminal is running${twin ? " with twin devices" : ""}.</p>
<ul>
<li><a href="/docs">API documentation (Swagger UI)</a></li>
<li><a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/health">Health</a></li>
</ul>
<p>Walk through a pickup with <code>curl</code>: see the README.</p>
<p>The screens (citizen kiosk here, back office at /staff, twin panel at /twin) are not built yet: run <code>npm run build:ui</code>.</p>
</body></html>`

const groups = Layer.mergeAll(SystemHandlers, KioskHandlers, StaffSessionHandlers, StaffHandlers).pipe(
  Layer.provide(StaffAuthenticationLive)
)

/** The API with the twin controls' group, whose handlers take the twins' control handles. */
const twinApi = HttpApiBuilder.api(AmtomatTwinApi).pipe(Layer.provide(TwinHandlers), Layer.provide(groups))
/** The API without it: nothing here asks for a twin. */
const deviceApi = HttpApiBuilder.api(AmtomatApi).pipe(Layer.provide(groups))

const decodeError = HttpServerResponse.schemaJson(HttpApiError.HttpApiDecodeError)

const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string" ? (e as { _tag: string })._tag : undefined

/**
 * Every error answer has a JSON body that says what was wrong: a body that is
 * not JSON or too large, and an unknown route, included.
 */
const explainRouterErrors = (app: HttpApp.Default): HttpApp.Default =>
  Effect.catchAllCause(app, (cause) => {
    const failure = Cause.squash(cause)
    if (failure instanceof HttpApiError.HttpApiDecodeError) {
      // a request that does not fit its endpoint: the first thing wrong, as one sentence (not the schema tree)
      const message = sentenceOfIssues(failure.issues)
      return Effect.orDie(decodeError(new HttpApiError.HttpApiDecodeError({ issues: failure.issues, message }), { status: 400 }))
    }
    const tag = tagOf(failure)
    if (tag === "RouteNotFound") {
      return HttpServerResponse.json({ _tag: "NotFound", message: "no such endpoint; see /docs" }, { status: 404 })
    }
    if (tag === "RequestError") {
      const why = String((Predicate.hasProperty(failure, "cause") ? failure.cause : undefined) ?? "")
      return why.includes("maxBytes")
        ? HttpServerResponse.json({ _tag: "PayloadTooLarge", message: `the request body is larger than ${MAX_BODY} bytes` }, { status: 413 })
        : HttpServerResponse.json({ _tag: "BadRequest", message: "the request body could not be read: it must be valid JSON" }, { status: 400 })
    }
    return Effect.failCause(cause)
  }) as HttpApp.Default

const limitBody = (app: HttpApp.Default): HttpApp.Default => Effect.provideService(app, HttpIncomingMessage.MaxBodySize, Option.some(FileSystem.Size(MAX_BODY)))

/** Applied to the API's router (every route), before errors become responses. */
const apiMiddleware = HttpApiBuilder.middleware((app) => withSecurityHeaders(explainRouterErrors(guardBody(limitBody(app)))))

/** The HTTP app over one API and its screens (kiosk at /, back office at /staff, twin panel at /twin) and their live feeds. */
const appLayer = <E1, R1, E2, R2>(api: Layer.Layer<HttpApi.Api, E1, R1>, screens: Layer.Layer<never, E2, R2>) =>
  Layer.mergeAll(
    HttpApiSwagger.layer({ path: "/docs" }),
    HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" }),
    apiMiddleware,
    screens,
    dashboardRoutes,
    metricsRoute
  ).pipe(Layer.provideMerge(api))

/** The HTTP app with the twin panel (its API group, screen and live feed): for twin devices. */
export const twinAppLayer = appLayer(twinApi, Layer.mergeAll(uiRoutes(true, startPage(true)), staffStreamRoute, twinStreamRoute))

/** The HTTP app for real devices: no twin panel, so its type asks for no twin control handle. */
export const deviceAppLayer = appLayer(deviceApi, Layer.merge(uiRoutes(false, startPage(false)), staffStreamRoute))

/** The HTTP app as a layer, independent of the server it runs on (tests; a program names the one it runs). */
export const httpAppLayer = (twin: boolean) => (twin ? twinAppLayer : deviceAppLayer)

export interface ServerOptions {
  readonly port: number
  /** The terminal listener's address; loopback unless the operator names another. */
  readonly host?: string
  readonly access: TerminalAccess
  /** A second listener that serves only the staff back office (see ./access.ts). */
  readonly staff?: { readonly host: string; readonly port: number } | undefined
  readonly logRequests?: boolean
}

/** One listener over the shared app, with its own access rule. */
const listener = (port: number, host: string, access: (app: HttpApp.Default) => HttpApp.Default, logRequests: boolean) =>
  HttpApiBuilder.serve((app) => access(logRequests ? HttpMiddleware.logger(app) : app)).pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(createServer, { port, host }))
  )

/** The app (twinAppLayer or deviceAppLayer) on the terminal listener, and on the staff listener if there is one. */
export const serverLayer = <A, E, R>(app: Layer.Layer<A, E, R>, options: ServerOptions) =>
  Layer.mergeAll(
    listener(options.port, options.host ?? "127.0.0.1", terminalAccess(options.access), options.logRequests ?? false),
    options.staff === undefined ? Layer.empty : listener(options.staff.port, options.staff.host, staffAccess, options.logRequests ?? false)
  ).pipe(Layer.provide(app))
