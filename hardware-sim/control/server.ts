/**
 * The twins' control API (./api.ts) served over their control handles, on
 * 127.0.0.1 only: what `amtomat twin --control-port` runs so that a contract
 * suite or a crash harness in another process can be the citizen's hands and
 * inject the faults. The handles are looked up per request, because `reset`
 * and `powerCycle` replace the twins.
 *
 * Every refusal is a JSON answer with one sentence in `message`: a request
 * that does not fit the endpoint 400, an unknown route, slot, board or port
 * 404, what the physical twin cannot do (a closed compartment) 409.
 */
import {
  FileSystem,
  HttpApiBuilder,
  HttpApiError,
  type HttpApp,
  HttpIncomingMessage,
  HttpMethod,
  HttpServer,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Context, Effect, Layer, Option, Predicate } from "effect"
import { createServer } from "node:http"
import type { Channel, TerminalLayout } from "../../core/domain/compartment.ts"
import { sentenceOfIssues } from "../../core/domain/errors.ts"
import type { CardTwinControl } from "../behavioural/CardTwin.ts"
import type { LockerTwinControl } from "../behavioural/LockerTwin.ts"
import { channelOfSlot, lockViews } from "../behavioural/lockViews.ts"
import type { SmsTwinControl } from "../behavioural/SmsTwin.ts"
import { TwinError } from "../behavioural/TwinError.ts"
import type { KerongFaults } from "../protocol/kerongBus.ts"
import type { ModemFaults } from "../protocol/smsModem.ts"
import type { ZvtFaults } from "../protocol/zvtTerminal.ts"
import { type Port, type Slot, TwinControlApi, TwinNotFound } from "./api.ts"

/** The control handles of one set of twins. */
export interface Handles {
  readonly locker: LockerTwinControl
  readonly card: CardTwinControl
  readonly sms: SmsTwinControl
  readonly kerongFaults: KerongFaults
  readonly zvtFaults: ZvtFaults
  readonly modemFaults: ModemFaults
}

export interface ServeOptions {
  /** the current handles (they change when the twins are reset) */
  readonly handles: Effect.Effect<Handles>
  /** the terminal's layout: which compartment (slot) is which lock */
  readonly layout: TerminalLayout
  /** fresh twins on the same lines */
  readonly reset?: Effect.Effect<void>
  /** the devices lose power and come back: every volatile state is gone, doors and documents stay where they physically are */
  readonly powerCycle?: Effect.Effect<void>
  /** the device's serial port vanishes; with `forMillis` it comes back at the same path after that long */
  readonly unplug?: (device: Port, forMillis?: number) => Effect.Effect<void, TwinError>
  /** the device's serial port is back, at the same path or at `at`; yields the host path */
  readonly replug?: (device: Port, at?: string) => Effect.Effect<string, TwinError>
  /** 0 (the default) picks a free port */
  readonly port?: number
}

/** The largest request body taken: the control takes a few fields, never a file. */
const MAX_BODY = 64 * 1024

