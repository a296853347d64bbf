/**
 * `amtomat scenario` as a user runs it: --json prints the documented object,
 * --out writes the run directory, a broken file fails naming the path.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { patterns } from "../../analytics/studyPatterns.ts"
import { run } from "../../kiosk/harness/process.ts"

describe("amtomat scenario", () => {
  it("run --json prints scenario, seed, replicates, fidelity, wallSeconds, patterns and sites; --out writes the run directory", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "amtomat-scn-cli-")), "run")
    const r = await run(["scenario", "run", "single-terminal-demo", "--seed", "9", "--replicates", "2", "--out", out, "--json"])
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout.trim().split("\n").at(-1)!)
    expect(result).toMatchObject({ scenario: "single-terminal-demo", seed: 9, replicates: 2, fidelity: "model" })
    expect(typeof result.wallSeconds).toBe("number")
    expect(result.patterns.map((p: { id: string }) => p.id)).toEqual(patterns.map((p) => p.id))
    for (const p of result.patterns) expect(Object.keys(p).sort()).toEqual(["band", "high", "id", "low", "mean", "n", "pass"])
    expect(Object.keys(result.sites[0]).sort()).toEqual(["name", "pickupsCounter", "pickupsTerminal", "terminalShare"])
    for (const f of ["manifest.json", "summary.json", "replicates/1/events.ndjson", "replicates/2/daily.csv", "replicates/2/survey.csv"]) {
      expect(existsSync(join(out, f))).toBe(true)
    }
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"))
    expect(manifest).toMatchObject({ scenario: "single-terminal-demo", rootSeed: 9, replicates: 2, fidelity: "model" })
    expect(manifest.replicateSeeds).toHaveLength(2)
    expect(manifest.code.version).toBe("0.1.0")
    expect(readFileSync(join(out, "replicates/1/daily.csv"), "utf8").split("\n")[0]).toBe(
      "date,site,documentsReady,pickupsTerminal,pickupsCounter,terminalUses,applications,failures"
    )
    const survey = readFileSync(join(out, "replicates/1/survey.csv"), "utf8").trim().split("\n")
    expect(survey[0]).toBe(
      "respondent,site,ageBand,gender,techExperience,intention,usedTerminal,uses,trust,perceivedValue,ease,recommends,staffRecommended,peerExposure"
    )
  }, 60_000)

  it("a broken scenario file fails and names the path", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "amtomat-scn-bad-")), "bad.yaml")
    writeFileSync(file, "name: bad\nstart: \"2024-01-01\"\nduration: 1 year\nsites:\n  - name: A\n    population: -3\n    terminal: null\n")
    const r = await run(["scenario", "check", file])
    expect(r.code).not.toBe(0)
    expect(r.stderr + r.stdout).toContain("sites[0].population")
  }, 60_000)
})
