/**
 * The import rules of ../shared/design/architecture.md, checked over every
 * source file: `core` imports nothing of ours; `hardware-sim` → `core`;
 * `analytics` → `core/domain`; `scenarios` → `core`, `hardware-sim`,
 * `analytics`; `kiosk` → `core`, `hardware-sim`, `analytics`; `county` →
 * `core`, `analytics`; `cli` → any package's commands. Nothing imports `cli`
 * or `bench`, and only tests import `test` — tests mirror the tree, so a test
 * of a command imports it from `cli`. A package's own commands (its `cli/`
 * folder) are imported only by the top-level `cli`.
 *
 * And SQL lives only in `core/persistence` (and the county's own tables in
 * `county/persistence`): no other program file writes an
 * `sql` statement or imports the SQL client (tests may, to set up or damage a
 * database on purpose).
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")

const mayImport: Record<string, ReadonlyArray<string> | "any"> = {
  core: ["core"],
  "hardware-sim": ["hardware-sim", "core"],
  analytics: ["analytics", "core/domain"],
  scenarios: ["scenarios", "core", "hardware-sim", "analytics"],
  kiosk: ["kiosk", "core", "hardware-sim", "analytics"],
  county: ["county", "core", "analytics"],
  cli: "any",
  bench: "any",
  test: "any"
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`)

/** The wrong-way imports among `files` (path → the repository paths it imports), one sentence each. */
export const violations = (files: ReadonlyMap<string, ReadonlyArray<string>>): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (const [file, imports] of files) {
    const pkg = file.split("/")[0]!
    const allowed = mayImport[pkg]
    if (allowed === undefined) continue
    for (const target of imports) {
      const to = target.split("/")[0]!
      if (to === "cli" && pkg !== "cli" && pkg !== "test") found.push(`${file} imports ${target}: nothing but tests imports cli`)
      else if (to === "bench" && pkg !== "bench") found.push(`${file} imports ${target}: nothing imports bench`)
      else if (to === "test" && pkg !== "test") found.push(`${file} imports ${target}: only tests import test`)
      else if (/^[^/]+\/cli\//.test(target) && !within(file, `${to}/cli`) && pkg !== "cli" && pkg !== "test") {
        found.push(`${file} imports ${target}: a package's commands are composed only by cli/`)
      } else if (allowed !== "any" && mayImport[to] !== undefined && !allowed.some((a) => within(target, a))) {
        found.push(`${file} imports ${target}: ${pkg} may import only ${allowed.join(", ")}`)
      }
    }
  }
  return found
}

const sources = (folder: string): Array<string> =>
  readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name)
    if (name === "node_modules" || name === "dist") return []
    if (statSync(join(root, path)).isDirectory()) return sources(path)
    return /\.(ts|js)$/.test(name) ? [path] : []
  })

