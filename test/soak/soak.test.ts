/**
 * The short night-alone soak (~100 s, short policy: take 6 s, door alarm 8 s): citizens, staff and
 * a fault every few seconds against the terminal on PTY twins. AMTOMAT_SOAK_SECONDS / _SEED / …
 * (see harness.ts) change it; `npm run soak` is the long run (an hour; AMTOMAT_SOAK_MINUTES sets it).
 */
import { describe, expect, it } from "vitest"
import { optionsFromEnv, soak, type SoakReport } from "./harness.ts"
import { logBytesPerHourBound, verdict } from "./verdict.ts"

/** `npm run soak` (AMTOMAT_SOAK_LONG=1): an hour with the shipped policy and a fault every 30 s. */
const long = process.env["AMTOMAT_SOAK_LONG"] === "1"
const options = optionsFromEnv(
  long ? { seconds: 3600, faultEvery: 30, policy: "default" } : { seconds: 100, faultEvery: 4, policy: "short" },
  (line) => console.log(line)
)
/** A pickup takes 3–6 s here and faults interrupt some: 100 s give 10–20; fewer than 5 means the terminal stalls. */
const minPickups = long ? 1 : Math.max(1, Math.floor(options.seconds / 20))

describe("Night-alone soak", () => {
  let report: SoakReport
  it(`${options.seconds} s of citizens, staff and faults (seed ${options.seed})`, async () => {
    console.log(`soak: seed ${options.seed} (replay with AMTOMAT_SOAK_SEED=${options.seed})`)
    report = await soak(options)
    console.log(JSON.stringify(report))
    expect(report.documentsBehindOpenDoorWithoutAlarm, JSON.stringify(report.openDoorViolations)).toBe(0)
    expect(report.chain).toBe("intact")
    expect(report.eventsLost, report.missingEvents.join("\n")).toBe(0)
    const injected = Object.entries(report.faults).filter(([k]) => k !== "reload").reduce((n, [, v]) => n + v, 0)
    expect(injected).toBeGreaterThan(0)
    for (const [kind, s] of Object.entries(report.recoveryMs)) expect(s.unrecovered, `${kind} not recovered`).toBe(0)
    expect(report.logBytesPerHour).toBeLessThan(logBytesPerHourBound)
    expect(report.pickups.completed).toBeGreaterThanOrEqual(minPickups)
    expect(report.pickups.reloadsNotCollected, "pickups whose page was reloaded, document taken, never collected").toEqual([])
    expect(report.terminalExits).toBe(0)
    // and every sentence of the verdict at once (what the long run is judged by)
    expect(verdict(report, { minPickups })).toEqual([])
  }, (options.seconds + 240) * 1000)
})
