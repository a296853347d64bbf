/**
 * Crash runs: the terminal as a child process on PTY twins, killed with
 * SIGKILL at random points of random workflows, restarted and checked.
 * CI: 2 x 50 kill points (this file runs two harnesses side by side), the
 * second with power loss: the twins lose their volatile state at every kill.
 * AMTOMAT_CRASH_KILLS=5000 for a long run. Seeds are printed for replay.
 * Liveness: after every 5th restart (AMTOMAT_CRASH_LIVENESS_EVERY; 1 = every
 * restart, 0 = never) a fresh order is loaded and picked up in full and must be
 * collected — every 5th, because a full pickup takes 2–3 s and 100 of them per
 * run would add more than half again to this suite's time.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { crashRun } from "./harness.ts"
import { bundle, startTwins, type Twins } from "./processes.ts"

const kills = Number(process.env["AMTOMAT_CRASH_KILLS"] ?? 50)
const livenessEvery = Number(process.env["AMTOMAT_CRASH_LIVENESS_EVERY"] ?? 5)
const seedBase = Number(process.env["AMTOMAT_CRASH_SEED"] ?? Date.now() % 100000)
let bundled = ""
const twins: Array<Twins> = []

beforeAll(async () => {
  bundled = await bundle()
  twins.push(await startTwins(bundled), await startTwins(bundled))
}, 120_000)
afterAll(() => {
  for (const t of twins) t.stop()
  if (bundled) rmSync(bundled, { force: true })
})

describe("Crash harness", () => {
  it(`${kills * 2} kill points: every order consistent, every acknowledged step logged, the chain intact`, async () => {
    const reports = await Promise.all(twins.map((t, i) => {
      const seed = seedBase + i
      console.log(`crash run ${i}${i === 1 ? " (power loss)" : ""}: seed ${seed} (replay with AMTOMAT_CRASH_SEED=${seedBase})`)
      return crashRun({ bundled, twins: t, db: join(mkdtempSync(join(tmpdir(), "amtomat-crash-db-")), "t.db"), kills, seed, powerLoss: i === 1, livenessEvery })
    }))
    for (const r of reports) {
      console.log(JSON.stringify(r))
      expect(r.kills).toBe(kills)
      // the terminal completed a full pickup after every livenessEvery-th restart (a failed one throws)
      expect(r.liveness).toBe(livenessEvery > 0 ? Math.floor(kills / livenessEvery) : 0)
    }
    // the runs did real work between the kills
    expect(reports.reduce((n, r) => n + r.loads + r.pickups, 0)).toBeGreaterThan(kills / 4)
  }, 1_800_000)
})
