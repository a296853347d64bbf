/**
 * A whole terminal for tests: the real workflows on a fresh SQLite file in a
 * temp folder, with the behavioural twins as devices. Time is the test's
 * clock (TestClock under it.effect).
 */
import { SecureRandom } from "../../core/workflows/support.ts"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Duration, Effect, Layer, TestClock } from "effect"
import { type Channel, demoLayout, type TerminalLayout } from "../../core/domain/compartment.ts"
import { defaultPolicy, type PolicyConfig } from "../../core/domain/config.ts"
import type { OrderId } from "../../core/domain/ids.ts"
import { PickupFailed } from "../../core/domain/errors.ts"
import { DocumentKind, type HeightBand, PhoneNumber, type SizeClass } from "../../core/domain/values.ts"
import { EventLog } from "../../core/persistence/EventLog.ts"
import { CardSessions } from "../../core/workflows/CardSessions.ts"
import { Compartments } from "../../core/workflows/Compartments.ts"
import { Loading } from "../../core/workflows/Loading.ts"
import { Orders } from "../../core/workflows/Orders.ts"
import { StaffAuth } from "../../core/workflows/StaffAuth.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"
import { boot, databaseLayer, terminalLayer } from "../../kiosk/runtime.ts"

/** The audit key every test terminal's event log is keyed with. */
export const testAuditKey = new Uint8Array(Buffer.from("a0".repeat(32), "hex"))

export const tempDb = () => join(mkdtempSync(join(tmpdir(), "amtomat-test-")), "terminal.db")

export interface TestTerminalOptions {
  readonly config?: Partial<PolicyConfig>
  readonly layout?: TerminalLayout
  /** Reuse a database file (a restart); default: a fresh one. */
  readonly db?: string
  /** The physical state the twin starts in. */
  readonly physical?: { readonly items?: ReadonlyArray<Channel>; readonly openDoors?: ReadonlyArray<Channel> }
  /** The secure random source; default: the operating system's CSPRNG. */
  readonly random?: Layer.Layer<SecureRandom>
}

export const testTerminal = (options: TestTerminalOptions = {}) => {
  const layout = options.layout ?? demoLayout
  return terminalLayer({
    config: { ...defaultPolicy, site: "test", ...options.config },
    layout,
    cardKey: Buffer.from("00112233445566778899aabbccddeeff", "hex"),
    auditKey: testAuditKey,
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

/** Lets forked fibers run and pending sleeps fire. */
export const tick = (by: Duration.DurationInput = "1 second") => TestClock.adjust(by)

let staffCounter = 0
export const staffMember = Effect.gen(function*() {
  const auth = yield* StaffAuth
  return yield* auth.create(`clerk${++staffCounter}`, "Test Clerk", "supervisor", "correct horse battery")
})

let phoneCounter = 0
export const nextPhone = () => PhoneNumber.make(`+49151${String(1000000 + ++phoneCounter).padStart(7, "0")}`)

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
    const inbox = yield* (yield* SmsTwin).inbox(phone)
    for (let i = inbox.length - 1; i >= 0; i--) {
      const m = /Code: (\d+)/.exec(inbox[i]!.text)
      if (m) return m[1]!
    }
    return yield* Effect.dieMessage(`no code texted to ${phone}`)
  })

export const eventTypesLogged = Effect.gen(function*() {
  return (yield* (yield* EventLog).read()).map((e) => e.event._tag)
})

export const orderStatus = (id: OrderId) => Effect.map(Effect.flatMap(Orders, (o) => o.get(id)), (o) => o.status)
export const compartment = (id: number) => Effect.flatMap(Compartments, (c) => c.get(id as never))

/** The PickupFailed an effect must fail with (any other outcome fails the test). */
export const refusal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.flip(effect), (e) =>
    e instanceof PickupFailed ? Effect.succeed(e) : Effect.dieMessage(`expected a PickupFailed, got ${JSON.stringify(e)}`))
