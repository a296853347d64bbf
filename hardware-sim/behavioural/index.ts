/**
 * All behavioural twins at once: every device port of the terminal, plus a
 * control handle for each, over the given layout.
 */
import { Context, Effect, Layer } from "effect"
import type { Channel, TerminalLayout } from "../../core/domain/compartment.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import * as AuthorityTwin from "./AuthorityTwin.ts"
import * as CardTwin from "./CardTwin.ts"
import * as LockerTwin from "./LockerTwin.ts"
import * as ScannerTwin from "./ScannerTwin.ts"
import * as SmsTwin from "./SmsTwin.ts"

export { AuthorityTwin, CardTwin, LockerTwin, ScannerTwin, SmsTwin }

export const channelsOf = (layout: TerminalLayout) => [...layout.compartments.map((c) => c.channel), layout.intake]

/**
 * Every port as a twin. `items` are the channels that hold something at start
 * (the physical state survives a restart); the intake slot is a chute.
 */
export const layer = (
  layout: TerminalLayout,
  initial: { readonly items?: ReadonlyArray<Channel>; readonly openDoors?: ReadonlyArray<Channel> } = {}
) =>
  reporting.pipe(Layer.provideMerge(Layer.mergeAll(
    LockerTwin.layer(channelsOf(layout), { items: initial.items ?? [], openDoors: initial.openDoors ?? [], chutes: [layout.intake] }),
    CardTwin.layer,
    SmsTwin.layer,
    ScannerTwin.layer,
    AuthorityTwin.layer
  )))

/**
 * The scanner and the office link as twins beside real serial drivers (they
 * have no driver of their own yet), reporting themselves present so the
 * terminal's health knows them.
 */
export const scannerAndAuthority = Layer.effectDiscard(Effect.gen(function*() {
  const status = yield* DeviceStatus
  yield* status.report("scanner", true, "twin (no scanner driver yet)")
  yield* status.report("authority", true, "twin (no office link yet)")
})).pipe(Layer.provideMerge(Layer.merge(ScannerTwin.layer, AuthorityTwin.layer)))

/**
 * The twins report their presence like real adapters do: every device up at
 * start, and a fault that takes a device away (card terminal offline, SIM
 * missing, no network, scanner offline or jammed) reported down until it is
 * cleared. (Locker boards report through the locker's change feed.)
 */
const reporting = Layer.effectContext(Effect.gen(function*() {
  const status = yield* DeviceStatus
  const card = yield* CardTwin.CardTwin
  const sms = yield* SmsTwin.SmsTwin
  const scanner = yield* ScannerTwin.ScannerTwin
  for (const device of ["locker", "card", "sms", "scanner", "authority"] as const) yield* status.report(device, true, "twin")
  return Context.make(CardTwin.CardTwin, {
    ...card,
    setFault: (f) => Effect.zipRight(card.setFault(f), status.report("card", f !== "offline", f === "offline" ? "twin: card terminal offline" : "twin"))
  }).pipe(
    Context.add(SmsTwin.SmsTwin, {
      ...sms,
      setFault: (f) =>
        Effect.zipRight(sms.setFault(f), status.report("sms", f === "none", f === "none" ? "twin" : `twin: ${f === "network" ? "no network" : "no SIM"}`))
    }),
    Context.add(ScannerTwin.ScannerTwin, {
      ...scanner,
      setFault: (f) => Effect.zipRight(scanner.setFault(f), status.report("scanner", f === "none", f === "none" ? "twin" : `twin: scanner ${f}`))
    })
  )
}))
