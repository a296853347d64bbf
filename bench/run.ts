/**
 * `npm run bench`: every benchmark, one JSON object per line. Figures, not
 * verdicts: machines here are shared and noisy, so nothing is asserted.
 */
import { Effect } from "effect"
import { codecBenches } from "./codecs.ts"
import { countyBench } from "./county.ts"
import { dashboardBench } from "./dashboard.ts"
import { driverPickupBench } from "./drivers.ts"
import { loadBench } from "./load.ts"
import { pickupBench } from "./pickup.ts"
import { scenarioBenches } from "./scenarios.ts"

const benches: ReadonlyArray<Effect.Effect<Record<string, unknown>, unknown>> = [
  Effect.sync(() => ({ bench: "codecs", results: codecBenches(0.5) })),
  pickupBench(40),
  driverPickupBench("pair", 20),
  driverPickupBench("pty", 10),
  Effect.promise(() => loadBench({ staffScreens: 50, seconds: 15 })),
  Effect.promise(() => loadBench({ staffScreens: 50, seconds: 15, live: true })),
  dashboardBench(),
  countyBench({ events: 12_000 }),
  ...scenarioBenches
]

for (const bench of benches) {
  const result = await Effect.runPromise(bench)
  console.log(JSON.stringify({ ...result, node: process.version, at: new Date().toISOString() }))
}
