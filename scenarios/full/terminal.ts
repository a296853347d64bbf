/**
 * Full fidelity: the real terminal core for one site — every workflow on its
 * own SQLite file (WAL, synchronous=FULL: durable commits), the behavioural
 * twins as devices, a seeded SecureRandom — the kiosk's own terminal layer,
 * database layer and start-up (core/workflows/terminal.ts,
 * core/persistence/database.ts), so the two cannot drift apart.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { createHash } from "node:crypto"
import type { TerminalLayout } from "../../core/domain/compartment.ts"
import { defaultPolicy, type Policy } from "../../core/domain/config.ts"
import { CompartmentId } from "../../core/domain/ids.ts"
import { sqliteDatabase } from "../../core/persistence/database.ts"
import { SecureRandom } from "../../core/ports/SecureRandom.ts"
import { boot, terminalLayer } from "../../core/workflows/terminal.ts"
import * as Twins from "../../hardware-sim/behavioural/index.ts"

/**
 * SQLite on disk as the terminal runs it (core/persistence/database.ts: WAL,
 * synchronous=FULL, foreign keys, secure delete, migrations, compaction).
 * `durable: false` (synchronous=OFF) only to measure what the durable commits cost.
 */
export const siteDatabase = (filename: string, durable = true) => sqliteDatabase({ durable }).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))

/** A layout with `n` compartments, 15 per board, the intake slot on board 0, lock 16. */
export const siteLayout = (n: number): TerminalLayout => ({
  compartments: Array.from({ length: n }, (_, i) => ({
    id: CompartmentId.make(i + 1),
    channel: { board: Math.floor(i / 15), lock: (i % 15) + 1 },
    size: i < n * 0.6 ? "S" as const : i < n * 0.9 ? "M" as const : "L" as const,
    band: i % 3 === 2 ? "high" as const : "low" as const
  })),
  intake: { board: 0, lock: 16 }
})

export interface SiteTerminalOptions {
  readonly site: string
  readonly file: string
  readonly layout: TerminalLayout
  readonly cardKey: Uint8Array
  /** The event log's audit key; default: derived from the card key (a simulation's keys are not secrets). */
  readonly auditKey?: Uint8Array
  readonly config?: Partial<Policy>
  readonly durable?: boolean
}

/** The whole terminal of one site, with the twins' control handles exposed: the kiosk's terminal layer, seeded. */
export const siteTerminal = (options: SiteTerminalOptions) =>
  terminalLayer({
    config: { ...defaultPolicy, pollMillis: 1000, ...options.config, site: options.site },
    layout: options.layout,
    cardKey: options.cardKey,
    auditKey: options.auditKey ?? new Uint8Array(createHash("sha256").update("amtomat-audit-key").update(options.cardKey).digest()),
    devices: Twins.layer(options.layout),
    database: siteDatabase(options.file, options.durable ?? true),
    random: SecureRandom.layerSeeded
  })

/** Start-up as on a real terminal: install the layout, log the start, reconcile with the boards. */
export const bootSite = Effect.asVoid(boot("0.1.0", "twin (scenario, full fidelity)"))

export type SiteServices = Layer.Layer.Success<ReturnType<typeof siteTerminal>>
