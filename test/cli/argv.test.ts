/**
 * The command line's first answer, over the real command tree: a wrong option,
 * value or command is one sentence that names it and what was probably meant;
 * every command's help carries its full path and its defaults, without the
 * parser's boilerplate; and nothing the README tells people to type is refused.
 */
import { CliConfig } from "@effect/cli"
import * as fc from "fast-check"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { checkArgs, helpFor } from "../../cli/argv.ts"
import { amtomat } from "../../cli/commands.ts"

const check = (line: string) => checkArgs(amtomat, "amtomat", line.split(" ").filter((x) => x !== ""))
const help = (line: string) => helpFor(amtomat, "amtomat", line.split(" ").filter((x) => x !== ""), CliConfig.defaultConfig)

describe("a wrong command line is one sentence", () => {
  it.each([
    ["serve --prot 8080", "amtomat serve: unknown option --prot; did you mean --port?"],
    ["serve --port abc", "amtomat serve: --port must be a whole number, not 'abc'"],
    ["serve --port=abc", "amtomat serve: --port must be a whole number, not 'abc'"],
    ["serve --port", "amtomat serve: --port needs a value (integer)"],
    ["serve --port --demo", "amtomat serve: --port needs a value (integer)"],
    ["serve --devices usb", "amtomat serve: --devices must be one of twin, serial, not 'usb'"],
    ["serve --demo=maybe", "amtomat serve: --demo is on or off, so --demo=maybe is not understood"],
    ["servee", "amtomat: there is no command servee; did you mean serve?"],
    ["county serv", "amtomat county: there is no command serv; did you mean serve?"],
    ["county terminal add --terminl T1", "amtomat county terminal add: unknown option --terminl; did you mean --terminal?"],
    ["scenario run pilot-myk --varient no-spiral", "amtomat scenario run: unknown option --varient; did you mean --variant?"],
    ["scenario run pilot-myk --variant no-spirall", "amtomat scenario run: --variant must be one of"],
    ["scenario run --zzzzzz pilot-myk", "amtomat scenario run: unknown option --zzzzzz (the options: --seed, --replicates"]
  ])("%s", (line, said) => {
    const sentence = check(line)
    expect(sentence).toBeDefined()
    expect(sentence!.startsWith(said), sentence).toBe(true)
    expect(sentence).not.toMatch(/\n|\{|Received unknown|is not a integer/)
  })

  it("a close misspelling of a choice says which was meant", () => {
    expect(check("scenario run pilot-myk --variant no-spirall")).toMatch(/did you mean no-spiral\?$/)
  })

  it.each([
    "serve --port 8090 --demo",
    "serve --port=8090 --db /tmp/x.db --devices twin",
    "scenario run pilot-myk --replicates 10 --seed -5 --json",
    "scenario run --help",
    "county serve --pg postgres://u@h/db --port 8090",
    "events --db data/amtomat.db --type OrderLoaded",
    "--version",
    "--help",
    // what @effect/cli takes too: a built-in option before the command, any case, a signed number, yes/no
    "--log-level debug serve --port 8080",
    "--log-level=debug scenario run pilot-myk",
    "SERVE --PORT 8080",
    "serve --port +8080 --demo=yes --twin-from-network=off"
  ])("%s is left to the parser", (line) => {
    expect(check(line)).toBeUndefined()
  })

  // every option of every command: one typo (a letter dropped, doubled or changed) suggests an option that close
  const commands = ["serve", "events", "audit verify", "county serve", "county terminal add", "scenario run", "scenario sweep", "report", "twin"]
  it("any one-letter typo of any option is answered with an option one edit away", () => {
    const optionsOf = (command: string) => [...(help(`${command} --help`) ?? "").matchAll(/^(--[a-z][a-z0-9-]+)/gm)].map((m) => m[1]!)
    const cases = commands.flatMap((c) => optionsOf(c).filter((o) => o.length > 5).map((o) => [c, o] as const))
    expect(cases.length).toBeGreaterThan(30)
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.nat(), fc.constantFrom("drop", "double", "change"), ([command, option], at, how) => {
        const i = 2 + (at % (option.length - 2))
        const typo = how === "drop"
          ? option.slice(0, i) + option.slice(i + 1)
          : how === "double"
          ? option.slice(0, i) + option[i] + option.slice(i)
          : option.slice(0, i) + (option[i] === "x" ? "q" : "x") + option.slice(i + 1)
        if (optionsOf(command).includes(typo)) return
        const sentence = check(`${command} ${typo} 1`)
        const meant = /did you mean (--[a-z0-9-]+)\?/.exec(sentence ?? "")?.[1]
        expect(meant, sentence).toBeDefined()
      }),
      { numRuns: 300 }
    )
  })
})

