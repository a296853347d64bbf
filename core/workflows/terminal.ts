/**
 * The terminal's use cases as one layer, and its start-up. Every composition
 * — the kiosk's, a scenario's full-fidelity site — builds from these, so
 * they cannot drift apart.
 */
import type { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { Layout, type TerminalLayout } from "../domain/compartment.ts"
import { type Policy, Secrets, TerminalPolicy } from "../domain/config.ts"
import { AlarmsRepo } from "../persistence/AlarmsRepo.ts"
import { ApplicationsRepo } from "../persistence/ApplicationsRepo.ts"
import { CodesRepo } from "../persistence/CodesRepo.ts"
import { CompartmentsRepo } from "../persistence/CompartmentsRepo.ts"
import type { StorageCompaction } from "../persistence/database.ts"
import { AuditKey, EventLog } from "../persistence/EventLog.ts"
import { OrdersRepo } from "../persistence/OrdersRepo.ts"
import { SessionsRepo } from "../persistence/SessionsRepo.ts"
import { StaffRepo } from "../persistence/StaffRepo.ts"
import type { AuthorityGateway } from "../ports/AuthorityGateway.ts"
import type { CardTerminal } from "../ports/CardTerminal.ts"
import { DeviceStatus } from "../ports/DeviceStatus.ts"
import type { DocumentScanner } from "../ports/DocumentScanner.ts"
import type { LockerBank } from "../ports/LockerBank.ts"
import { SecureRandom } from "../ports/SecureRandom.ts"
import type { SmsGateway } from "../ports/SmsGateway.ts"
import { Alarms } from "./Alarms.ts"
import { Applications } from "./Applications.ts"
import { Availability } from "./Availability.ts"
import { CardSessions } from "./CardSessions.ts"
import { DeviceWatch } from "./DeviceWatch.ts"
import { DoorWatch } from "./DoorWatch.ts"
import { Feedback } from "./Feedback.ts"
import { Loading } from "./Loading.ts"
import { LockerWatch } from "./LockerWatch.ts"
import { Maintenance } from "./Maintenance.ts"
import { Pickup } from "./Pickup.ts"
import { Reconciliation } from "./Reconciliation.ts"
import { Retention } from "./Retention.ts"
import { StaffAccounts } from "./StaffAccounts.ts"
import { StaffAuth } from "./StaffAuth.ts"

export const workflowsLayer = Layer.mergeAll(
  Pickup.Default,
  Loading.Default,
  Maintenance.Default,
  Applications.Default,
  Feedback.Default,
  StaffAuth.Default,
  StaffAccounts.Default,
  LockerWatch.Default,
  DeviceWatch.Default,
  DoorWatch.Default,
  Availability.Default,
  Reconciliation.Default,
  Retention.Default,
  CardSessions.Default,
  Alarms.Default,
  CompartmentsRepo.Default,
  OrdersRepo.Default,
  SessionsRepo.Default,
  CodesRepo.Default,
  AlarmsRepo.Default,
  ApplicationsRepo.Default,
  StaffRepo.Default,
  EventLog.Default
)

export type Devices = LockerBank | CardTerminal | SmsGateway | DocumentScanner | AuthorityGateway

export interface TerminalOptions<DA, DE, DR, BE> {
  readonly config: Policy
  readonly layout: TerminalLayout
  readonly cardKey: Uint8Array
  /** The audit key of the event log's MACs and checkpoints: never in the database. */
  readonly auditKey: Uint8Array
  /** The device adapters; may provide more than the ports (a twin's control handles). */
  readonly devices: Layer.Layer<DA, DE, DR>
  /** The database with its storage compaction (persistence/database.ts under a client, or the kiosk's checked file). */
  readonly database: Layer.Layer<SqlClient.SqlClient | StorageCompaction, BE>
  /** Unpredictable randomness; default the operating system's CSPRNG (simulations pass a seeded one). */
  readonly random?: Layer.Layer<SecureRandom>
}

/**
 * Everything the terminal runs on, with the devices' own services exposed too
 * (the twin controls): the one terminal layer of every composition root (the
 * kiosk's, a scenario's full-fidelity site). The devices report their
 * connection to one DeviceStatus, which the workflows and the health endpoint read.
 */
export const terminalLayer = <DA, DE, DR, BE>(options: TerminalOptions<DA, DE, DR, BE>) =>
  workflowsLayer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      options.devices,
      options.database,
      Layer.succeed(TerminalPolicy, options.config),
      Layer.succeed(Secrets, { cardKey: options.cardKey }),
      Layer.succeed(AuditKey, options.auditKey),
      Layer.succeed(Layout, options.layout),
      options.random ?? SecureRandom.layerCrypto
    )),
    Layer.provideMerge(DeviceStatus.layer)
  )

/**
 * Start-up: install the layout, log the start, then reconcile against a full
 * snapshot of every board (never opening a door).
 */
export const boot = (version: string, devicesName: string) =>
  Effect.gen(function*() {
    const layout = yield* Layout
    yield* (yield* CompartmentsRepo).install(layout)
    yield* (yield* EventLog).append({ _tag: "TerminalStarted", version, devices: devicesName })
    return yield* (yield* Reconciliation).run()
  })
