/**
 * The terminal's HTTP API contract: kiosk (citizen screens), staff (back
 * office, bearer-token sessions) and twin control (only with twin devices).
 * Served with an OpenAPI document at /openapi.json and Swagger UI at /docs.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { Alarm } from "../../core/domain/alarm.ts"
import { Catalogue } from "../../core/domain/catalogue.ts"
import { Compartment } from "../../core/domain/compartment.ts"
import {
  CardNotRead,
  Conflict,
  DeviceUnavailable,
  Forbidden,
  InvalidInput,
  NotFound,
  PickupFailed,
  RateLimited,
  Unauthorized
} from "../../core/domain/errors.ts"
import { LoggedEvent } from "../../core/domain/events.ts"
import { AlarmId, ApplicationId, CompartmentId, OrderId, StaffId } from "../../core/domain/ids.ts"
import { AnnounceOrder, OrderStatus, PickupOrder } from "../../core/domain/order.ts"
import { OutboxEntry } from "../../core/domain/outbox.ts"
import type { StaffMember } from "../../core/domain/staff.ts"
import { Role, StaffAccountView } from "../../core/domain/staff.ts"
import { KioskStatus } from "../../core/workflows/Availability.ts"
import { HealthDegraded, HealthOk } from "./condition.ts"
import {
  ChangeAccountBody,
  Completed,
  CreateAccountBody,
  FeedbackBody,
  Identified,
  IdentifyBody,
  LoginBody,
  NoteBody,
  Opened,
  ReasonBody,
  Received,
  ReturnBody,
  Scanned,
  SessionBody,
  SessionStarted,
  strict,
  SubmitBody,
  Submitted,
  TemporaryPassword,
  Verified,
  VerifyBody
} from "./schemas.ts"
import { TwinApi } from "./twinApi.ts"

/** The database or another internal part failed: not the caller's fault, try again. */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()("ServiceUnavailable", {
  message: Schema.String
}, HttpApiSchema.annotations({ status: 503 })) {}

const OrderPath = Schema.Struct({ id: OrderId })
const CompartmentPath = Schema.Struct({ id: Schema.NumberFromString.pipe(Schema.compose(CompartmentId)) })

export class SystemApi extends HttpApiGroup.make("system")
  .add(
    HttpApiEndpoint.get("health", "/health").addSuccess(HealthOk).addSuccess(HealthDegraded, { status: 503 })
      .annotate(
        OpenApi.Description,
        "The terminal's condition from cached state: each device, the database (writable, free space), the outbox, open alarms. 503 with the same body when degraded."
      )
  )
  .annotate(OpenApi.Title, "System")
{}

export class KioskApi extends HttpApiGroup.make("kiosk")
  .add(HttpApiEndpoint.post("startSession", "/session").addSuccess(SessionStarted).addError(CardNotRead, { status: 422 }))
  .add(HttpApiEndpoint.post("endSession", "/session/end").setPayload(SessionBody))
  .add(
    HttpApiEndpoint.post("keepAlive", "/session/keep-alive").setPayload(SessionBody)
      .annotate(OpenApi.Description, "The citizen is still there (typing a form, asked for more time): keeps the card session from timing out.")
  )
  .add(HttpApiEndpoint.post("identify", "/pickup/identify").setPayload(IdentifyBody).addSuccess(Identified))
  .add(HttpApiEndpoint.post("resendCode", "/pickup/resend").setPayload(SessionBody).addSuccess(Identified))
  .add(HttpApiEndpoint.post("verify", "/pickup/verify").setPayload(VerifyBody).addSuccess(Verified))
  .add(HttpApiEndpoint.post("oldDocument", "/pickup/old-document").setPayload(SessionBody).addSuccess(Received))
  .add(HttpApiEndpoint.post("open", "/pickup/open").setPayload(SessionBody).addSuccess(Opened))
  .add(HttpApiEndpoint.post("complete", "/pickup/complete").setPayload(SessionBody).addSuccess(Completed))
  .add(HttpApiEndpoint.post("cancel", "/pickup/cancel").setPayload(SessionBody))
  .add(HttpApiEndpoint.get("services", "/services").addSuccess(Catalogue))
  .add(HttpApiEndpoint.post("scan", "/applications/scan").setPayload(SessionBody).addSuccess(Scanned))
  .add(HttpApiEndpoint.post("submit", "/applications").setPayload(SubmitBody).addSuccess(Submitted))
  .add(HttpApiEndpoint.post("feedback", "/feedback").setPayload(FeedbackBody))
  .add(HttpApiEndpoint.get("status", "/status").addSuccess(KioskStatus))
  .add(HttpApiEndpoint.post("resume", "/resume").addSuccess(KioskStatus))
  .addError(PickupFailed, { status: 422 })
  .prefix("/api/kiosk")
  .annotate(OpenApi.Title, "Kiosk")
  .annotate(OpenApi.Description, "What the citizen's screen calls: card session, pickup steps, applications, feedback.")
{}