describe("help", () => {
  it("names the full command path and the defaults, without the parser's boilerplate", () => {
    const text = help("scenario run --help")!
    expect(text).toContain("$ amtomat scenario run [--seed integer]")
    expect(text).toContain("--replicates integer  (default: 5)")
    expect(text).toContain("--variant as-given")
    expect(text).not.toMatch(/This setting is optional|An integer\.|A user-defined piece of text|--completions|--wizard/)
    const serve = help("serve --help")!
    expect(serve).toContain("--port integer  (default: 8080)")
    expect(serve).toContain("--config file")
    expect(serve).toMatch(/YAML or JSON/)
    expect(help("county serve -h")).toContain("--port integer  (default: 8090)")
  })

  it("says what each database option does: events refuses a missing file, serve creates it", () => {
    expect(help("events --help")).toMatch(/--db file {2}\(default: \.\/data\/amtomat\.db\)\n\n\s+the terminal's SQLite database file; it must exist/)
    expect(help("serve --help")).toMatch(/created with its folder if missing/)
  })

  it("a command with subcommands lists them", () => {
    expect(help("county --help")).toMatch(/Each command's own options: amtomat county <command> --help \(serve, staff, terminal\)/)
  })
})

describe("what the README tells people to type", () => {
  it("passes every check", () => {
    // the commands in its code blocks (prose names options without their values)
    const readme = [...readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8").matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!)
      .join("\n")
    const lines = [
      ...readme.matchAll(/(?:npx |npm start -- |^\$ )?\bamtomat ((?:serve|county|events|audit|retention|staff|twin|decode|report|scenario)\b[^`\n|]*)/gm)
    ]
      .map((m) => m[1]!.trim())
      // optional parts in brackets are given; placeholders stand for a value (N for a number)
      .map((l) =>
        l.replace(/\s\\$/, "").replace(/[[\]]/g, "").split(" ").filter((t) => !/^(\.\.\.|…|\|)$/.test(t))
          .map((t) => (/^(N|PORT|SECONDS|K)$/.test(t) ? "1" : /^([A-Z][A-Z_]*|<.*>)$/.test(t) ? "x" : t)).join(" ")
      )
    expect(lines.length).toBeGreaterThan(5)
    for (const line of lines) expect(check(line), line).toBeUndefined()
  })
})

describe("the command itself", () => {
  it("prints the sentence on standard error with exit status 1, the help on standard output with 0, and a misspelled preset lists the presets", async () => {
    const { run } = await import("../../kiosk/harness/process.ts")
    const wrong = await run(["serve", "--prot", "8080"])
    expect(wrong).toMatchObject({ code: 1, stdout: "" })
    expect(wrong.stderr.trim()).toBe("amtomat serve: unknown option --prot; did you mean --port?")
    const asked = await run(["scenario", "run", "--help"])
    expect(asked.code).toBe(0)
    expect(asked.stdout).toContain("$ amtomat scenario run")
    const preset = await run(["scenario", "run", "pilot-mk"])
    expect(preset.code).toBe(1)
    expect(preset.stderr.trim()).toMatch(/^amtomat: pilot-mk: no such preset or file; did you mean pilot-myk\? \(the presets: bank-lobby, .*pilot-myk/)
  }, 60_000)

  it("staff add logs the account as created by the command line; staff list marks a disabled account; events refuses a missing file", async () => {
    const { run } = await import("../../kiosk/harness/process.ts")
    const { mkdtempSync } = await import("node:fs")
    const { tmpdir } = await import("node:os")
    const db = join(mkdtempSync(join(tmpdir(), "amtomat-cli-staff-")), "terminal.db")
    process.env["AMTOMAT_STAFF_PASSWORD"] = "first-password-123"
    try {
      const made = await run(["staff", "add", "--db", db, "--username", "chef", "--name", "Erste Leitung", "--role", "supervisor"])
      expect(made.code, made.stderr).toBe(0)
    } finally {
      delete process.env["AMTOMAT_STAFF_PASSWORD"]
    }
    const logged = await run(["events", "--db", db, "--type", "StaffAccountCreated"])
    expect(logged.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ type: "StaffAccountCreated", role: "supervisor", by: null })
    ])
    expect(logged.stdout).not.toContain("Erste Leitung")
    expect((await run(["staff", "list", "--db", db])).stdout).toContain("chef\tsupervisor\tErste Leitung")
    const missing = await run(["events", "--db", join(db, "..", "nothing.db")])
    expect(missing.code).toBe(1)
    expect(missing.stderr.trim()).toMatch(/^amtomat: --db: no database at .*nothing\.db$/)
  }, 60_000)
})
