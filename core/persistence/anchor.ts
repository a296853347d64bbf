/**
 * Anchoring the event log: signed head checkpoints kept where the terminal
 * cannot rewrite them.
 *
 * The hash chain shows a changed row, and the rows' MACs show a chain
 * recomputed without the audit key; neither shows a tail cut off (or every row
 * deleted), since what is left is still a valid chain. A checkpoint names the
 * head at a moment — `{ seq, hash, at, site, terminal, count }` with an
 * HMAC-SHA256 under the audit key over the canonical rest — one JSON line in
 * an anchor file on another medium, an append-only file (`chattr +a`) or a
 * system off the machine. Verification then needs every checkpoint's row to
 * be in the log with the same hash. Pure: no I/O here.
 */
import { Either, ParseResult, Schema } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import { canonicalJson } from "./canonical.ts"
import type { EventRow } from "./EventLog.ts"

const Hex64 = Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))

export const Checkpoint = Schema.Struct({
  /** The head's seq; 0 for an empty log. */
  seq: Schema.Int.pipe(Schema.nonNegative()),
  /** The head's hash (the genesis for an empty log). */
  hash: Hex64,
  /** When the checkpoint was made (UTC, ISO 8601). */
  at: Schema.String,
  site: Schema.String,
  terminal: Schema.String,
  /** How many rows the log held up to `seq`. */
  count: Schema.Int.pipe(Schema.nonNegative()),
  /** HMAC-SHA256 under the audit key over the canonical JSON of the other fields. */
  mac: Hex64
})
export type Checkpoint = typeof Checkpoint.Type
export type CheckpointBody = Omit<Checkpoint, "mac">

/** The row's MAC: HMAC-SHA256 under the audit key over the row's hash (which covers its content and the chain). */
export const macRow = (key: Uint8Array, hash: string): string => createHmac("sha256", key).update(hash).digest("hex")

/** Compares two hex MACs in constant time. */
export const macsEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, "hex")
  const y = Buffer.from(b, "hex")
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}

// The prefix keeps a checkpoint's MAC apart from a row's (over a bare hash).
const macInput = (body: CheckpointBody) =>
  "amtomat-checkpoint\n" +
  canonicalJson({ seq: body.seq, hash: body.hash, at: body.at, site: body.site, terminal: body.terminal, count: body.count })

export const signCheckpoint = (key: Uint8Array, body: CheckpointBody): Checkpoint => ({
  seq: body.seq,
  hash: body.hash,
  at: body.at,
  site: body.site,
  terminal: body.terminal,
  count: body.count,
  mac: createHmac("sha256", key).update(macInput(body)).digest("hex")
})

/** True when the checkpoint was made with this key and not changed since. */
export const checkpointSigned = (key: Uint8Array, checkpoint: Checkpoint): boolean => macsEqual(checkpoint.mac, signCheckpoint(key, checkpoint).mac)

/** One line of the anchor file (without the newline). */
export const encodeCheckpoint = (c: Checkpoint): string =>
  JSON.stringify({ seq: c.seq, hash: c.hash, at: c.at, site: c.site, terminal: c.terminal, count: c.count, mac: c.mac })

export interface AnchorLine {
  /** 1-based line number in the anchor file. */
  readonly line: number
  readonly checkpoint: Checkpoint
}

const decodeCheckpoint = Schema.decodeUnknownEither(Checkpoint)

/** The checkpoints of an anchor file, and one finding per line that is not one. */
export const parseAnchorFile = (text: string): { readonly anchors: ReadonlyArray<AnchorLine>; readonly problems: ReadonlyArray<string> } => {
  const anchors: Array<AnchorLine> = []
  const problems: Array<string> = []
  const lines = text.split("\n")
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return
    const unfinished = i === lines.length - 1 ? " (an unfinished last line: a write cut off?)" : ""
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch {
      problems.push(`anchor line ${i + 1} is not a checkpoint: not JSON${unfinished}`)
      return
    }
    const decoded = decodeCheckpoint(json)
    if (Either.isLeft(decoded)) {
      const why = ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((e) => `${e.path.join(".") || "line"}: ${e.message}`)[0] ?? "malformed"
      problems.push(`anchor line ${i + 1} is not a checkpoint: ${why}${unfinished}`)
      return
    }
    anchors.push({ line: i + 1, checkpoint: decoded.right })
  })
  return { anchors, problems }
}

export interface AnchorCheck {
  /** One sentence per problem; empty when every checkpoint is in the log. */
  readonly findings: ReadonlyArray<string>
  /** The highest checkpoint that is made with the key and matches the log; null if none. */
  readonly anchoredUpTo: Checkpoint | null
}

/**
 * Checks the rows (in stored order) against checkpoints: each checkpoint must be made with the
 * key, and its seq must be in the log with the same hash, site, terminal and count. A
 * checkpoint past the log's last row means the tail was cut (an empty log with a checkpoint
 * of a non-empty one: every row deleted).
 */
export const verifyAnchors = (rows: ReadonlyArray<EventRow>, anchors: ReadonlyArray<AnchorLine>, key: Uint8Array): AnchorCheck => {
  const findings: Array<string> = []
  const position = new Map<number, number>()
  rows.forEach((r, i) => position.set(r.seq, i))
  const lastSeq = rows.length > 0 ? rows[rows.length - 1]!.seq : 0
  let best: Checkpoint | null = null
  let cut: Checkpoint | null = null
  const rewritten: Array<Checkpoint> = []
  for (const { checkpoint: c, line } of anchors) {
    if (!checkpointSigned(key, c)) {
      findings.push(`anchor line ${line}: the checkpoint at seq ${c.seq} (${c.at}) was not made with this key (changed, or forged)`)
      continue
    }
    if (c.seq === 0) {
      if (best === null) best = c
      continue
    }
    const index = position.get(c.seq)
    if (index === undefined) {
      if (c.seq > lastSeq) {
        if (cut === null || c.seq > cut.seq) cut = c
      } else {
        findings.push(`row ${c.seq} is missing from the log: the checkpoint of ${c.at} names it`)
      }
      continue
    }
    const row = rows[index]!
    if (row.hash !== c.hash) {
      rewritten.push(c)
      continue
    }
    if (row.site !== c.site || row.terminal !== c.terminal) {
      findings.push(
        `anchor line ${line}: the checkpoint at seq ${c.seq} (${c.at}) is of terminal ${c.terminal} at ${c.site}, the log's row of terminal ${row.terminal} at ${row.site}`
      )
      continue
    }
    if (index + 1 !== c.count) {
      findings.push(`the log holds ${index + 1} rows up to seq ${c.seq}, the checkpoint of ${c.at} counted ${c.count}: rows were removed or added before it`)
      continue
    }
    if (best === null || c.seq > best.seq || (c.seq === best.seq && c.at > best.at)) best = c
  }
  if (rewritten.length > 0) {
    const first = rewritten.reduce((a, b) => (b.seq < a.seq ? b : a))
    const more = rewritten.length > 1 ? ` (${rewritten.length - 1} later checkpoint(s) disagree too)` : ""
    findings.unshift(`row ${first.seq} was rewritten: its hash differs from the checkpoint at seq ${first.seq} (${first.at})${more}`)
  }
  if (cut !== null) {
    const empty = rows.length === 0 ? " (the log is empty)" : ""
    findings.unshift(`the log was cut after seq ${lastSeq}${empty}: checkpoint at seq ${cut.seq} (${cut.at}) is missing from the log`)
  }
  return { findings, anchoredUpTo: best }
}
