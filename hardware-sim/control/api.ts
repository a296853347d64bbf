/**
 * The twins' control API, declared once: the citizen's hands (a card into the
 * slot, an item into a compartment, a door pushed shut, the phones' inboxes)
 * and the hardware's insides (a jammed lock, a stuck sensor, a board off the
 * bus), then what only the protocol twins of `amtomat twin` have — their
 * faults on the wire, the modem's SIM, and the rig itself (fresh twins, a
 * power cut, a serial port unplugged).
 *
 * The hands are exported one endpoint at a time, so the terminal's twin panel
 * API (kiosk/http/twinApi.ts, over the behavioural twins) declares the very
 * same operations at the very same paths; `TwinControlApi` is what `amtomat
 * twin --control-port` serves (./server.ts) and what ./client.ts calls.
 *
 * A slot is a compartment number of the terminal's layout or `intake`.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { TwinError } from "../behavioural/TwinError.ts"

/** Request bodies refuse unknown fields: a typo in a field name is an error, not silently ignored. */
const strict = <A, I, R>(s: Schema.Schema<A, I, R>): Schema.Schema<A, I, R> => s.annotations({ parseOptions: { onExcessProperty: "error" } })

// ---------------------------------------------------------------------------------------------
// The hands: shared with the terminal's twin panel API

/** A slot in a path: a compartment number or `intake`. */
export const Slot = Schema.Union(Schema.Literal("intake"), Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 9999)))
export type Slot = typeof Slot.Type
const SlotPath = Schema.Struct({ slot: Slot })

export const CardFault = Schema.Literal("none", "unreadable", "offline")
export const SmsFault = Schema.Literal("none", "network", "sim-missing")

/** One lock as the hands see it: where it is, its door, what is inside, what is broken. */
export const TwinLockView = Schema.Struct({
  slot: Schema.Union(Schema.Literal("intake"), Schema.Int),
  board: Schema.Int,
  lock: Schema.Int,
  doorOpen: Schema.Boolean,
  item: Schema.Boolean,
  jammed: Schema.Boolean,
  stuckSensor: Schema.NullOr(Schema.Boolean),
  boardOnline: Schema.Boolean
})
/** A text as the phone it was sent to received it. */
export const Sms = Schema.Struct({ to: Schema.String, text: Schema.String, at: Schema.String, reference: Schema.String })

export const insertCard = HttpApiEndpoint.post("insertCard", "/card/insert").setPayload(strict(Schema.Struct({
  label: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64))
})))
export const removeCard = HttpApiEndpoint.post("removeCard", "/card/remove")
export const cardFault = HttpApiEndpoint.post("cardFault", "/card/fault").setPayload(strict(Schema.Struct({ fault: CardFault })))
export const inbox = HttpApiEndpoint.get("inbox", "/sms")
  .setUrlParams(Schema.Struct({ to: Schema.optional(Schema.String.pipe(Schema.maxLength(20))) }))
  .addSuccess(Schema.Array(Sms))
export const smsFault = HttpApiEndpoint.post("smsFault", "/sms/fault").setPayload(strict(Schema.Struct({ fault: SmsFault })))
export const close = HttpApiEndpoint.post("close", "/slots/:slot/close").setPath(SlotPath)
export const put = HttpApiEndpoint.post("put", "/slots/:slot/put").setPath(SlotPath)
export const take = HttpApiEndpoint.post("take", "/slots/:slot/take").setPath(SlotPath)
export const jam = HttpApiEndpoint.post("jam", "/slots/:slot/jam").setPath(SlotPath).setPayload(strict(Schema.Struct({ jammed: Schema.Boolean })))
export const stickSensor = HttpApiEndpoint.post("stickSensor", "/slots/:slot/sensor").setPath(SlotPath).setPayload(
  strict(Schema.Struct({ stuck: Schema.NullOr(Schema.Boolean) }))
)
export const boardOnline = HttpApiEndpoint.post("boardOnline", "/boards/:board/online").setPath(Schema.Struct({
  board: Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 15))
})).setPayload(strict(Schema.Struct({ online: Schema.Boolean })))

// ---------------------------------------------------------------------------------------------
// Only the protocol twins in their own process

/** The control names a slot, a board or a port this twin does not have. */
export class TwinNotFound extends Schema.TaggedError<TwinNotFound>()("TwinNotFound", {
  message: Schema.String
}, HttpApiSchema.annotations({ status: 404 })) {}

/** The locker bank, the card slot and the modem's phones as they are now. */
export const DevicesView = Schema.Struct({
  locks: Schema.Array(TwinLockView),
  /** boards that do not answer on the bus */
  boardsOffline: Schema.Array(Schema.Int),
  /** documents dropped through the chutes into the bin so far */
  binned: Schema.Int,
  card: Schema.Struct({ waiting: Schema.Boolean, fault: CardFault, reads: Schema.Int }),
  sms: Schema.Struct({ fault: SmsFault, count: Schema.Int })
})

/** A count of requests, or null on the wire for "until cleared" (Infinity in the twin). */
const UntilCleared = Schema.transform(Schema.NullOr(Schema.Int), Schema.Number, {
  strict: true,
  decode: (n) => n ?? Infinity,
  encode: (n) => (Number.isFinite(n) ? n : null)
})
/** Bytes on the wire: base64 in JSON, at most 256 of them. */
const Bytes = Schema.Uint8ArrayFromBase64.pipe(Schema.filter((b) => b.length <= 256 || "at most 256 bytes"))
const Board = Schema.Int.pipe(Schema.between(0, 15))

