/**
 * Twin control endpoints: the citizen's hands and the hardware's insides.
 * A slot is a compartment number or `intake`.
 *
 * The hands (card, phones, slots, boards) are the declarations of the twins'
 * control API (hardware-sim/control/api.ts), which `amtomat twin` serves for
 * the protocol twins at the same paths; the rest — the panel's state, the
 * scanner, the storage and the authority — only the terminal's twins have.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { TwinError } from "../../hardware-sim/behavioural/TwinError.ts"
import * as Hands from "../../hardware-sim/control/api.ts"
import { strict } from "./schemas.ts"

export const TwinLockView = Hands.TwinLockView
export const Sms = Hands.Sms
export const TwinState = Schema.Struct({
  locks: Schema.Array(TwinLockView),
  card: Schema.Struct({ waiting: Schema.Boolean, fault: Schema.String, reads: Schema.Int }),
  sms: Schema.Struct({ fault: Schema.String, count: Schema.Int }),
  scanner: Schema.Struct({ documents: Schema.Int }),
  authority: Schema.Struct({ mode: Schema.String, received: Schema.Int, attempts: Schema.Int })
})

export class TwinApi extends HttpApiGroup.make("twin")
  .add(HttpApiEndpoint.get("state", "/state").addSuccess(TwinState))
  .add(Hands.insertCard)
  .add(Hands.removeCard)
  .add(Hands.cardFault)
  .add(Hands.inbox)
  .add(Hands.smsFault)
  .add(Hands.close)
  .add(Hands.put)
  .add(Hands.take)
  .add(Hands.jam)
  .add(Hands.stickSensor)
  .add(Hands.boardOnline)
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
