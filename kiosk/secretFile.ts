/**
 * The terminal's secrets (the card key, the kiosk key, the audit key): each
 * from an environment variable if one is named and set, else from a file —
 * created from the CSPRNG on first start where the program may make one. The
 * file is written with mode 0600 and never overwritten (a malformed file
 * stays as it is, for the operator to look at); a file that is read is set
 * to 0600 again. Every failure is one SecretFileError whose message says in
 * one sentence which file or variable is wrong, and how.
 */
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Config, Data, Effect, Option } from "effect"
import { randomBytes } from "node:crypto"
import { dirname } from "node:path"

export class SecretFileError extends Data.TaggedError("SecretFileError")<{
  /**
   * Missing: no file and none may be made; Unreadable: the file (or variable) cannot be read;
   * Malformed: it holds no valid key; Unwritable: the file cannot be created or set to mode 0600.
   */
  readonly reason: "Missing" | "Unreadable" | "Malformed" | "Unwritable"
  /** The file, or the environment variable, the key came from. */
  readonly source: string
  readonly message: string
}> {}

export interface SecretFile {
  /** What the key is, in the messages: "card key" gives "the card key must be …". */
  readonly name: string
  readonly file: string
  /** An environment variable that, when set, wins over the file (which is then not touched). */
  readonly env?: string | undefined
  /** What a valid key looks like (the text, trimmed). */
  readonly pattern: RegExp
  /** What a valid key is, ending "the card key must be …": "at least 16 bytes in hex". */
  readonly valid: string
  /** A new key's text when the file is missing; without it a missing file is an error. */
  readonly generate?: Effect.Effect<string> | undefined
  /** Ends "no audit key at FILE …" when the file is missing and none is made. */
  readonly whenMissing?: string | undefined
}

/** `bytes` random bytes from the operating system's CSPRNG, in hex. */
export const randomHex = (bytes: number) => Effect.sync(() => randomBytes(bytes).toString("hex"))

/** `bytes` random bytes from the operating system's CSPRNG, in base64url. */
export const randomBase64url = (bytes: number) => Effect.sync(() => randomBytes(bytes).toString("base64url"))

/** The key's text as bytes (its pattern has checked it is hex). */
export const hexBytes = (text: string) => new Uint8Array(Buffer.from(text, "hex"))

/** What the file system said, without the path the sentence names already. */
const detail = (e: PlatformError) => e._tag === "SystemError" ? (e.description ?? e.reason) : e.message

const isAlreadyExists = (e: PlatformError) => e._tag === "SystemError" && e.reason === "AlreadyExists"

/**
 * The key's text (trimmed): the environment variable if named and set, else the file, created
 * with a new key (mode 0600) when missing and `generate` is given.
 */
export const loadSecretFile = Effect.fn("SecretFile.load")(function*(secret: SecretFile) {
  const { file, name } = secret
  const fail = (reason: SecretFileError["reason"], source: string, message: string) => new SecretFileError({ reason, source, message })

  if (secret.env !== undefined) {
    const env = secret.env
    const value = yield* Effect.mapError(
      Config.option(Config.string(env)),
      (e) => fail("Unreadable", env, `${env}: the ${name} cannot be read (${e.message})`)
    )
    if (Option.isSome(value)) {
      const text = value.value.trim()
      if (!secret.pattern.test(text)) return yield* fail("Malformed", env, `${env}: the ${name} must be ${secret.valid}`)
      return text
    }
  }

  const fs = yield* FileSystem.FileSystem
  const present = yield* Effect.mapError(fs.exists(file), (e) => fail("Unreadable", file, `${file}: the ${name} cannot be read (${detail(e)})`))
  if (!present) {
    if (secret.generate === undefined) {
      return yield* fail("Missing", file, `no ${name} at ${file}${secret.whenMissing === undefined ? "" : ` ${secret.whenMissing}`}`)
    }
    const fresh = yield* secret.generate
    yield* fs.makeDirectory(dirname(file), { recursive: true }).pipe(
      // "wx": a key another process wrote in the meantime is kept, and read below
      Effect.zipRight(fs.writeFileString(file, fresh + "\n", { flag: "wx", mode: 0o600 })),
      Effect.catchIf(isAlreadyExists, () => Effect.void),
      Effect.mapError((e) => fail("Unwritable", file, `${file}: the ${name} cannot be created (${detail(e)})`))
    )
  }
  const text = (yield* Effect.mapError(fs.readFileString(file), (e) => fail("Unreadable", file, `${file}: the ${name} cannot be read (${detail(e)})`)))
    .trim()
  if (!secret.pattern.test(text)) return yield* fail("Malformed", file, `${file}: the ${name} must be ${secret.valid}`)
  yield* Effect.mapError(
    fs.chmod(file, 0o600),
    (e) => fail("Unwritable", file, `${file}: the ${name} cannot be made private to its owner (mode 0600: ${detail(e)})`)
  )
  return text
})
