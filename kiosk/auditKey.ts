/**
 * The audit key: the secret of the event rows' MACs and the head checkpoints
 * (core/persistence/EventLog.ts, anchor.ts). Kept apart from the database:
 * AMTOMAT_AUDIT_KEY (hex), else a file (default `audit.key` beside the
 * database, mode 0600, 32 random bytes in hex, created on first start).
 * Never in the repository. Whoever holds it can sign a rewritten log, so on a
 * real terminal it belongs to root only, the database to the service user.
 */
import { Effect, Layer } from "effect"
import { dirname, resolve } from "node:path"
import { AuditKey } from "../core/persistence/EventLog.ts"
import { hexBytes, loadSecretFile, randomHex } from "./secretFile.ts"

/** The default place of the key: `audit.key` beside the database. */
export const auditKeyFileFor = (dbFile: string) => resolve(dirname(resolve(dbFile)), "audit.key")

const auditKey = (file: string) => ({
  name: "audit key",
  file,
  env: "AMTOMAT_AUDIT_KEY",
  /** At least 32 bytes, in hex. */
  pattern: /^[0-9a-fA-F]{64,}$/,
  valid: "at least 32 bytes in hex"
})

/**
 * The key as an Effect: `create` for programs that write the log (the file is made with 32 random
 * bytes, mode 0600, if missing); else for checkers, where a missing file is a SecretFileError
 * ("Missing"): a new key would check nothing.
 */
export const auditKeyFrom = (file: string, options: { readonly create: boolean }) =>
  Effect.map(
    loadSecretFile(
      options.create
        ? { ...auditKey(file), generate: randomHex(32) }
        : { ...auditKey(file), whenMissing: "(give --key-file or set AMTOMAT_AUDIT_KEY): the MACs cannot be checked" }
    ),
    hexBytes
  )

/** AuditKey from auditKeyFrom, created if missing: for programs that append to the log. */
export const auditKeyLayer = (file: string) => Layer.effect(AuditKey, auditKeyFrom(file, { create: true }))
