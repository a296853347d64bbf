/**
 * Crash runs: the terminal as a child process on PTY twins, killed with
 * SIGKILL at random points of random workflows, restarted and checked.
 * CI: 2 x 100 kill points (this file runs two harnesses side by side), the
 * second with power loss: the twins lose their volatile state at every kill.
 * AMTOMAT_CRASH_KILLS=5000 for a long run. Seeds are printed for replay.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { crashRun } from "./harness.ts"
import { bundle, startTwins, type Twins } from "./processes.ts"

const kills = Number(process.env["AMTOMAT_CRASH_KILLS"] ?? 100)
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
      return crashRun({ bundled, twins: t, db: join(mkdtempSync(join(tmpdir(), "amtomat-crash-db-")), "t.db"), kills, seed, powerLoss: i === 1 })
    }))
    for (const r of reports) {
      console.log(JSON.stringify(r))
      expect(r.kills).toBe(kills)
    }
    // the runs did real work between the kills
    expect(reports.reduce((n, r) => n + r.loads + r.pickups, 0)).toBeGreaterThan(kills / 4)
  }, 1_800_000)
})
