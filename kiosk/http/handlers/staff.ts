import { HttpApiBuilder } from "@effect/platform"
import { Effect, Layer, Option, Redacted } from "effect"
import { Unauthorized } from "../../../core/domain/errors.ts"
import { CompartmentsRepo } from "../../../core/persistence/CompartmentsRepo.ts"
import { EventLog } from "../../../core/persistence/EventLog.ts"
import { OrdersRepo } from "../../../core/persistence/OrdersRepo.ts"
import { StaffRepo } from "../../../core/persistence/StaffRepo.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Applications } from "../../../core/workflows/Applications.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { Maintenance } from "../../../core/workflows/Maintenance.ts"
import { StaffAccounts } from "../../../core/workflows/StaffAccounts.ts"
import { StaffAuth } from "../../../core/workflows/StaffAuth.ts"
import { AmtomatApi, CurrentStaff, StaffAuthentication } from "../api.ts"
import { orUnavailable } from "./common.ts"

export const StaffAuthenticationLive = Layer.effect(
  StaffAuthentication,
  Effect.gen(function*() {
    const auth = yield* StaffAuth
    return StaffAuthentication.of({
      bearer: (token) =>
        auth.authenticate(Redacted.value(token)).pipe(
          Effect.catchTag("SqlError", () => Effect.fail(new Unauthorized({ message: "sign-in is not available right now" })))
        )
    })
  })
)

export const StaffSessionHandlers = HttpApiBuilder.group(AmtomatApi, "staffSession", (handlers) =>
  Effect.gen(function*() {
    const auth = yield* StaffAuth
    // The client's address limits attempts per source (no proxy in front of the kiosk, so the
    // socket's peer is the client); a request without one (in-process web handler) is "local".
    return handlers.handle("login", ({ payload, request }) =>
      orUnavailable(auth.login(payload.username, payload.password, Option.getOrElse(request.remoteAddress, () => "local"))))
  }))

export const StaffHandlers = HttpApiBuilder.group(AmtomatApi, "staff", (handlers) =>
  Effect.gen(function*() {
    const auth = yield* StaffAuth
    const orders = yield* OrdersRepo
    const loading = yield* Loading
    const compartments = yield* CompartmentsRepo
    const maintenance = yield* Maintenance
    const alarms = yield* Alarms
    const applications = yield* Applications
    const log = yield* EventLog
    const accounts = yield* StaffAccounts
    const staffRepo = yield* StaffRepo
    const supervisorOrTechnician = Effect.flatMap(CurrentStaff, (me) => auth.requireRole(me, ["supervisor", "technician"]))

    return handlers
      .handle("logout", ({ request }) => {
        const header = request.headers["authorization"] ?? ""
        return orUnavailable(auth.logout(header.replace(/^Bearer\s+/i, "")))
      })
      .handle("me", () => CurrentStaff)
      .handle("orders", ({ urlParams }) => orUnavailable(orders.list(urlParams)))
      .handle("announce", ({ payload }) => orUnavailable(loading.announce(payload)))
      .handle("order", ({ path }) => orUnavailable(orders.get(path.id)))
      .handle("startLoad", ({ path }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => loading.startLoad(path.id, me.id))))
      .handle("confirmLoad", ({ path }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => loading.confirmLoad(path.id, me.id))))
      .handle("startReturn", ({ path, payload }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => loading.startReturn(path.id, me, payload.reason))))
      .handle("confirmReturn", ({ path }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => loading.confirmReturn(path.id, me.id))))
      .handle("release", ({ path, payload }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => loading.release(path.id, me.id, payload?.note))))
      .handle("counter", ({ path }) => orUnavailable(loading.counterHandover(path.id)))
      .handle("compartments", () => orUnavailable(compartments.all))
      .handle("outOfService", ({ path, payload }) =>
        orUnavailable(Effect.flatMap(CurrentStaff, (me) => maintenance.outOfService(path.id, payload.reason, me.id))))
      .handle("inService", ({ path }) =>
        orUnavailable(Effect.flatMap(CurrentStaff, (me) => maintenance.backInService(path.id, me.id))))
      .handle("overrideOpen", ({ path, payload }) =>
        orUnavailable(Effect.zipRight(
          supervisorOrTechnician,
          Effect.flatMap(CurrentStaff, (me) => maintenance.overrideOpen(path.id, payload.reason, me.id))
        )))
      .handle("alarms", ({ urlParams }) => orUnavailable(alarms.list(urlParams.open === "true")))
      .handle("acknowledge", ({ path, payload }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => alarms.acknowledge(path.id, me.id, payload?.note))))
      .handle("names", () => orUnavailable(Effect.map(staffRepo.list, (all) => all.map((a) => ({ id: a.id, displayName: a.displayName })))))
      .handle("accounts", () => orUnavailable(Effect.flatMap(CurrentStaff, (me) => accounts.list(me))))
      .handle("createAccount", ({ payload }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => accounts.create(me, payload))))
      .handle("changeAccount", ({ path, payload }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => accounts.change(me, path.id, payload))))
      .handle("resetPassword", ({ path }) => orUnavailable(Effect.flatMap(CurrentStaff, (me) => accounts.resetPassword(me, path.id))))
      .handle("outbox", () => orUnavailable(applications.outbox))
      .handle("retryDelivery", ({ path }) => orUnavailable(applications.retry(path.id)))
      .handle("events", ({ urlParams }) =>
        orUnavailable(log.read({
          types: urlParams.type?.split(",").filter((t) => t.length > 0),
          since: urlParams.since,
          until: urlParams.until,
          afterSeq: urlParams.after,
          limit: urlParams.limit ?? 1000
        })))
      .handle("runPolicies", () => orUnavailable(Effect.zipRight(supervisorOrTechnician, loading.runPolicies())))
  }))
