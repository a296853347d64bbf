/**
 * The county server's HTTP API contract. `replication`: what terminals call,
 * authenticated by their credential as a bearer token. `staffSession` and
 * `fleet`: what county staff call, with the bearer token of a sign-in; a clerk
 * sees only their site's terminals and alarms. `system`: health.
 * Served with an OpenAPI document at /openapi.json and Swagger UI at /docs.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { Conflict, InvalidInput, NotFound, RateLimited, Unauthorized } from "../../core/domain/errors.ts"
import { Answers, Inbox } from "../../core/protocols/countyOrders.ts"
import { CountyHead, GridCompartment, PushRequest, PushResult, ReplicationRefused } from "../../core/protocols/replication.ts"
import type { CountyMember } from "../CountyStaff.ts"
import { AnnounceAtCounty, CountyOrderView } from "../OrderDesk.ts"
import { CountyRole } from "../persistence/CountyStaffRepo.ts"
import type { Registered } from "../Registry.ts"

/** The database or another internal part failed: not the caller's fault, try again. */
export class CountyUnavailable extends Schema.TaggedError<CountyUnavailable>()("CountyUnavailable", {
  message: Schema.String
}, HttpApiSchema.annotations({ status: 503 })) {}

/** A missing or unknown credential or session token: 401 (also when a middleware says so). */
const Unauthenticated = Unauthorized.annotations(HttpApiSchema.annotations({ status: 401 }))

export class CurrentTerminal extends Context.Tag("amtomat/county/CurrentTerminal")<CurrentTerminal, Registered>() {}

