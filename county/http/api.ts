/**
 * The county server's HTTP API contract. `replication`: what terminals call,
 * authenticated by their credential as a bearer token. `system`: health.
 * Served with an OpenAPI document at /openapi.json and Swagger UI at /docs.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { Unauthorized } from "../../core/domain/errors.ts"
import { CountyHead, PushRequest, PushResult, ReplicationRefused } from "../../core/protocols/replication.ts"
import type { Registered } from "../Registry.ts"

/** The database or another internal part failed: not the caller's fault, try again. */
export class CountyUnavailable extends Schema.TaggedError<CountyUnavailable>()("CountyUnavailable", {
  message: Schema.String
}, HttpApiSchema.annotations({ status: 503 })) {}

export class CurrentTerminal extends Context.Tag("amtomat/county/CurrentTerminal")<CurrentTerminal, Registered>() {}

export class TerminalAuthentication extends HttpApiMiddleware.Tag<TerminalAuthentication>()("amtomat/county/TerminalAuthentication", {
  failure: Schema.Union(Unauthorized, CountyUnavailable),
  provides: CurrentTerminal,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

export const CountyHealth = Schema.Struct({
  status: Schema.Literal("ok"),
  terminals: Schema.Int,
  openAlarms: Schema.Int
})

export class CountySystemApi extends HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(CountyHealth).addError(CountyUnavailable))
  .annotate(OpenApi.Title, "System")
{}

export class ReplicationApi extends HttpApiGroup.make("replication")
  .add(
    HttpApiEndpoint.get("head", "/head").addSuccess(CountyHead)
      .annotate(OpenApi.Description, "What the county holds of the calling terminal: its chain head and how many rows.")
  )
  .add(
    HttpApiEndpoint.post("push", "/events").setPayload(PushRequest).addSuccess(PushResult)
      .addError(ReplicationRefused, { status: 409 })
      .annotate(
        OpenApi.Description,
        "Consecutive rows of the calling terminal's event log after the county's head (at most 500), and the terminal's own head. Idempotent by (terminal, seq); a gap, a fork, a broken chain or a cut log is refused with 409, changes nothing and raises a county alarm."
      )
  )
  .addError(CountyUnavailable)
  .middleware(TerminalAuthentication)
  .prefix("/api/v1/replication")
  .annotate(OpenApi.Title, "Replication")
{}

export class CountyApi extends HttpApi.make("amtomat-county").add(CountySystemApi).add(ReplicationApi).annotate(OpenApi.Title, "amtomat county server") {}
