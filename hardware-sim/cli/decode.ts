/**
 * `amtomat decode <kerong|zvt|sms> <hex...>`: decodes captured bytes, one JSON
 * object per frame per line. Every error names its byte offset; the exit
 * status is non-zero when any frame is bad. Without hex arguments the bytes
 * are read as hex from standard input.
 */
import { Args, Command, Options } from "@effect/cli"
import { Console, Data, Effect, Either } from "effect"
import { readFileSync } from "node:fs"
import { decode, type DecodeProtocol, parseHex } from "./decodeFrames.ts"

export class BadFrames extends Data.TaggedError("BadFrames")<{ readonly message: string }> {}

const protocol = Args.choice<DecodeProtocol>([["kerong", "kerong"], ["zvt", "zvt"], ["sms", "sms"]], { name: "protocol" }).pipe(
  Args.withDescription("kerong (locker bus), zvt (card terminal: serial frames or bare APDUs), sms (AT traffic or one PDU)")
)
const hexArgs = Args.text({ name: "hex" }).pipe(
  Args.repeated,
  Args.withDescription("captured bytes in hex, e.g. 02 00 30 03 35 (spaces, colons optional); none: read standard input")
)
const polarity = Options.choice("polarity", ["1", "0"]).pipe(
  Options.withDefault("1" as const),
  Options.withDescription("kerong: lock-bit polarity of the board (1 = a set bit means locked)")
)

/** Decodes, prints the records, and counts the bad ones. */
export const runDecode = (which: DecodeProtocol, text: string, lockedBit: 0 | 1) =>
  Effect.gen(function*() {
    const bytes = parseHex(text)
    const records = Either.isLeft(bytes) ? [{ protocol: which, ...bytes.left }] : decode(which, bytes.right, { polarity: lockedBit })
    for (const r of records) yield* Console.log(JSON.stringify(r))
    const bad = records.filter((r) => r.error !== undefined).length
    if (bad > 0) return yield* new BadFrames({ message: `${bad} bad frame(s) in ${records.length} record(s)` })
    return records.length
  })

/** Standard output stays pure JSON lines: the verdict goes to standard error and into the exit status. */
const reportBadFrames = (e: BadFrames) =>
  Effect.zipRight(
    Console.error(`amtomat decode: ${e.message}`),
    Effect.sync(() => {
      process.exitCode = 1
    })
  )

export const decodeCommand = Command.make("decode", { protocol, hex: hexArgs, polarity }, (opts) =>
  Effect.gen(function*() {
    const text = opts.hex.length > 0 ? opts.hex.join(" ") : yield* Effect.sync(() => readFileSync(0, "utf8"))
    yield* runDecode(opts.protocol, text, opts.polarity === "0" ? 0 : 1).pipe(Effect.catchTag("BadFrames", reportBadFrames))
  })).pipe(Command.withDescription("decode captured device bytes: one JSON object per frame, errors with their byte offset"))