export class CurrentStaff extends Context.Tag("amtomat/CurrentStaff")<CurrentStaff, StaffMember>() {}

export class StaffAuthentication extends HttpApiMiddleware.Tag<StaffAuthentication>()("amtomat/StaffAuthentication", {
  failure: Unauthorized,
  provides: CurrentStaff,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

const StaffInfo = Schema.Struct({ id: Schema.String, username: Schema.String, displayName: Schema.String, role: Role })

export class StaffSessionApi extends HttpApiGroup.make("staffSession")
  .add(
    HttpApiEndpoint.post("login", "/login").setPayload(LoginBody).addSuccess(
      Schema.Struct({ token: Schema.String, expiresAt: Schema.Number, staff: StaffInfo })
    )
  )
  .addError(Unauthorized, { status: 401 })
  .addError(RateLimited, { status: 429 })
  .prefix("/api/staff")
  .annotate(OpenApi.Title, "Staff sign-in")
{}

const EventsQuery = Schema.Struct({
  type: Schema.optional(Schema.String.pipe(Schema.maxLength(500))),
  since: Schema.optional(Schema.String.pipe(Schema.maxLength(40))),
  until: Schema.optional(Schema.String.pipe(Schema.maxLength(40))),
  after: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 10000)))
})

export class StaffApi extends HttpApiGroup.make("staff")
  .add(HttpApiEndpoint.post("logout", "/logout"))
  .add(HttpApiEndpoint.get("me", "/me").addSuccess(StaffInfo))
  .add(
    HttpApiEndpoint.get("orders", "/orders").setUrlParams(Schema.Struct({
      status: Schema.optional(OrderStatus),
      search: Schema.optional(Schema.String.pipe(Schema.maxLength(40)))
    })).addSuccess(Schema.Array(PickupOrder))
  )
  .add(HttpApiEndpoint.post("announce", "/orders").setPayload(strict(AnnounceOrder)).addSuccess(PickupOrder, { status: 201 }))
  .add(HttpApiEndpoint.get("order", "/orders/:id").setPath(OrderPath).addSuccess(PickupOrder))
  .add(HttpApiEndpoint.post("startLoad", "/orders/:id/load").setPath(OrderPath).addSuccess(Compartment))
  .add(HttpApiEndpoint.post("confirmLoad", "/orders/:id/load/confirm").setPath(OrderPath).addSuccess(PickupOrder))
  .add(
    HttpApiEndpoint.post("startReturn", "/orders/:id/return").setPath(OrderPath).setPayload(ReturnBody).addSuccess(Compartment)
      .annotate(
        OpenApi.Description,
        "Opens the compartment to take the document back: any staff for an expired or locked order; for one still ready, only a supervisor with a reason (at least 10 characters), logged as ReturnAuthorised."
      )
  )
  .add(HttpApiEndpoint.post("confirmReturn", "/orders/:id/return/confirm").setPath(OrderPath).addSuccess(PickupOrder))
  .add(
    HttpApiEndpoint.post("release", "/orders/:id/release").setPath(OrderPath).setPayload(NoteBody).addSuccess(PickupOrder)
      .annotate(OpenApi.Description, "A locked order (too many wrong codes) ready again, after staff checked the citizen; the note says how (logged).")
  )
  .add(HttpApiEndpoint.post("counter", "/orders/:id/counter").setPath(OrderPath).addSuccess(PickupOrder))
  .add(HttpApiEndpoint.get("compartments", "/compartments").addSuccess(Schema.Array(Compartment)))
  .add(HttpApiEndpoint.post("outOfService", "/compartments/:id/out-of-service").setPath(CompartmentPath).setPayload(ReasonBody).addSuccess(Compartment))
  .add(HttpApiEndpoint.post("inService", "/compartments/:id/in-service").setPath(CompartmentPath).addSuccess(Compartment))
  .add(HttpApiEndpoint.post("overrideOpen", "/compartments/:id/override-open").setPath(CompartmentPath).setPayload(ReasonBody).addSuccess(Compartment))
  .add(
    HttpApiEndpoint.get("alarms", "/alarms").setUrlParams(Schema.Struct({ open: Schema.optional(Schema.Literal("true", "false")) })).addSuccess(
      Schema.Array(Alarm)
    )
  )
  .add(HttpApiEndpoint.post("acknowledge", "/alarms/:id/ack").setPath(Schema.Struct({ id: AlarmId })).setPayload(NoteBody).addSuccess(Alarm))
  .add(
    HttpApiEndpoint.get("names", "/names").addSuccess(Schema.Array(Schema.Struct({ id: Schema.String, displayName: Schema.String })))
      .annotate(OpenApi.Description, "Every staff account's display name by id, for showing who loaded, released or acknowledged.")
  )
  .add(
    HttpApiEndpoint.get("accounts", "/accounts").addSuccess(Schema.Array(StaffAccountView))
      .annotate(OpenApi.Description, "Supervisors only: every staff account with role, disabled and locked.")
  )
  .add(
    HttpApiEndpoint.post("createAccount", "/accounts").setPayload(CreateAccountBody).addSuccess(TemporaryPassword, { status: 201 })
      .annotate(OpenApi.Description, "Supervisors only: a new account with a temporary password from the CSPRNG, shown this once.")
  )
  .add(
    HttpApiEndpoint.post("changeAccount", "/accounts/:id").setPath(Schema.Struct({ id: StaffId })).setPayload(ChangeAccountBody).addSuccess(
      StaffAccountView
    ).annotate(
      OpenApi.Description,
      "Supervisors only: role, display name, disabled. Not one's own role or account; never the last active supervisor (409). Disabling ends the account's sessions."
    )
  )
  .add(
    HttpApiEndpoint.post("resetPassword", "/accounts/:id/reset-password").setPath(Schema.Struct({ id: StaffId })).addSuccess(TemporaryPassword)
      .annotate(OpenApi.Description, "Supervisors only: a new temporary password (shown this once); the lock is lifted and the account's sessions end.")
  )
  .add(HttpApiEndpoint.get("outbox", "/outbox").addSuccess(Schema.Array(OutboxEntry)))
  .add(HttpApiEndpoint.post("retryDelivery", "/outbox/:id/retry").setPath(Schema.Struct({ id: ApplicationId })).addSuccess(OutboxEntry))
  .add(HttpApiEndpoint.get("events", "/events").setUrlParams(EventsQuery).addSuccess(Schema.Array(LoggedEvent)))
  .add(HttpApiEndpoint.post("runPolicies", "/policies/run").addSuccess(Schema.Struct({ expired: Schema.Int, reminded: Schema.Int, retried: Schema.Int })))
  .addError(Forbidden, { status: 403 })
  .addError(DeviceUnavailable, { status: 503 })
  .middleware(StaffAuthentication)
  .prefix("/api/staff")
  .annotate(OpenApi.Title, "Staff")
  .annotate(OpenApi.Description, "The back office: orders, loading, compartments, alarms, returns, outbox, event log.")
{}

export class AmtomatApi extends HttpApi.make("amtomat")
  .add(SystemApi)
  .add(KioskApi)
  .add(StaffSessionApi)
  .add(StaffApi)
  .addError(NotFound, { status: 404 })
  .addError(InvalidInput, { status: 400 })
  .addError(Conflict, { status: 409 })
  .addError(DeviceUnavailable, { status: 503 })
  .addError(ServiceUnavailable)
  .annotate(OpenApi.Title, "amtomat terminal API")
  .annotate(OpenApi.Version, "0.1.0")
{}

/** The same API plus the twin controls, served only when the terminal runs on twin devices. */
export class AmtomatTwinApi extends AmtomatApi
  .add(TwinApi)
  .annotate(OpenApi.Title, "amtomat terminal API (twin devices)")
{}
