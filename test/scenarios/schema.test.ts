/**
 * Scenario files: every preset validates; broken files fail with messages
 * that name the path and the problem.
 */
import { Effect, Either } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadScenario, parseScenarioText, presetNames } from "../../scenarios/schema/load.ts"
import { durationDays } from "../../scenarios/schema/sites.ts"
import { preset } from "./support.ts"

const dir = mkdtempSync(join(tmpdir(), "amtomat-scenario-schema-"))
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const failure = (effect: Effect.Effect<unknown, { readonly message: string }>) => {
  const result = Effect.runSync(Effect.either(effect))
  if (Either.isRight(result)) throw new Error("expected the scenario to be refused")
  return result.left.message
}

const minimal = `
name: tiny
start: "2024-01-01"
duration: 30 days
sites:
  - name: A
    population: 100
    terminal: { start: "2024-01-01" }
`

describe("scenario files", () => {
  it("ships the seven presets, all valid", () => {
    expect(presetNames()).toEqual(
      expect.arrayContaining(["pilot-myk", "staff-everywhere", "posters-only", "bank-lobby", "passport-rush", "fault-storm", "single-terminal-demo"])
    )
    for (const name of presetNames()) {
      const s = Effect.runSync(loadScenario(name))
      expect(s.name).toBe(name)
    }
  })

  it("fills defaults and reads durations", () => {
    const s = Effect.runSync(parseScenarioText(minimal))
    expect(s.survey.size).toBe(300)
    expect(s.sites[0]!.counter.hours.mon).toEqual(["07:30-12:00", "13:00-16:00"])
    expect(durationDays("2.5 years")).toBe(913)
    expect(durationDays(s.duration)).toBe(30)
  })

  it("resolves extends and allSites: pilot-myk's six sites, every one patched", () => {
    const s = Effect.runSync(loadScenario("posters-only"))
    expect(s.sites).toHaveLength(6)
    expect(s.sites.every((x) => x.staff.recommend === 0 && x.posters === 1)).toBe(true)
    expect(s.sites[0]!.population).toBe(16438)
  })

  it("an unknown key is named with its path", () => {
    const msg = failure(loadScenario(file("unknown.yaml", minimal.replace("population: 100", "population: 100\n    popularity: 3"))))
    expect(msg).toContain("sites[0].popularity")
    expect(msg).toContain("is not a known key")
  })

  it("the county-level staff distribution: a negative spread is named with its path; none by default", () => {
    const msg = failure(loadScenario(file("spread.yaml", `${minimal}staffPropensity: { logitMean: -2, logitSd: -1 }\n`)))
    expect(msg).toContain("staffPropensity.logitSd")
    expect(Effect.runSync(loadScenario(file("plain.yaml", minimal))).staffPropensity).toBeNull()
    expect(preset("pilot-myk").staffPropensity).toEqual({ logitMean: -2.25, logitSd: 2.5 })
    expect(preset("staff-everywhere").staffPropensity).toBeNull() // its own propensities, not draws
  })

  it("a negative population is named with its path", () => {
    const msg = failure(loadScenario(file("negative.yaml", minimal.replace("population: 100", "population: -5"))))
    expect(msg).toMatch(/sites\[0\]\.population: .*positive/)
  })

  it("overlapping opening hours are named with their path", () => {
    const text = minimal.replace("population: 100", "population: 100\n    counter:\n      hours: { mon: [\"07:30-12:00\", \"11:00-16:00\"] }")
    const msg = failure(loadScenario(file("overlap.yaml", text)))
    expect(msg).toContain("sites[0].counter.hours.mon")
    expect(msg).toContain("overlap")
  })

  it("JSON files work the same, and syntax errors name the file", () => {
    const json = file("ok.json", JSON.stringify({ name: "j", start: "2024-01-01", duration: "1 year", sites: [{ name: "A", population: 10, terminal: null }] }))
    expect(Effect.runSync(loadScenario(json)).name).toBe("j")
    expect(failure(loadScenario(file("bad.json", "{ nope")))).toContain("bad.json")
  })

  it("refers to missing sites, bad dates and durations by path", () => {
    expect(failure(parseScenarioText(minimal + "faults:\n  outages: [{ site: Nowhere, from: \"2024-01-02\", to: \"2024-01-03\" }]\n"))).toContain(
      "faults.outages[0].site"
    )
    expect(failure(parseScenarioText(minimal.replace("30 days", "soon")))).toContain("duration")
    expect(failure(parseScenarioText(minimal.replace("start: \"2024-01-01\"\nduration", "start: \"2024-13-45\"\nduration")))).toContain("start")
  })

  it("a file of sites alone works: name, start and duration have defaults (a calendar year from 2024-01-01)", () => {
    const only = Effect.runSync(loadScenario(file("sites-only.yaml", "sites:\n  - name: A\n    population: 100\n    terminal: { start: \"2024-01-01\" }\n")))
    expect(only).toMatchObject({ name: "scenario", start: "2024-01-01", duration: "1 year" })
    expect(durationDays(only.duration)).toBeGreaterThanOrEqual(365)
    expect(failure(loadScenario(file("nothing.yaml", "name: x\n")))).toBe(`${join(dir, "nothing.yaml")}: sites: is missing`)
  })

  it("errors count the file's own sites, not the preset's it extends; a mistyped key says which was meant", () => {
    const own = file("own.yaml", "extends: pilot-myk\nname: x\nsites:\n  - name: Mendig\n    staff: { recommend: 5 }\n")
    expect(failure(loadScenario(own))).toMatch(/own\.yaml: sites\[0\]\.staff\.recommend: /)
    const typo = file("typo.yaml", "extends: pilot-myk\nname: x\nsites:\n  - name: Mendig\n    staf: { recommend: 0.5 }\n")
    expect(failure(loadScenario(typo))).toBe(`${typo}: sites[0].staf: is not a known key; did you mean staff?`)
    // the preset's own site broken by allSites: named, since the file has no index for it
    const all = file("all.yaml", "extends: pilot-myk\nname: x\nallSites:\n  staff: { recommend: 7 }\n")
    expect(failure(loadScenario(all))).toMatch(/all\.yaml: sites \(Mendig, from the preset\)\.staff\.recommend/)
  })

  it("a misspelled preset lists the presets and names the closest", () => {
    expect(failure(loadScenario("pilot-mk"))).toMatch(/^pilot-mk: no such preset or file; did you mean pilot-myk\? \(the presets: bank-lobby, /)
    expect(failure(loadScenario("zzz"))).not.toContain("did you mean")
  })
})
