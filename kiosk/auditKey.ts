/**
 * The audit key: the secret of the event rows' MACs and the head checkpoints
 * (core/persistence/EventLog.ts, anchor.ts). Kept apart from the database:
 * AMTOMAT_AUDIT_KEY (hex), else a file (default `audit.key` beside the
 * database, mode 0600, 32 random bytes in hex, created on first start).
 * Never in the repository. Whoever holds it can sign a rewritten log, so on a
 * real terminal it belongs to root only, the database to the service user.
 */
import { Data, Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { AuditKey } from "../core/persistence/EventLog.ts"

export class AuditKeyError extends Data.TaggedError("AuditKeyError")<{
  readonly reason: "Missing" | "Malformed" | "Unreadable"
  readonly message: string
}> {}

/** At least 32 bytes, in hex. */
const KEY = /^[0-9a-fA-F]{64,}$/

/** The default place of the key: `audit.key` beside the database. */
export const auditKeyFileFor = (dbFile: string) => resolve(dirname(resolve(dbFile)), "audit.key")

const fromEnv = (): Uint8Array | undefined => {
  const env = process.env["AMTOMAT_AUDIT_KEY"]
  if (env === undefined) return undefined
  if (!KEY.test(env.trim())) throw new AuditKeyError({ reason: "Malformed", message: "AMTOMAT_AUDIT_KEY: the audit key must be at least 32 bytes in hex" })
  return new Uint8Array(Buffer.from(env.trim(), "hex"))
}

const fromFile = (file: string): Uint8Array => {
  let text: string
  try {
    text = readFileSync(file, "utf8").trim()
  } catch (e) {
    throw new AuditKeyError({ reason: "Unreadable", message: `${file}: the audit key cannot be read (${e instanceof Error ? e.message : String(e)})` })
  }
  if (!KEY.test(text)) throw new AuditKeyError({ reason: "Malformed", message: `${file}: the audit key must be at least 32 bytes in hex` })
  chmodSync(file, 0o600)
  return new Uint8Array(Buffer.from(text, "hex"))
}

/**
 * The audit key for a terminal that writes the log: AMTOMAT_AUDIT_KEY (hex), else the file,
 * created with 32 random bytes (mode 0600) if missing. Throws an AuditKeyError (like
 * `loadCardKey` in cli/serve.ts, which it mirrors).
 */
export const loadAuditKey = (file: string): Uint8Array => {
  const env = fromEnv()
  if (env !== undefined) return env
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" })
  }
  return fromFile(file)
}

/** The audit key for checking: AMTOMAT_AUDIT_KEY, else the file; never created (a new key would check nothing). */
export const readAuditKey = (file: string): Uint8Array => {
  const env = fromEnv()
  if (env !== undefined) return env
  if (!existsSync(file)) {
    throw new AuditKeyError({ reason: "Missing", message: `no audit key at ${file} (give --key-file or set AMTOMAT_AUDIT_KEY): the MACs cannot be checked` })
  }
  return fromFile(file)
}

const attempt = (load: () => Uint8Array) =>
  Effect.try({
    try: load,
    catch: (e) => e instanceof AuditKeyError ? e : new AuditKeyError({ reason: "Unreadable", message: String(e instanceof Error ? e.message : e) })
  })

/** AuditKey from `loadAuditKey` (created if missing): for programs that append to the log. */
export const auditKeyLayer = (file: string) => Layer.effect(AuditKey, attempt(() => loadAuditKey(file)))

/** The key as an Effect: `create` for writers (loadAuditKey), else for checkers (readAuditKey). */
export const auditKeyFrom = (file: string, options: { readonly create: boolean }) => attempt(() => (options.create ? loadAuditKey(file) : readAuditKey(file)))
