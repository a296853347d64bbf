/**
 * Writing the run directory: manifest.json, summary.json and per replicate
 * events.ndjson, daily.csv, survey.csv (docs/run-format.md).
 */
import { Data, Effect } from "effect"
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { EventRow } from "../../core/persistence/EventLog.ts"
import { ndjsonLine } from "./eventlog.ts"

export class OutputError extends Data.TaggedError("OutputError")<{ readonly path: string; readonly message: string }> {}

const attempt = <A>(path: string, f: () => A) =>
  Effect.try({ try: f, catch: (e) => new OutputError({ path, message: `${path}: ${e instanceof Error ? e.message : String(e)}` }) })

export const ensureDir = (dir: string) => attempt(dir, () => mkdirSync(dir, { recursive: true }))

export const writeText = (path: string, text: string) => attempt(path, () => writeFileSync(path, text))

export const writeJson = (path: string, value: unknown) => writeText(path, JSON.stringify(value, null, 2) + "\n")

/** Streams the event rows as NDJSON (the log of a long run does not fit in one string). */
export const writeEvents = (path: string, rows: ReadonlyArray<EventRow>) =>
  Effect.async<void, OutputError>((resume) => {
    const stream = createWriteStream(path)
    stream.on("error", (e) => resume(Effect.fail(new OutputError({ path, message: `${path}: ${e.message}` }))))
    let i = 0
    const pump = () => {
      while (i < rows.length) {
        const chunk = rows.slice(i, i + 2000).map((r) => ndjsonLine(r) + "\n").join("")
        i += 2000
        if (!stream.write(chunk)) return void stream.once("drain", pump)
      }
      stream.end(() => resume(Effect.void))
    }
    pump()
  })

const root = join(import.meta.dirname, "..", "..")

/** The package version and, when a checkout is at hand, the commit (read from .git, no git needed). */
export const codeVersion = (): { readonly version: string; readonly commit: string | null } => {
  const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version
  try {
    const head = readFileSync(join(root, ".git", "HEAD"), "utf8").trim()
    if (!head.startsWith("ref: ")) return { version, commit: head }
    const ref = join(root, ".git", head.slice(5))
    if (existsSync(ref)) return { version, commit: readFileSync(ref, "utf8").trim() }
    const packed = readFileSync(join(root, ".git", "packed-refs"), "utf8").split("\n").find((l) => l.endsWith(head.slice(5)))
    return { version, commit: packed?.split(" ")[0] ?? null }
  } catch {
    return { version, commit: null }
  }
}
