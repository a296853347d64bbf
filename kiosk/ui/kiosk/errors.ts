/**
 * Every failure of the kiosk's calls becomes a calm message with the next
 * step: try again, call staff, or come to the office.
 */
import type { CardFailureReason, PickupFailureReason } from "../../../core/domain/errors.ts"
import { type Failure, reasonOf } from "../shared/http.ts"
import type { Action, MessageKey, Route, RouteName } from "./state.ts"

const startOver: Action = { kind: "startOver" }
const callStaff: Action = { kind: "callStaff" }
const finish: Action = { kind: "finish" }
const retry = (to: RouteName): Action => ({ kind: "go", label: "tryAgain", to })

const message = (key: MessageKey, actions: ReadonlyArray<Action>, seconds?: number): Route =>
  seconds === undefined ? { name: "message", message: key, actions } : { name: "message", message: key, actions, seconds }

/** The message for a failed call; `retryAt` is the screen "try again" leads back to. */
export const routeForFailure = (f: Failure, retryAt: RouteName): Route => {
  if (f.tag === "CardNotRead") {
    const reason = reasonOf(f) as CardFailureReason
    if (reason === "Timeout") return message("cardTimeout", [retry("card"), startOver])
    if (reason === "Unreadable") return message("cardUnreadable", [retry("card"), startOver])
    return message("cardReaderDown", [startOver])
  }
  if (f.tag === "PickupFailed") {
    // the server's reasons, checked by the compiler: a misspelt or removed reason does not build
    const reason = reasonOf(f) as PickupFailureReason
    switch (reason) {
      case "SessionExpired":
        return message("sessionExpired", [startOver])
      case "UnknownPickupNumber":
        return message("unknownNumber", [retry("number"), startOver])
      case "NotReady":
        return message("notReady", [finish])
      case "OrderLocked":
        return message("locked", [callStaff, finish])
      case "Throttled": {
        const s = f.body["retryAfterSeconds"]
        return typeof s === "number" ? message("throttledFor", [retry(retryAt), startOver], s) : message("throttled", [retry(retryAt), startOver])
      }
      case "CodeExpired":
        return message("codeExpired", [{ kind: "newCode" }, startOver])
      case "NoCodeRequested":
        return message("outOfOrder", [retry("number"), startOver])
      case "NoOldDocument":
        return message("noOldDocument", [retry("number"), finish])
      case "IntakeLeftOpen":
        // once the flap is shut the citizen goes on where they were: the hand-in step checks it again
        return message("intakeLeftOpen", [{ kind: "go", label: "flapClosed", to: "old" }, startOver])
      case "IntakeUnavailable":
        return message("intakeUnavailable", [callStaff, finish])
      case "DoorDidNotOpen":
        return message("doorDidNotOpen", [callStaff, finish])
      case "DocumentNotTaken":
        return message("notTaken", [retry("number"), finish])
      case "DeviceError":
        return message("deviceError", [callStaff, finish])
      case "SmsNotSent":
        return message("smsNotSent", [retry("number"), finish])
      case "WrongCode": // the code screen shows the attempts left itself
      case "DoorLeftOpen": // an alarm for staff; the citizen's pickup is already settled
        break
      default: {
        const unknown: never = reason
        void unknown
      }
    }
  }
  if (f.tag === "ServiceUnavailable") return message("storage", [retry(retryAt), callStaff, startOver])
  return message("failed", [retry(retryAt), startOver])
}