const handlers = (options: ServeOptions) => {
  const { handles, layout } = options
  const boards = new Set([layout.intake.board, ...layout.compartments.map((c) => c.channel.board)])
  const channelOf = (slot: Slot): Effect.Effect<Channel, TwinNotFound> =>
    Option.match(channelOfSlot(layout, slot), {
      onSome: Effect.succeed,
      onNone: () =>
        Effect.fail(
          new TwinNotFound({ message: `there is no compartment ${slot}: the slots are ${layout.compartments.map((x) => x.id).join(", ")} and intake` })
        )
    })
  const atSlot = (name: string, act: (locker: LockerTwinControl, channel: Channel) => Effect.Effect<void, TwinError>) =>
    Effect.fn(`TwinControl.${name}`)(function*({ path }: { readonly path: { readonly slot: Slot } }) {
      const channel = yield* channelOf(path.slot)
      const h = yield* handles
      yield* act(h.locker, channel)
    })
  const rig = <A>(what: string, f: A | undefined): Effect.Effect<A, TwinNotFound> =>
    f === undefined ? Effect.fail(new TwinNotFound({ message: `this twin has no ${what}` })) : Effect.succeed(f)

  const hands = HttpApiBuilder.group(TwinControlApi, "hands", (h) =>
    Effect.succeed(
      h
        .handle("insertCard", ({ payload }) => Effect.flatMap(handles, (t) => t.card.insert(payload.label)))
        .handle("removeCard", () => Effect.flatMap(handles, (t) => t.card.remove))
        .handle("cardFault", ({ payload }) => Effect.flatMap(handles, (t) => t.card.setFault(payload.fault)))
        .handle("inbox", ({ urlParams }) => Effect.flatMap(handles, (t) => t.sms.inbox(urlParams.to)))
        .handle("smsFault", ({ payload }) => Effect.flatMap(handles, (t) => t.sms.setFault(payload.fault)))
        .handle("close", atSlot("close", (l, c) => l.close(c)))
        .handle("put", atSlot("put", (l, c) => l.putItem(c)))
        .handle("take", atSlot("take", (l, c) => l.takeItem(c)))
        .handle(
          "jam",
          Effect.fn("TwinControl.jam")(function*({ path, payload }) {
            const channel = yield* channelOf(path.slot)
            yield* (yield* handles).locker.jam(channel, payload.jammed)
          })
        )
        .handle(
          "stickSensor",
          Effect.fn("TwinControl.stickSensor")(function*({ path, payload }) {
            const channel = yield* channelOf(path.slot)
            yield* (yield* handles).locker.stickSensor(channel, payload.stuck)
          })
        )
        .handle(
          "boardOnline",
          Effect.fn("TwinControl.boardOnline")(function*({ path, payload }) {
            if (!boards.has(path.board)) {
              return yield* new TwinNotFound({ message: `there is no board ${path.board} on the bus: the boards are ${[...boards].join(", ")}` })
            }
            yield* (yield* handles).locker.setBoardOnline(path.board, payload.online)
          })
        )
        .handle(
          "devices",
          Effect.fn("TwinControl.devices")(function*() {
            const { card, locker, sms } = yield* handles
            return {
              locks: yield* lockViews(locker, layout),
              boardsOffline: yield* locker.boardsOffline,
              binned: yield* locker.binned,
              card: { waiting: yield* card.waiting, fault: yield* card.fault, reads: yield* card.reads },
              sms: { fault: yield* sms.fault, count: (yield* sms.inbox()).length }
            }
          })
        )
        .handle("clearInbox", () => Effect.flatMap(handles, (t) => t.sms.clear))
    ))

  const kerong = HttpApiBuilder.group(TwinControlApi, "kerong", (h) =>
    Effect.succeed(
      h
        .handle("faults", () => Effect.flatMap(handles, (t) => t.kerongFaults.state))
        .handle("silence", ({ payload }) =>
          Effect.flatMap(handles, (t) =>
            payload.count === undefined ? t.kerongFaults.silence(payload.board) : t.kerongFaults.silence(payload.board, payload.count)))
        .handle("noise", ({ payload }) =>
          Effect.flatMap(handles, (t) =>
            t.kerongFaults.noise(payload.bytes)))
    ))

  const modem = HttpApiBuilder.group(TwinControlApi, "modem", (h) =>
    Effect.succeed(
      h
        .handle("sim", () => Effect.flatMap(handles, (t) => t.modemFaults.sim))
        .handle("simPin", ({ payload }) => Effect.flatMap(handles, (t) => t.modemFaults.simPin(payload.pin)))
        .handle("reboot", () => Effect.flatMap(handles, (t) => t.modemFaults.reboot))
        .handle("lteOnly", ({ payload }) => Effect.flatMap(handles, (t) => t.modemFaults.lteOnly(payload.on)))
        .handle("unregistered", ({ payload }) => Effect.flatMap(handles, (t) => t.modemFaults.unregistered(payload.on)))
        .handle("unsolicited", ({ payload }) => Effect.flatMap(handles, (t) => t.modemFaults.unsolicited(payload.lines)))
        .handle("interject", ({ payload }) => Effect.flatMap(handles, (t) => t.modemFaults.interject(payload.lines)))
    ))

  const rigGroup = HttpApiBuilder.group(TwinControlApi, "rig", (h) =>
    Effect.succeed(
      h
        .handle("reset", () => Effect.flatten(rig("reset", options.reset)))
        .handle("powerCycle", () => Effect.flatten(rig("power switch", options.powerCycle)))
        .handle(
          "unplug",
          Effect.fn("TwinControl.unplug")(function*({ path, payload }) {
            const unplug = yield* rig("serial ports to unplug", options.unplug)
            yield* payload.forMillis === undefined ? unplug(path.device) : unplug(path.device, payload.forMillis)
          })
        )
        .handle(
          "replug",
          Effect.fn("TwinControl.replug")(function*({ path, payload }) {
            const replug = yield* rig("serial ports to plug in", options.replug)
            return { path: yield* payload.at === undefined ? replug(path.device) : replug(path.device, payload.at) }
          })
        )
    ))

  return Layer.mergeAll(hands, kerong, modem, rigGroup)
}

