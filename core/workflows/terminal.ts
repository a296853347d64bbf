/**
 * The terminal's use cases as one layer, and its start-up. Every composition
 * — the kiosk's, a scenario's full-fidelity site — builds from these, so
 * they cannot drift apart.
 */
import { Effect, Layer } from "effect"
import { Layout } from "../domain/compartment.ts"
import { EventLog } from "../persistence/EventLog.ts"
import { Alarms } from "./Alarms.ts"
import { Applications } from "./Applications.ts"
import { Availability } from "./Availability.ts"
import { CardSessions } from "./CardSessions.ts"
import { Compartments } from "./Compartments.ts"
import { DeviceWatch } from "./DeviceWatch.ts"
import { DoorWatch } from "./DoorWatch.ts"
import { Feedback } from "./Feedback.ts"
import { Loading } from "./Loading.ts"
import { LockerWatch } from "./LockerWatch.ts"
import { Maintenance } from "./Maintenance.ts"
import { Orders } from "./Orders.ts"
import { Pickup } from "./Pickup.ts"
import { Reconciliation } from "./Reconciliation.ts"
import { Retention } from "./Retention.ts"
import { StaffAuth } from "./StaffAuth.ts"

export const workflowsLayer = Layer.mergeAll(
  Pickup.Default,
  Loading.Default,
  Maintenance.Default,
  Applications.Default,
  Feedback.Default,
  StaffAuth.Default,
  LockerWatch.Default,
  DeviceWatch.Default,
  DoorWatch.Default,
  Availability.Default,
  Reconciliation.Default,
  Retention.Default,
  CardSessions.Default,
  Alarms.Default,
  Compartments.Default,
  Orders.Default,
  EventLog.Default
)

/**
 * Start-up: install the layout, log the start, then reconcile against a full
 * snapshot of every board (never opening a door).
 */
export const boot = (version: string, devicesName: string) =>
  Effect.gen(function*() {
    const layout = yield* Layout
    yield* (yield* Compartments).install(layout)
    yield* (yield* EventLog).append({ _tag: "TerminalStarted", version, devices: devicesName })
    return yield* (yield* Reconciliation).run()
  })