export class TerminalAuthentication extends HttpApiMiddleware.Tag<TerminalAuthentication>()("amtomat/county/TerminalAuthentication", {
  failure: Schema.Union(Unauthenticated, CountyUnavailable),
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
  .add(
    HttpApiEndpoint.get("inbox", "/orders").addSuccess(Inbox)
      .annotate(
        OpenApi.Description,
        "The orders the citizens' office announced for the calling terminal and it has not taken yet (phone numbers included: only this terminal gets them), and the cancellations of orders it took."
      )
  )
  .add(
    HttpApiEndpoint.post("answer", "/orders/answers").setPayload(Answers).addSuccess(Schema.Struct({ changed: Schema.Int }))
      .annotate(
        OpenApi.Description,
        "What the terminal did with its inbox: orders taken (under its own id), refused (with a sentence), cancellations settled. Only the terminal's own orders change; a repeated answer changes nothing."
      )
  )
  .addError(CountyUnavailable)
  .middleware(TerminalAuthentication)
  .prefix("/api/v1/replication")
  .annotate(OpenApi.Title, "Replication")
{}

export class CurrentCountyStaff extends Context.Tag("amtomat/county/CurrentCountyStaff")<CurrentCountyStaff, CountyMember>() {}

export class CountyStaffAuthentication extends HttpApiMiddleware.Tag<CountyStaffAuthentication>()("amtomat/county/CountyStaffAuthentication", {
  failure: Schema.Union(Unauthenticated, CountyUnavailable),
  provides: CurrentCountyStaff,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

export const CountyMemberInfo = Schema.Struct({
  id: Schema.String,
  username: Schema.String,
  displayName: Schema.String,
  role: CountyRole,
  site: Schema.NullOr(Schema.String)
})

const LoginBody = Schema.Struct({
  username: Schema.String.pipe(Schema.maxLength(64)),
  password: Schema.String.pipe(Schema.maxLength(256))
})

export class CountyStaffSessionApi extends HttpApiGroup.make("staffSession")
  .add(
    HttpApiEndpoint.post("login", "/login").setPayload(LoginBody)
      .addSuccess(Schema.Struct({ token: Schema.String, expiresAt: Schema.Number, staff: CountyMemberInfo }))
  )
  .add(HttpApiEndpoint.post("logout", "/logout").addSuccess(Schema.Void).middleware(CountyStaffAuthentication))
  .add(HttpApiEndpoint.get("me", "/me").addSuccess(CountyMemberInfo).middleware(CountyStaffAuthentication))
  .addError(Unauthorized, { status: 401 })
  .addError(RateLimited, { status: 429 })
  .addError(CountyUnavailable)
  .prefix("/api/v1/staff")
  .annotate(OpenApi.Title, "County staff sign-in")
{}

export const FleetTerminal = Schema.Struct({
  terminal: Schema.String,
  site: Schema.String,
  lastContact: Schema.NullOr(Schema.String),
  headSeq: Schema.Int,
  reportedSeq: Schema.Int,
  lag: Schema.Int,
  lastRefusal: Schema.NullOr(Schema.String),
  openAlarms: Schema.Int,
  devices: Schema.Array(Schema.Struct({ device: Schema.String, online: Schema.Boolean, detail: Schema.String, since: Schema.String })),
  compartments: Schema.Array(GridCompartment),
  compartmentsAt: Schema.NullOr(Schema.String)
})

export const FleetAlarm = Schema.Struct({
  id: Schema.String,
  terminal: Schema.String,
  site: Schema.String,
  kind: Schema.String,
  message: Schema.String,
  raisedAt: Schema.String,
  acknowledgedAt: Schema.NullOr(Schema.String),
  acknowledgedBy: Schema.NullOr(Schema.String)
})

export class FleetApi extends HttpApiGroup.make("fleet")
  .add(HttpApiEndpoint.get("terminals", "/terminals").addSuccess(Schema.Array(FleetTerminal)))
  .add(HttpApiEndpoint.get("alarms", "/alarms").addSuccess(Schema.Array(FleetAlarm)))
  .add(
    HttpApiEndpoint.get("report", "/report").addSuccess(Schema.Unknown)
      .annotate(
        OpenApi.Description,
        "The study's report (format amtomat-report/1, as the terminal's /dashboard/data.json) over the replicated events of the sites the caller may see."
      )
  )
  .add(
    HttpApiEndpoint.get("dashboard", "/dashboard")
      .addSuccess(Schema.Struct({ title: Schema.String, subtitle: Schema.String, body: Schema.String, specs: Schema.Array(Schema.Unknown) }))
      .annotate(OpenApi.Description, "The same report rendered as the dashboard draws it: HTML sections and chart.js specs (the analytics' own).")
  )
  .add(
    HttpApiEndpoint.post("acknowledge", "/alarms/:id/acknowledge")
      .setPath(Schema.Struct({ id: Schema.String.pipe(Schema.maxLength(100)) }))
      .addSuccess(FleetAlarm)
      .annotate(OpenApi.Description, "Acknowledges an open alarm of a terminal the caller may see; another site's alarm is not found.")
  )
  .middleware(CountyStaffAuthentication)
  .addError(Unauthorized, { status: 401 })
  .addError(NotFound, { status: 404 })
  .addError(Conflict, { status: 409 })
  .addError(CountyUnavailable)
  .prefix("/api/v1/fleet")
  .annotate(OpenApi.Title, "Fleet")
{}

const OrderPath = Schema.Struct({ id: Schema.String.pipe(Schema.maxLength(100)) })

export class OrdersApi extends HttpApiGroup.make("orders")
  .add(HttpApiEndpoint.get("list", "/").addSuccess(Schema.Array(CountyOrderView)))
  .add(
    HttpApiEndpoint.post("announce", "/").setPayload(AnnounceAtCounty).addSuccess(CountyOrderView, { status: 201 })
      .annotate(
        OpenApi.Description,
        "Announces an order for a terminal ({\"to\": {\"terminal\": \"T1\"}}), queued until the terminal takes it, or for a site's counter ({\"to\": {\"counter\": \"Andernach\"}})."
      )
  )
  .add(
    HttpApiEndpoint.post("cancel", "/:id/cancel").setPath(OrderPath).addSuccess(CountyOrderView)
      .annotate(
        OpenApi.Description,
        "Cancels an order: a queued one at once; one a terminal took through the terminal (cancelling, then cancelled, recalled or too late)."
      )
  )
  .add(HttpApiEndpoint.post("handOver", "/:id/handover").setPath(OrderPath).addSuccess(CountyOrderView))
  .middleware(CountyStaffAuthentication)
  .addError(Unauthorized, { status: 401 })
  .addError(InvalidInput, { status: 400 })
  .addError(NotFound, { status: 404 })
  .addError(Conflict, { status: 409 })
  .addError(CountyUnavailable)
  .prefix("/api/v1/orders")
  .annotate(OpenApi.Title, "Orders from the citizens' office")
{}

export class CountyApi
  extends HttpApi.make("amtomat-county").add(CountySystemApi).add(ReplicationApi).add(CountyStaffSessionApi).add(FleetApi).add(OrdersApi).annotate(
    OpenApi.Title,
    "amtomat county server"
  )
{}
