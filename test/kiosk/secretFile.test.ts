/**
 * The one loader of the terminal's secrets (kiosk/secretFile.ts) and the three
 * keys on it: a missing file is made with mode 0600 and read back the same; a
 * malformed file, an unreadable one (a directory: tests run as root, where
 * chmod 000 hides nothing) and a malformed variable each fail with their
 * reason and one sentence, and change nothing; a variable wins over the file.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { auditKeyFrom } from "../../kiosk/auditKey.ts"
import { loadCardKey } from "../../kiosk/cardKey.ts"
import { loadKioskKey } from "../../kiosk/cli/network.ts"
import { loadSecretFile, randomHex, type SecretFile } from "../../kiosk/secretFile.ts"

const folder = () => mkdtempSync(join(tmpdir(), "amtomat-secret-"))
const modeOf = (file: string) => statSync(file).mode & 0o777

/** The file system, and an environment holding exactly `env` (the machine's own variables never leak in). */
const withEnv = (env: Record<string, string> = {}) =>
  Layer.merge(NodeFileSystem.layer, Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

const testKey = (file: string): SecretFile => ({
  name: "test key",
  file,
  env: "AMTOMAT_TEST_KEY",
  pattern: /^[0-9a-f]{32,}$/,
  valid: "at least 16 bytes in hex",
  generate: randomHex(16)
})

describe("loadSecretFile", () => {
  it.effect("a missing file (and its folder) is created with mode 0600 and a valid key, then read back the same", () =>
    Effect.gen(function*() {
      const file = join(folder(), "keys", "test.key")
      const made = yield* loadSecretFile(testKey(file))
      expect(made).toMatch(/^[0-9a-f]{32}$/)
      expect(readFileSync(file, "utf8")).toBe(made + "\n")
      expect(modeOf(file)).toBe(0o600)
      expect(yield* loadSecretFile(testKey(file))).toBe(made)
      expect(readFileSync(file, "utf8")).toBe(made + "\n")
    }).pipe(Effect.provide(withEnv())))

  it.effect("a key file others may read is made private to its owner when read", () =>
    Effect.gen(function*() {
      const file = join(folder(), "test.key")
      writeFileSync(file, "ab".repeat(16) + "\n", { mode: 0o644 })
      chmodSync(file, 0o644)
      expect(yield* loadSecretFile(testKey(file))).toBe("ab".repeat(16))
      expect(modeOf(file)).toBe(0o600)
    }).pipe(Effect.provide(withEnv())))

  it.effect("a malformed file: Malformed, one sentence naming the file, and the file is not overwritten", () =>
    Effect.gen(function*() {
      const file = join(folder(), "test.key")
      writeFileSync(file, "not a key\n", { mode: 0o644 })
      const error = yield* Effect.flip(loadSecretFile(testKey(file)))
      expect(error).toMatchObject({
        _tag: "SecretFileError",
        reason: "Malformed",
        source: file,
        message: `${file}: the test key must be at least 16 bytes in hex`
      })
      expect(readFileSync(file, "utf8")).toBe("not a key\n")
      expect(modeOf(file)).toBe(0o644)
    }).pipe(Effect.provide(withEnv())))

  it.effect("an unreadable file (a directory where the file should be): Unreadable, one sentence, nothing changed", () =>
    Effect.gen(function*() {
      const file = join(folder(), "test.key")
      mkdirSync(file)
      const error = yield* Effect.flip(loadSecretFile(testKey(file)))
      expect(error.reason).toBe("Unreadable")
      expect(error.source).toBe(file)
      expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the test key cannot be read \\(EISDIR[^)]*\\)$`))
      expect(statSync(file).isDirectory()).toBe(true)
    }).pipe(Effect.provide(withEnv())))

  it.effect("a malformed environment variable: Malformed, one sentence naming the variable, and no file is made", () =>
    Effect.gen(function*() {
      const file = join(folder(), "test.key")
      const error = yield* Effect.flip(loadSecretFile(testKey(file)))
      expect(error).toMatchObject({
        reason: "Malformed",
        source: "AMTOMAT_TEST_KEY",
        message: "AMTOMAT_TEST_KEY: the test key must be at least 16 bytes in hex"
      })
      expect(existsSync(file)).toBe(false)
    }).pipe(Effect.provide(withEnv({ AMTOMAT_TEST_KEY: "xyz" }))))

  it.effect("a valid environment variable wins over the file, which is neither read nor made", () =>
    Effect.gen(function*() {
      const dir = folder()
      const absent = join(dir, "absent.key")
      expect(yield* loadSecretFile(testKey(absent))).toBe("cd".repeat(16))
      expect(existsSync(absent)).toBe(false)
      const malformed = join(dir, "malformed.key")
      writeFileSync(malformed, "not a key\n")
      expect(yield* loadSecretFile(testKey(malformed))).toBe("cd".repeat(16))
    }).pipe(Effect.provide(withEnv({ AMTOMAT_TEST_KEY: ` ${"cd".repeat(16)}\n` }))))

  it.effect("without a generator a missing file is Missing, and none is made", () =>
    Effect.gen(function*() {
      const file = join(folder(), "test.key")
      const error = yield* Effect.flip(loadSecretFile({ ...testKey(file), generate: undefined, whenMissing: "(give --key-file): nothing can be checked" }))
      expect(error).toMatchObject({ reason: "Missing", source: file, message: `no test key at ${file} (give --key-file): nothing can be checked` })
      expect(existsSync(file)).toBe(false)
    }).pipe(Effect.provide(withEnv())))
})

describe("the terminal's keys", () => {
  it.effect("card key: made with 32 bytes in hex; AMTOMAT_CARD_KEY wins; a malformed file says what a card key is", () =>
    Effect.gen(function*() {
      const dir = folder()
      const key = yield* loadCardKey(join(dir, "card.key"))
      expect(key).toHaveLength(32)
      expect(modeOf(join(dir, "card.key"))).toBe(0o600)
      writeFileSync(join(dir, "bad.key"), "00\n")
      expect((yield* Effect.flip(loadCardKey(join(dir, "bad.key")))).message).toBe(`${join(dir, "bad.key")}: the card key must be at least 16 bytes in hex`)
      const fromEnv = yield* loadCardKey(join(dir, "bad.key")).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["AMTOMAT_CARD_KEY", "00112233445566778899aabbccddeeff"]])))
      )
      expect(Buffer.from(fromEnv).toString("hex")).toBe("00112233445566778899aabbccddeeff")
    }).pipe(Effect.provide(withEnv())))

  it.effect("kiosk key: made with 32 bytes in base64url; AMTOMAT_KIOSK_KEY wins; a malformed one says what a kiosk key is", () =>
    Effect.gen(function*() {
      const dir = folder()
      const key = yield* loadKioskKey(join(dir, "kiosk.key"))
      expect(key).toMatch(/^[0-9A-Za-z_-]{43}$/)
      expect(modeOf(join(dir, "kiosk.key"))).toBe(0o600)
      const malformed = yield* Effect.flip(
        loadKioskKey(join(dir, "kiosk.key")).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["AMTOMAT_KIOSK_KEY", "short"]])))
        )
      )
      expect(malformed.message).toBe("AMTOMAT_KIOSK_KEY: the kiosk key must be at least 32 characters of A-Z, a-z, 0-9, - and _")
      const fromEnv = yield* loadKioskKey(join(dir, "other.key")).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["AMTOMAT_KIOSK_KEY", "k".repeat(32)]])))
      )
      expect(fromEnv).toBe("k".repeat(32))
      expect(existsSync(join(dir, "other.key"))).toBe(false)
    }).pipe(Effect.provide(withEnv())))

  it.effect("audit key: made for a writer, never for a checker, whose missing key means the MACs cannot be checked", () =>
    Effect.gen(function*() {
      const dir = folder()
      const missing = yield* Effect.flip(auditKeyFrom(join(dir, "audit.key"), { create: false }))
      expect(missing).toMatchObject({
        reason: "Missing",
        message: `no audit key at ${join(dir, "audit.key")} (give --key-file or set AMTOMAT_AUDIT_KEY): the MACs cannot be checked`
      })
      expect(existsSync(join(dir, "audit.key"))).toBe(false)
      const made = yield* auditKeyFrom(join(dir, "audit.key"), { create: true })
      expect(made).toHaveLength(32)
      expect(modeOf(join(dir, "audit.key"))).toBe(0o600)
      expect(yield* auditKeyFrom(join(dir, "audit.key"), { create: false })).toEqual(made)
      const malformed = yield* Effect.flip(
        auditKeyFrom(join(dir, "audit.key"), { create: true }).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["AMTOMAT_AUDIT_KEY", "00"]])))
        )
      )
      expect(malformed.message).toBe("AMTOMAT_AUDIT_KEY: the audit key must be at least 32 bytes in hex")
    }).pipe(Effect.provide(withEnv())))
})
