/**
 * Reading scenario files (YAML or JSON) and presets, with errors that name
 * the path and the problem: `sites[2].population: Expected a positive number,
 * actual -5`.
 *
 * Two conveniences are resolved before validation: `extends: <preset|file>`
 * (deep merge: objects merge, arrays replace — except `sites`, whose entries
 * merge by name) and `allSites: {...}`, a patch merged into every site.
 */
import { Data, Effect, Either, ParseResult, Schema } from "effect"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, extname, isAbsolute, join, resolve } from "node:path"
import { parse as parseYaml } from "yaml"
import { closest } from "../../core/domain/suggest.ts"
import { Scenario } from "./scenario.ts"

export interface Issue {
  readonly path: string
  readonly message: string
}

export class ScenarioError extends Data.TaggedError("ScenarioError")<{
  readonly reason: "NotFound" | "Syntax" | "Invalid"
  readonly source: string
  readonly issues: ReadonlyArray<Issue>
}> {
  override get message() {
    return this.issues.map((i) => `${this.source}: ${i.path === "" ? "" : `${i.path}: `}${i.message}`).join("\n")
  }
}

export const presetsDir = join(import.meta.dirname, "..", "presets")
export const presetNames = (): ReadonlyArray<string> => readdirSync(presetsDir).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort()

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v)

/** Deep merge for scenario documents: objects merge, arrays replace, `sites` merge by name. */
export const merge = (base: Json, patch: Json, key = ""): Json => {
  if (key === "sites" && Array.isArray(base) && Array.isArray(patch)) {
    const out = [...(base as ReadonlyArray<Json>)]
    for (const p of patch as ReadonlyArray<Json>) {
      const i = isObject(p) ? out.findIndex((b) => isObject(b) && b["name"] === p["name"]) : -1
      if (i >= 0) out[i] = merge(out[i]!, p)
      else out.push(p)
    }
    return out
  }
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, Json> = { ...base }
    for (const [k, v] of Object.entries(patch)) out[k] = k in out ? merge(out[k]!, v, k) : v
    return out
  }
  return patch
}

