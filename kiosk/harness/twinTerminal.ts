/**
 * A whole terminal in this process, for tests and benchmarks: the real
 * workflows on a fresh SQLite file in a temp folder, the behavioural twins as
 * devices, and the few steps every check needs (load an order, present a
 * card, read the texted code). Time is the caller's clock.
 */
import { Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Channel, demoLayout, type TerminalLayout } from "../../core/domain/compartment.ts"
import { defaultPolicy, type Policy } from "../../core/domain/config.ts"
import type { OrderId } from "../../core/domain/ids.ts"
import { lastCodeIn } from "../../core/domain/rules.ts"
import { DocumentKind, type HeightBand, PhoneNumber, type SizeClass } from "../../core/domain/values.ts"
import { CompartmentsRepo } from "../../core/persistence/CompartmentsRepo.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { OrdersRepo } from "../../core/persistence/OrdersRepo.ts"
import type { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { CardSessions } from "../../core/workflows/CardSessions.ts"
import { Loading } from "../../core/workflows/Loading.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"
import { boot, databaseLayer, terminalLayer } from "../composition.ts"

export const tempDb = () => join(mkdtempSync(join(tmpdir(), "amtomat-test-")), "terminal.db")

export interface TwinTerminalOptions {
  readonly config?: Partial<Policy>
  readonly layout?: TerminalLayout
  /** Reuse a database file (a restart); default: a fresh one. */
  readonly db?: string
  /** The physical state the twin starts in. */
  readonly physical?: { readonly items?: ReadonlyArray<Channel>; readonly openDoors?: ReadonlyArray<Channel> }
  /** The secure random source; default: the operating system's CSPRNG. */
  readonly random?: Layer.Layer<SecureRandom>
  /** Keys of a throwaway terminal; default: fresh random ones. */
  readonly cardKey?: Uint8Array
  readonly auditKey?: Uint8Array
}

export const twinTerminal = (options: TwinTerminalOptions = {}) => {
  const layout = options.layout ?? demoLayout
  return terminalLayer({
    config: { ...defaultPolicy, site: "test", ...options.config },
    layout,
    cardKey: options.cardKey ?? new Uint8Array(randomBytes(16)),
    auditKey: options.auditKey ?? new Uint8Array(randomBytes(32)),
    devices: Twins.layer(layout, options.physical ?? {}),
    database: databaseLayer(options.db ?? tempDb()),
    ...(options.random === undefined ? {} : { random: options.random })
  }).pipe(Layer.tap((context) => Effect.provide(boot("twin"), context)))
}

export const { LockerTwin, CardTwin, SmsTwin, ScannerTwin, AuthorityTwin } = {
  LockerTwin: Twins.LockerTwin.LockerTwin,
  CardTwin: Twins.CardTwin.CardTwin,
  SmsTwin: Twins.SmsTwin.SmsTwin,
  ScannerTwin: Twins.ScannerTwin.ScannerTwin,
  AuthorityTwin: Twins.AuthorityTwin.AuthorityTwin
}

let staffCounter = 0
export const staffMember = Effect.gen(function*() {
  const auth = yield* StaffAuth
  return yield* auth.create(`clerk${++staffCounter}`, "Test Clerk", "supervisor", "correct horse battery")
})

let phoneCounter = 0
export const nextPhone = () => PhoneNumber.make(`+49151${String(10000000 + ++phoneCounter).padStart(8, "0")}`)

/** Staff announce an order and load it through the real workflow, the twin's hands doing the physical part. */
export const loadOrder = (input: {
  readonly documentKind?: string
  readonly phone?: PhoneNumber
  readonly requiresOldDocument?: boolean
  readonly size?: SizeClass
  readonly preferBand?: HeightBand | null
} = {}) =>
  Effect.gen(function*() {
    const loading = yield* Loading
    const hands = yield* LockerTwin
    const staff = yield* staffMember
    const order = yield* loading.announce({
      documentKind: DocumentKind.make(input.documentKind ?? "id-card"),
      phone: input.phone ?? nextPhone(),
      requiresOldDocument: input.requiresOldDocument ?? true,
      size: input.size ?? "S",
      preferBand: input.preferBand ?? null
    })
    const c = yield* loading.startLoad(order.id)
    yield* hands.putItem(c.channel)
    yield* hands.close(c.channel)
    const loaded = yield* loading.confirmLoad(order.id, staff.id)
    return { order: loaded, compartment: c, staff }
  })

/** A citizen presents a card and gets a session. */
export const startSession = (label = "alice") =>
  Effect.gen(function*() {
    yield* (yield* CardTwin).insert(label)
    return (yield* (yield* CardSessions).start()).sessionId
  })

/** The last one-time code texted to a phone. */
export const lastCode = (phone: string) =>
  Effect.gen(function*() {
    const code = lastCodeIn((yield* (yield* SmsTwin).inbox(phone)).map((m) => m.text))
    return code ?? (yield* Effect.dieMessage(`no code texted to ${phone}`))
  })

export const eventTypesLogged = Effect.gen(function*() {
  return (yield* (yield* EventLog).read()).map((e) => e.event._tag)
})

export const orderStatus = (id: OrderId) => Effect.map(Effect.flatMap(OrdersRepo, (o) => o.get(id)), (o) => o.status)
export const compartment = (id: number) => Effect.flatMap(CompartmentsRepo, (c) => c.get(id as never))
