/**
 * All behavioural twins at once: every device port of the terminal, plus a
 * control handle for each, over the given layout.
 */
import { Layer } from "effect"
import type { Channel, TerminalLayout } from "../../core/domain/compartment.ts"
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
  Layer.mergeAll(
    LockerTwin.layer(channelsOf(layout), { items: initial.items ?? [], openDoors: initial.openDoors ?? [], chutes: [layout.intake] }),
    CardTwin.layer,
    SmsTwin.layer,
    ScannerTwin.layer,
    AuthorityTwin.layer
  )
