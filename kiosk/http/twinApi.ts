/**
 * Twin control endpoints: the citizen's hands and the hardware's insides.
 * A slot is a compartment number or `intake`.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { TwinError } from "../../hardware-sim/behavioural/TwinError.ts"
import { strict } from "./schemas.ts"

const Slot = Schema.Union(Schema.Literal("intake"), Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 9999)))
const SlotPath = Schema.Struct({ slot: Slot })

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
export const Sms = Schema.Struct({ to: Schema.String, text: Schema.String, at: Schema.String, reference: Schema.String })
export const TwinState = Schema.Struct({
  locks: Schema.Array(TwinLockView),
  card: Schema.Struct({ waiting: Schema.Boolean, fault: Schema.String, reads: Schema.Int }),
  sms: Schema.Struct({ fault: Schema.String, count: Schema.Int }),
  scanner: Schema.Struct({ documents: Schema.Int }),
  authority: Schema.Struct({ mode: Schema.String, received: Schema.Int, attempts: Schema.Int })
})

export class TwinApi extends HttpApiGroup.make("twin")
  .add(HttpApiEndpoint.get("state", "/state").addSuccess(TwinState))
  .add(
    HttpApiEndpoint.post("insertCard", "/card/insert").setPayload(strict(Schema.Struct({
      label: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64))
    })))
  )
  .add(HttpApiEndpoint.post("removeCard", "/card/remove"))
  .add(HttpApiEndpoint.post("cardFault", "/card/fault").setPayload(strict(Schema.Struct({ fault: Schema.Literal("none", "unreadable", "offline") }))))
  .add(
    HttpApiEndpoint.get("inbox", "/sms").setUrlParams(Schema.Struct({ to: Schema.optional(Schema.String.pipe(Schema.maxLength(20))) })).addSuccess(
      Schema.Array(Sms)
    )
  )
  .add(HttpApiEndpoint.post("smsFault", "/sms/fault").setPayload(strict(Schema.Struct({ fault: Schema.Literal("none", "network", "sim-missing") }))))
  .add(HttpApiEndpoint.post("close", "/slots/:slot/close").setPath(SlotPath))
  .add(HttpApiEndpoint.post("put", "/slots/:slot/put").setPath(SlotPath))
  .add(HttpApiEndpoint.post("take", "/slots/:slot/take").setPath(SlotPath))
  .add(HttpApiEndpoint.post("jam", "/slots/:slot/jam").setPath(SlotPath).setPayload(strict(Schema.Struct({ jammed: Schema.Boolean }))))
  .add(HttpApiEndpoint.post("stickSensor", "/slots/:slot/sensor").setPath(SlotPath).setPayload(strict(Schema.Struct({ stuck: Schema.NullOr(Schema.Boolean) }))))
  .add(
    HttpApiEndpoint.post("boardOnline", "/boards/:board/online").setPath(Schema.Struct({
      board: Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 15))
    })).setPayload(strict(Schema.Struct({ online: Schema.Boolean })))
  )
  .add(
    HttpApiEndpoint.post("placeDocument", "/scanner/place").setPayload(strict(Schema.Struct({
      pages: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 50)), { default: () => 1 })
    })))
  )
  .add(HttpApiEndpoint.post("scannerFault", "/scanner/fault").setPayload(strict(Schema.Struct({ fault: Schema.Literal("none", "jam", "offline") }))))
  .add(HttpApiEndpoint.post("storage", "/storage/fault").setPayload(strict(Schema.Struct({ fault: Schema.Literal("none", "full", "readonly") }))))
  .add(HttpApiEndpoint.post("authorityMode", "/authority/mode").setPayload(strict(Schema.Struct({ mode: Schema.Literal("accept", "unavailable", "reject") }))))
  .addError(TwinError, { status: 409 })
  .prefix("/api/twin")
  .annotate(OpenApi.Title, "Twin control")
  .annotate(OpenApi.Description, "Only when running with twin devices: act as the citizen's hands and inject faults.")
{}