const answer = (status: number, tag: string, message: string) => Effect.succeed(HttpServerResponse.unsafeJson({ _tag: tag, message }, { status }))
const decodeError = HttpServerResponse.schemaJson(HttpApiError.HttpApiDecodeError)

/**
 * Before errors become responses: a body that is not JSON, too large or of
 * another media type, an unknown route, and a request that does not fit its
 * endpoint each get one sentence.
 */
const explain = (app: HttpApp.Default): HttpApp.Default =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase()
    const hasBody = (request.headers["content-length"] ?? "0") !== "0" || request.headers["transfer-encoding"] !== undefined
    if (HttpMethod.hasBody(request.method) && hasBody && type !== "application/json") {
      return yield* answer(415, "UnsupportedMediaType", "the request body must be sent as Content-Type: application/json")
    }
    return yield* Effect.provideService(app, HttpIncomingMessage.MaxBodySize, Option.some(FileSystem.Size(MAX_BODY))).pipe(
      Effect.catchAllCause((cause) => {
        const failure = Cause.squash(cause)
        if (failure instanceof HttpApiError.HttpApiDecodeError) {
          const message = sentenceOfIssues(failure.issues)
          return Effect.orDie(decodeError(new HttpApiError.HttpApiDecodeError({ issues: failure.issues, message }), { status: 400 }))
        }
        if (Predicate.isTagged(failure, "RouteNotFound")) {
          return answer(404, "NotFound", `there is no ${request.method} ${request.url.split("?")[0]}; the endpoints are in /openapi.json`)
        }
        if (Predicate.isTagged(failure, "RequestError")) {
          return String(Predicate.hasProperty(failure, "cause") ? failure.cause : "").includes("maxBytes")
            ? answer(413, "PayloadTooLarge", `the request body is larger than ${MAX_BODY} bytes`)
            : answer(400, "BadRequest", "the request body could not be read: it must be valid JSON")
        }
        return Effect.failCause(cause)
      })
    )
  })

/** The control API on 127.0.0.1 for as long as the layer lives; its output includes the HttpServer (for the port). */
export const layer = (options: ServeOptions) =>
  // the app first, then the socket: a request that came before the handler would get no answer
  HttpApiBuilder.serve().pipe(
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: options.port ?? 0, host: "127.0.0.1" })),
    Layer.provide(
      Layer.mergeAll(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" }), HttpApiBuilder.middleware(explain)).pipe(
        Layer.provideMerge(HttpApiBuilder.api(TwinControlApi).pipe(Layer.provide(handlers(options))))
      )
    )
  )

/** Serves the control API on 127.0.0.1 for the scope; yields the port. */
export const serve = (options: ServeOptions) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(layer(options))
    const address = Context.get(context, HttpServer.HttpServer).address
    return address._tag === "TcpAddress" ? address.port : 0
  })
