/**
 * The county's HTTP server: the API (./api.ts) with its OpenAPI document and
 * Swagger UI, the fleet back office's screens at /fleet (./ui.ts); request bodies up to MAX_BODY (a full push of large events);
 * every error answer a JSON body that says what was wrong.
 */
import { FileSystem, HttpApiBuilder, HttpApiError, HttpApiSwagger, type HttpApp, HttpIncomingMessage, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Effect, Layer, Option } from "effect"
import { createServer } from "node:http"
import { sentenceOfIssues } from "../../core/domain/errors.ts"
import { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { CountyStaff } from "../CountyStaff.ts"
import { Fleet } from "../Fleet.ts"
import { OrderDesk } from "../OrderDesk.ts"
import { CountyAlarmsRepo } from "../persistence/CountyAlarmsRepo.ts"
import { CountyStaffRepo } from "../persistence/CountyStaffRepo.ts"
import { ReplicaRepo } from "../persistence/ReplicaRepo.ts"
import { TerminalsRepo } from "../persistence/TerminalsRepo.ts"
import { Registry } from "../Registry.ts"
import { Replication } from "../replication/Replication.ts"
import { CountyApi } from "./api.ts"
import { CountyHandlers } from "./handlers.ts"
import { fleetUiRoutes } from "./ui.ts"

/** The largest request body the county takes, in bytes (500 rows of up to 64 KiB are 32 MiB; real events are far smaller). */
export const MAX_BODY = 8 * 1024 * 1024

const tagOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && typeof (e as { _tag?: unknown })._tag === "string" ? (e as { _tag: string })._tag : undefined

const decodeError = HttpServerResponse.schemaJson(HttpApiError.HttpApiDecodeError)

const explainRouterErrors = (app: HttpApp.Default): HttpApp.Default =>
  Effect.catchAllCause(app, (cause) => {
    const failure = Cause.squash(cause)
    if (failure instanceof HttpApiError.HttpApiDecodeError) {
      // a request that does not fit its endpoint: the first thing wrong, as one sentence (not the schema)
      const message = sentenceOfIssues(failure.issues)
      return Effect.orDie(decodeError(new HttpApiError.HttpApiDecodeError({ issues: failure.issues, message }), { status: 400 }))
    }
    const tag = tagOf(failure)
    if (tag === "RouteNotFound") return HttpServerResponse.json({ _tag: "NotFound", message: "no such endpoint; see /docs" }, { status: 404 })
    if (tag === "RequestError") {
      const why = String((failure as { cause?: unknown }).cause ?? "")
      return why.includes("maxBytes")
        ? HttpServerResponse.json({ _tag: "PayloadTooLarge", message: `the request body is larger than ${MAX_BODY} bytes` }, { status: 413 })
        : HttpServerResponse.json({ _tag: "BadRequest", message: "the request body could not be read: it must be valid JSON" }, { status: 400 })
    }
    return Effect.failCause(cause)
  }) as HttpApp.Default

const middleware = HttpApiBuilder.middleware((app) =>
  explainRouterErrors(Effect.provideService(app, HttpIncomingMessage.MaxBodySize, Option.some(FileSystem.Size(MAX_BODY))) as HttpApp.Default)
)

/** The county's services over its database (a SqlClient with the county schema: ../persistence/database.ts). */
export const countyServices = Layer.mergeAll(Replication.Default, Registry.Default, CountyStaff.Default, Fleet.Default, OrderDesk.Default).pipe(
  Layer.provideMerge(Layer.mergeAll(TerminalsRepo.Default, CountyAlarmsRepo.Default, ReplicaRepo.Default, CountyStaffRepo.Default)),
  Layer.provide(SecureRandom.layerCrypto)
)

/** The HTTP app as a layer, independent of the server it runs on (tests; `county serve`). */
export const countyAppLayer = Layer.mergeAll(
  HttpApiSwagger.layer({ path: "/docs" }),
  HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" }),
  middleware,
  fleetUiRoutes
)
  .pipe(
    Layer.provideMerge(HttpApiBuilder.api(CountyApi).pipe(Layer.provide(CountyHandlers))),
    Layer.provideMerge(countyServices)
  )

/**
 * The app is built before the server listens: Node answers nothing to a request that arrives
 * before the handler is attached, so a terminal's first push after a restart would hang.
 */
export const countyServerLayer = (options: { readonly port: number; readonly host: string }) =>
  HttpApiBuilder.serve().pipe(
    HttpServer.withLogAddress,
    Layer.provide(NodeHttpServer.layer(createServer, { port: options.port, host: options.host })),
    Layer.provide(countyAppLayer)
  )
