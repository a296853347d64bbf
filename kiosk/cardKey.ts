/**
 * The card-hash key: the secret under which a card's number becomes the
 * pseudonym the event log keeps (docs/privacy.md). AMTOMAT_CARD_KEY (hex),
 * else a file (default `card.key` beside the database, mode 0600, 32 random
 * bytes in hex, created on first start). Never in the repository.
 */
import { Effect } from "effect"
import { dirname, resolve } from "node:path"
import { hexBytes, loadSecretFile, randomHex } from "./secretFile.ts"

/** The default place of the key: `card.key` beside the database. */
export const cardKeyFileFor = (dbFile: string) => resolve(dirname(resolve(dbFile)), "card.key")

/** The card-hash key: AMTOMAT_CARD_KEY, else the file, created if missing. */
export const loadCardKey = (file: string) =>
  Effect.map(
    loadSecretFile({
      name: "card key",
      file,
      env: "AMTOMAT_CARD_KEY",
      pattern: /^[0-9a-fA-F]{32,}$/,
      valid: "at least 16 bytes in hex",
      generate: randomHex(32)
    }),
    hexBytes
  )