/** `sites[0].counter.hours.mon` from ["sites", 0, "counter", "hours", "mon"]. */
export const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`), "")

const decode = Schema.decodeUnknownEither(Scenario, { onExcessProperty: "error", errors: "all" })

/**
 * A file's problems as one line each with its path: a key that is not known says which was
 * probably meant; an optional field's "Expected undefined" beside the real problem below it
 * is left out. Scenario and sweep files both.
 */
export const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<Issue> => {
  const raw = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => {
    const key = i.path[i.path.length - 1]
    const expected = /^is unexpected, expected: (.*)$/.exec(i.message)
    if (expected === null || typeof key !== "string") return { path: pathText(i.path), message: i.message }
    const known = [...expected[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!)
    const near = closest(key, known)
    return {
      path: pathText(i.path),
      message: near === undefined ? `is not a known key (known: ${known.join(", ")})` : `is not a known key; did you mean ${near}?`
    }
  })
  const issues = raw.filter((i) =>
    !(i.message.startsWith("Expected undefined, actual") && raw.some((o) => o !== i && (o.path.startsWith(i.path) || i.path === "")))
  )
  return issues.length > 0 ? issues : raw
}

/** Validates a parsed document; the issues name their paths. */
export const decodeScenario = (doc: unknown, source = "scenario"): Effect.Effect<typeof Scenario.Type, ScenarioError> => {
  const result = decode(doc)
  if (Either.isRight(result)) return Effect.succeed(result.right)
  return Effect.fail(new ScenarioError({ reason: "Invalid", source, issues: issuesOf(result.left) }))
}

/** What is missing, said for a preset name too: the presets there are, and the one that was probably meant. */
const notFound = (file: string, ref: string) => {
  const looksLikePreset = /^[A-Za-z0-9_-]+$/.test(ref)
  const near = looksLikePreset ? closest(ref, presetNames()) : undefined
  const message = looksLikePreset
    ? `no such preset or file${near === undefined ? "" : `; did you mean ${near}?`} (the presets: ${presetNames().join(", ")})`
    : "no such file"
  return new ScenarioError({ reason: "NotFound", source: looksLikePreset ? ref : file, issues: [{ path: "", message }] })
}

const readDocument = (file: string, ref = file): Effect.Effect<Json, ScenarioError> =>
  Effect.gen(function*() {
    if (!existsSync(file)) return yield* notFound(file, ref)
    const text = readFileSync(file, "utf8")
    return yield* Effect.try({
      try: () => (extname(file) === ".json" ? JSON.parse(text) : parseYaml(text)) as Json,
      catch: (e) => new ScenarioError({ reason: "Syntax", source: file, issues: [{ path: "", message: e instanceof Error ? e.message : String(e) }] })
    })
  })

const locate = (ref: string, from: string): string => {
  if (/^[a-z0-9-]+$/.test(ref) && existsSync(join(presetsDir, `${ref}.yaml`))) return join(presetsDir, `${ref}.yaml`)
  return isAbsolute(ref) ? ref : resolve(from, ref)
}

/** A document with `extends` and `allSites` resolved (at most 8 levels of extends). */
export const resolveDocument = (ref: string, from = process.cwd(), depth = 0): Effect.Effect<Json, ScenarioError> =>
  Effect.gen(function*() {
    const file = locate(ref, from)
    if (depth > 8) {
      return yield* new ScenarioError({ reason: "Invalid", source: file, issues: [{ path: "extends", message: "extends nests too deep (a cycle?)" }] })
    }
    const doc = yield* readDocument(file, ref)
    if (!isObject(doc)) {
      return yield* new ScenarioError({ reason: "Invalid", source: file, issues: [{ path: "", message: "a scenario file must hold an object" }] })
    }
    const { extends: parent, allSites, ...own } = doc
    if (parent !== undefined && typeof parent !== "string") {
      return yield* new ScenarioError({ reason: "Invalid", source: file, issues: [{ path: "extends", message: "must name a preset or a file" }] })
    }
    let merged: Json = parent === undefined ? own : merge(yield* resolveDocument(parent, dirname(file), depth + 1), own)
    if (allSites !== undefined) {
      if (!isObject(allSites)) {
        return yield* new ScenarioError({ reason: "Invalid", source: file, issues: [{ path: "allSites", message: "must be an object" }] })
      }
      const sites = isObject(merged) && Array.isArray(merged["sites"]) ? (merged["sites"] as ReadonlyArray<Json>) : []
      merged = {
        ...(merged as Record<string, Json>),
        sites: sites.map((s) => merge(s, allSites))
      }
    }
    return merged
  })

/**
 * An issue's path as the user's own file counts it: the merged document holds the preset's
 * sites first, so its `sites[6]` is the user's `sites[0]`; a site only the preset has is
 * named instead ("sites (Mendig, from the preset)").
 */
const ownSitePath = (path: string, merged: Json, own: Json): string => {
  const m = /^sites\[(\d+)\](.*)$/.exec(path)
  if (m === null || !isObject(merged) || !Array.isArray(merged["sites"])) return path
  const site = (merged["sites"] as ReadonlyArray<Json>)[Number(m[1])]
  const name = isObject(site) && typeof site["name"] === "string" ? site["name"] : undefined
  if (name === undefined) return path
  const mine = isObject(own) && Array.isArray(own["sites"]) ? (own["sites"] as ReadonlyArray<Json>).findIndex((s) => isObject(s) && s["name"] === name) : -1
  return mine >= 0 ? `sites[${mine}]${m[2]}` : `sites (${name}, from the preset)${m[2]}`
}

/** Loads a preset by name or a scenario file by path, validated; issue paths count the file's own sites. */
export const loadScenario = (ref: string, from = process.cwd()): Effect.Effect<typeof Scenario.Type, ScenarioError> =>
  Effect.gen(function*() {
    const file = locate(ref, from)
    const merged = yield* resolveDocument(ref, from)
    return yield* decodeScenario(merged, file).pipe(
      Effect.catchAll((e): Effect.Effect<never, ScenarioError> =>
        Effect.flatMap(readDocument(file, ref), (own) =>
          Effect.fail(
            new ScenarioError({ reason: e.reason, source: e.source, issues: e.issues.map((i) => ({ ...i, path: ownSitePath(i.path, merged, own) })) })
          ))
      )
    )
  })

/** Validates a scenario given as text (YAML or JSON). */
export const parseScenarioText = (text: string, source = "scenario") =>
  Effect.gen(function*() {
    const doc = yield* Effect.try({
      try: () => parseYaml(text) as Json,
      catch: (e) => new ScenarioError({ reason: "Syntax", source, issues: [{ path: "", message: e instanceof Error ? e.message : String(e) }] })
    })
    if (isObject(doc) && (doc["extends"] !== undefined || doc["allSites"] !== undefined)) {
      return yield* new ScenarioError({
        reason: "Invalid",
        source,
        issues: [{ path: "extends", message: "extends and allSites need a file; use loadScenario" }]
      })
    }
    return yield* decodeScenario(doc, source)
  })
