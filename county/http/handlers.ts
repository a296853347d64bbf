/**
 * The county API's handlers. A database failure is a 503 that says so; a
 * refused push is the ReplicationRefused of core/protocols/replication.ts.
 */
import { HttpApiBuilder, HttpApiSecurity } from "@effect/platform"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Option, Redacted } from "effect"
import { Unauthorized } from "../../core/domain/errors.ts"
import { type CountyMember, CountyStaff } from "../CountyStaff.ts"
import { Fleet } from "../Fleet.ts"
import { OrderDesk } from "../OrderDesk.ts"
import { CountyAlarmsRepo } from "../persistence/CountyAlarmsRepo.ts"
import { TerminalsRepo } from "../persistence/TerminalsRepo.ts"
import { Registry } from "../Registry.ts"
import { Replication } from "../replication/Replication.ts"
import { CountyApi, CountyStaffAuthentication, CountyUnavailable, CurrentCountyStaff, CurrentTerminal, TerminalAuthentication } from "./api.ts"

const unavailable = <A, E, R>(effect: Effect.Effect<A, E | SqlError, R>): Effect.Effect<A, Exclude<E, SqlError> | CountyUnavailable, R> =>
  Effect.catchIf(effect, (e): e is SqlError => e instanceof SqlError, (e) =>
    Effect.zipRight(
      Effect.logError(`county database: ${e.message}`),
      Effect.fail(new CountyUnavailable({ message: "the county's database is not available right now; try again" }))
    )) as Effect.Effect<A, Exclude<E, SqlError> | CountyUnavailable, R>

export const TerminalAuthenticationLive = Layer.effect(
  TerminalAuthentication,
  Effect.gen(function*() {
    const registry = yield* Registry
    return TerminalAuthentication.of({
      bearer: (token) =>
        registry.authenticate(Redacted.value(token)).pipe(
          unavailable,
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(new Unauthorized({ message: "the county does not know this terminal credential" })),
            onSome: Effect.succeed
          }))
        )
    })
  })
)

export const CountyStaffAuthenticationLive = Layer.effect(
  CountyStaffAuthentication,
  Effect.map(CountyStaff, (staff) => CountyStaffAuthentication.of({ bearer: (token) => unavailable(staff.authenticate(Redacted.value(token))) }))
)

const StaffSessionHandlers = HttpApiBuilder.group(CountyApi, "staffSession", (handlers) =>
  Effect.gen(function*() {
    const staff = yield* CountyStaff
    return handlers
      .handle("login", ({ payload, request }) =>
        unavailable(staff.login(payload.username, payload.password, Option.getOrElse(request.remoteAddress, () => "local"))))
      // the token as the middleware read it, so the session signed out is the one that was authenticated
      .handle(
        "logout",
        () =>
          Effect.flatMap(HttpApiBuilder.securityDecode(HttpApiSecurity.bearer), (token) => unavailable(staff.logout(Redacted.value(token))))
      )
      .handle("me", () => CurrentCountyStaff)
  }))

const FleetHandlers = HttpApiBuilder.group(CountyApi, "fleet", (handlers) =>
  Effect.gen(function*() {
    const fleet = yield* Fleet
    return handlers
      .handle("terminals", () => Effect.flatMap(CurrentCountyStaff, fleet.terminals).pipe(unavailable))
      .handle("alarms", () => Effect.flatMap(CurrentCountyStaff, fleet.alarms).pipe(unavailable))
      .handle("report", () => Effect.flatMap(CurrentCountyStaff, fleet.report).pipe(unavailable))
      .handle("dashboard", () => Effect.flatMap(CurrentCountyStaff, fleet.dashboard).pipe(unavailable))
      .handle("acknowledge", ({ path }) => Effect.flatMap(CurrentCountyStaff, (member) => fleet.acknowledge(member, path.id)).pipe(unavailable))
  }))

const SystemHandlers = HttpApiBuilder.group(CountyApi, "system", (handlers) =>
  Effect.gen(function*() {
    const terminals = yield* TerminalsRepo
    const alarms = yield* CountyAlarmsRepo
    return handlers.handle("health", () =>
      Effect.gen(function*() {
        return { status: "ok" as const, terminals: (yield* terminals.all).length, openAlarms: (yield* alarms.open).length }
      }).pipe(unavailable))
  }))

const ReplicationHandlers = HttpApiBuilder.group(CountyApi, "replication", (handlers) =>
  Effect.gen(function*() {
    const replication = yield* Replication
    const desk = yield* OrderDesk
    return handlers
      .handle("head", () => Effect.flatMap(CurrentTerminal, (t) => replication.head(t.terminal)).pipe(unavailable))
      .handle("push", ({ payload }) => Effect.flatMap(CurrentTerminal, (t) => replication.push(t.terminal, payload)).pipe(unavailable))
      .handle("inbox", () => Effect.flatMap(CurrentTerminal, (t) => desk.inbox(t.terminal)).pipe(unavailable))
      .handle("answer", ({ payload }) => Effect.flatMap(CurrentTerminal, (t) => desk.answer(t.terminal, payload)).pipe(unavailable))
  }))

const OrdersHandlers = HttpApiBuilder.group(CountyApi, "orders", (handlers) =>
  Effect.gen(function*() {
    const desk = yield* OrderDesk
    const asMember = <A, E>(f: (member: CountyMember) => Effect.Effect<A, E | SqlError>) => unavailable(Effect.flatMap(CurrentCountyStaff, f))
    return handlers
      .handle("list", () => asMember(desk.list))
      .handle("announce", ({ payload }) => asMember((m) => desk.announce(m, payload)))
      .handle("cancel", ({ path }) => asMember((m) => desk.cancel(m, path.id)))
      .handle("handOver", ({ path }) => asMember((m) => desk.handOver(m, path.id)))
  }))

export const CountyHandlers = Layer.mergeAll(SystemHandlers, ReplicationHandlers, StaffSessionHandlers, FleetHandlers, OrdersHandlers).pipe(
  Layer.provide(Layer.merge(TerminalAuthenticationLive, CountyStaffAuthenticationLive))
)
