/**
 * Identifiers and keyed card hashes for synthesised events, shaped like the
 * real ones (ord_/ses_/stf_/alm_/app_ + 12 base-36 characters), drawn from a
 * seeded stream so a run's log repeats exactly.
 */
import { keyedHash } from "../../core/workflows/support.ts"
import { cardIdOf } from "../../hardware-sim/behavioural/CardTwin.ts"
import type { Rng } from "../engine/rng.ts"

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

export const makeId = <P extends string>(rng: Rng, prefix: P): string => {
  let out = `${prefix}_`
  for (let i = 0; i < 12; i++) out += alphabet[rng.int(36)]
  return out
}

/** The session's card key, as CardSessions computes it from the card terminal's identifier. */
export const cardKeyOf = (key: Uint8Array, label: string): string => keyedHash(key, cardIdOf(label)).slice(0, 32)