const specifier = /(?:^|[\s;])(?:import|export)\s[^"'`;]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g

/** Each source file of the repository and the repository paths it imports (relative specifiers only). */
const importGraph = (): ReadonlyMap<string, ReadonlyArray<string>> => {
  const graph = new Map<string, ReadonlyArray<string>>()
  for (const folder of Object.keys(mayImport)) {
    let files: Array<string>
    try {
      files = sources(folder)
    } catch {
      continue // a package that does not exist yet (county)
    }
    for (const file of files) {
      const text = readFileSync(join(root, file), "utf8")
      const targets = [...text.matchAll(specifier)].map((m) => normalize(relative(root, join(root, dirname(file), m[1] ?? m[2]!))))
      graph.set(file, targets)
    }
  }
  return graph
}

/** Program files outside core/persistence that hold SQL: an sql template, a SqlClient/SqlSchema import, a raw query. */
export const sqlOutsidePersistence = (files: ReadonlyMap<string, string>): ReadonlyArray<string> => {
  const found: Array<string> = []
  for (const [file, text] of files) {
    const pkg = file.split("/")[0]!
    if (pkg === "test" || pkg === "bench" || within(file, "core/persistence") || within(file, "county/persistence")) continue
    if (/\bsql(<[^>`]*>)?`/.test(text)) found.push(`${file} writes SQL: it belongs in core/persistence`)
    else if (/import\s*\{[^}]*\b(SqlClient|SqlSchema)\b[^}]*\}\s*from\s*"@effect\/sql"/.test(text)) {
      found.push(`${file} imports the SQL client: only core/persistence talks to the database`)
    } else if (/\.unsafe\(\s*["'`](SELECT|INSERT|UPDATE|DELETE|PRAGMA)/i.test(text)) found.push(`${file} runs raw SQL: it belongs in core/persistence`)
  }
  return found
}

const programTexts = (): ReadonlyMap<string, string> => {
  const texts = new Map<string, string>()
  for (const folder of Object.keys(mayImport)) {
    let files: Array<string>
    try {
      files = sources(folder)
    } catch {
      continue
    }
    for (const file of files) texts.set(file, readFileSync(join(root, file), "utf8"))
  }
  return texts
}

describe("SQL only in core/persistence", () => {
  it("no program file outside core/persistence holds SQL", () => {
    const texts = programTexts()
    // the repositories are there and hold the SQL
    expect([...texts.keys()].filter((f) => within(f, "core/persistence") && /\bsql`/.test(texts.get(f)!)).length).toBeGreaterThan(5)
    expect(sqlOutsidePersistence(texts)).toEqual([])
  })

  it("the check finds each way SQL can leak out", () => {
    const leaks = new Map<string, string>([
      ["core/workflows/Pickup.ts", "yield* sql`UPDATE compartments SET state = 'free'`"],
      ["kiosk/http/staffFeed.ts", "const n = sql<{ seq: number }>`SELECT MAX(seq) AS seq FROM events`"],
      ["kiosk/cli/admin.ts", `import { SqlClient } from "@effect/sql"`],
      ["scenarios/full/run.ts", `client.unsafe("DELETE FROM orders")`]
    ])
    expect(sqlOutsidePersistence(leaks)).toHaveLength(4)
    const fine = new Map<string, string>([
      ["core/persistence/OrdersRepo.ts", "yield* sql`UPDATE orders SET status = 'loaded'`"],
      ["test/core/workflows/pickup.test.ts", "yield* sql`UPDATE compartments SET item = 0`"],
      ["kiosk/composition.ts", `import type { SqlError } from "@effect/sql/SqlError"`]
    ])
    expect(sqlOutsidePersistence(fine)).toEqual([])
  })
})

describe("import rules", () => {
  it("every import in the tree points the allowed way", () => {
    const graph = importGraph()
    // the graph is real: the packages are there and import each other
    expect(graph.size).toBeGreaterThan(300)
    expect(graph.get("cli/commands.ts")).toContain("kiosk/cli/serve.ts")
    expect(violations(graph)).toEqual([])
  })

  it("the check finds each kind of wrong-way import", () => {
    const wrong = new Map<string, ReadonlyArray<string>>([
      ["core/workflows/Pickup.ts", ["kiosk/composition.ts"]],
      ["analytics/run.ts", ["core/persistence/EventLog.ts"]],
      ["kiosk/http/dashboard.ts", ["cli/report/write.ts"]],
      ["kiosk/http/server.ts", ["scenarios/cli/scenario.ts"]],
      ["bench/pickup.ts", ["test/support/terminal.ts"]],
      ["hardware-sim/protocol/pty.ts", ["kiosk/devices/serialLine.ts"]]
    ])
    expect(violations(wrong)).toHaveLength(6)
    // and lets the allowed ones through
    const right = new Map<string, ReadonlyArray<string>>([
      ["kiosk/http/dashboard.ts", ["analytics/run.ts", "core/domain/config.ts"]],
      ["cli/main.ts", ["scenarios/cli/scenario.ts", "kiosk/cli/serve.ts"]],
      ["test/analytics/report.test.ts", ["cli/report.ts"]],
      ["analytics/run.ts", ["core/domain/events.ts"]]
    ])
    expect(violations(right)).toEqual([])
  })

  it("reads the import forms the tree uses", () => {
    const text = `import { a } from "./a.ts"\nimport type { B } from "../b.ts"\nexport * from "./c.ts"\nconst d = await import("./d.ts")\n`
    expect([...text.matchAll(specifier)].map((m) => m[1] ?? m[2])).toEqual(["./a.ts", "../b.ts", "./c.ts", "./d.ts"])
  })
})