/** The Kerong bus's faults now (see KerongFaultState). */
export const KerongFaultsView = Schema.Struct({
  silent: Schema.ReadonlyMap({ key: Schema.Union(Board, Schema.Literal("all")), value: UntilCleared }),
  badChecksums: Schema.Int,
  noise: Schema.NullOr(Bytes),
  unlockReply: Schema.Boolean,
  noLatch: Schema.ReadonlySet(Schema.String)
})

/** The modem's SIM (see SimState). */
export const SimView = Schema.Struct({ pin: Schema.NullOr(Schema.String), locked: Schema.Boolean, wrongAttempts: Schema.Int, puk: Schema.Boolean })

const Lines = Schema.Array(Schema.String.pipe(Schema.maxLength(200), Schema.pattern(/^[^\r\n]*$/, { message: () => "a line has no CR or LF" })))
  .pipe(Schema.maxItems(20))
const Switch = strict(Schema.Struct({ on: Schema.Boolean }))

/** The serial ports that can be unplugged, one per device. */
export const Port = Schema.Literal("locker", "card", "modem")
export type Port = typeof Port.Type
const PortPath = Schema.Struct({ device: Port })

export class HandsApi extends HttpApiGroup.make("hands")
  .add(insertCard)
  .add(removeCard)
  .add(cardFault)
  .add(inbox)
  .add(smsFault)
  .add(close)
  .add(put)
  .add(take)
  .add(jam)
  .add(stickSensor)
  .add(boardOnline)
  .add(HttpApiEndpoint.get("devices", "/devices").addSuccess(DevicesView))
  .add(HttpApiEndpoint.post("clearInbox", "/sms/clear"))
  .prefix("/api/twin")
  .annotate(OpenApi.Description, "The citizen's hands and the hardware's insides; the same operations as the terminal's twin panel")
{}

export class KerongApi extends HttpApiGroup.make("kerong")
  .add(HttpApiEndpoint.get("faults", "/kerong/faults").addSuccess(KerongFaultsView))
  .add(
    HttpApiEndpoint.post("silence", "/kerong/silence").setPayload(strict(Schema.Struct({
      board: Schema.Union(Board, Schema.Literal("all")),
      /** how many requests go unanswered; without it, until cleared */
      count: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000)))
    })))
  )
  .add(HttpApiEndpoint.post("noise", "/kerong/noise").setPayload(strict(Schema.Struct({ bytes: Schema.NullOr(Bytes) }))))
  .prefix("/api/twin")
  .annotate(OpenApi.Description, "Faults on the Kerong RS-485 bus")
{}

export class ModemApi extends HttpApiGroup.make("modem")
  .add(HttpApiEndpoint.get("sim", "/modem/sim").addSuccess(SimView))
  .add(
    HttpApiEndpoint.post("simPin", "/modem/sim/pin").setPayload(strict(Schema.Struct({
      pin: Schema.NullOr(Schema.String.pipe(Schema.pattern(/^[0-9]{4,8}$/, { message: () => "a PIN is 4 to 8 digits" })))
    })))
  )
  .add(HttpApiEndpoint.post("reboot", "/modem/reboot"))
  .add(HttpApiEndpoint.post("lteOnly", "/modem/lte-only").setPayload(Switch))
  .add(HttpApiEndpoint.post("unregistered", "/modem/unregistered").setPayload(Switch))
  .add(HttpApiEndpoint.post("unsolicited", "/modem/unsolicited").setPayload(strict(Schema.Struct({ lines: Lines }))))
  .add(HttpApiEndpoint.post("interject", "/modem/interject").setPayload(strict(Schema.Struct({ lines: Lines }))))
  .prefix("/api/twin")
  .annotate(OpenApi.Description, "The AT modem's SIM, registration and surprises")
{}

export class RigApi extends HttpApiGroup.make("rig")
  .add(HttpApiEndpoint.post("reset", "/reset"))
  .add(HttpApiEndpoint.post("powerCycle", "/power-cycle"))
  .add(
    HttpApiEndpoint.post("unplug", "/ports/:device/unplug").setPath(PortPath).setPayload(strict(Schema.Struct({
      /** back at the same path after this long; without it, until replugged */
      forMillis: Schema.optional(Schema.Int.pipe(Schema.between(1, 600_000)))
    })))
  )
  .add(
    HttpApiEndpoint.post("replug", "/ports/:device/replug").setPath(PortPath).setPayload(strict(Schema.Struct({
      /** a new host path; without it, the last one */
      at: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1024)))
    }))).addSuccess(Schema.Struct({ path: Schema.String }))
  )
  .prefix("/api/twin")
  .annotate(
    OpenApi.Description,
    "The rig: fresh twins on the same lines, a power cut (doors and documents stay where they are), a serial port unplugged and plugged back in"
  )
{}

/** What `amtomat twin --control-port` serves on 127.0.0.1. */
export class TwinControlApi extends HttpApi.make("twinControl")
  .add(HandsApi)
  .add(KerongApi)
  .add(ModemApi)
  .add(RigApi)
  .addError(TwinError, { status: 409 })
  .addError(TwinNotFound)
  .annotate(OpenApi.Title, "amtomat twin control")
  .annotate(OpenApi.Description, "The protocol twins' hands and faults, loopback only.")
{}
