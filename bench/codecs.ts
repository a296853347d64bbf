/**
 * Codec throughput: frames per second for each protocol's encode and decode
 * paths, as JSON lines. Run: npx tsx bench/codecs.ts [seconds per case], or
 * import `codecBenches` (e.g. from bench/run.ts). A measuring script, so it
 * reads the wall clock directly.
 */
import { Either } from "effect"
import { pathToFileURL } from "node:url"
import * as Kerong from "../core/protocols/kerong.ts"
import * as Sms from "../core/protocols/sms.ts"
import * as Zvt from "../core/protocols/zvt.ts"

const ok = <A, E>(e: Either.Either<A, E>): A => Either.getOrThrowWith(e, (err) => new Error(String(err)))

/** Runs `once` (which handles `frames` frames per call) for about `seconds`; reports frames per second. */
const measure = (seconds: number, protocol: string, op: string, frames: number, once: () => unknown) => {
  for (let i = 0; i < 200; i++) once()
  let calls = 0
  const start = performance.now()
  const until = start + seconds * 1000
  while (performance.now() < until) {
    for (let i = 0; i < 50; i++) once()
    calls += 50
  }
  const elapsed = (performance.now() - start) / 1000
  return { bench: "codec", protocol, op, frames: calls * frames, seconds: Number(elapsed.toFixed(3)), framesPerSecond: Math.round((calls * frames) / elapsed) }
}

// Kerong: a status frame each way, and a noisy bus capture through the splitter
const locked = Array.from({ length: 16 }, (_, i) => i !== 8)
const items = Array.from({ length: 16 }, (_, i) => i === 0)
const status = ok(Kerong.encodeStatusReply(0, locked, items))
const capture = Uint8Array.from(Array.from({ length: 100 }, (_, i) => [...(i % 10 === 0 ? [0xff, 0x02] : []), ...status]).flat())

// ZVT: Status Information with a 1F14, framed and deframed
const info = ok(Zvt.statusInformation({ result: 0, terminalId: "29001234", cardId: Uint8Array.from({ length: 10 }, (_, i) => i * 0x11) }))
const wire = Zvt.frame(info)
const stream = Uint8Array.from(Array.from({ length: 100 }, () => [...wire, Zvt.ACK]).flat())

// SMS: SMS-SUBMIT PDU both ways, and modem output through the AT parser
const text = "Amt-O-Mat Code: 123456. Gültig 10 Min. Niemals weitergeben. / Never share this code."
const pdu = ok(Sms.encodeSubmitPdu({ to: "+4915112345678", text }))
const answers = "\r\n+CMGS: 17\r\n\r\nOK\r\n".repeat(100)

/** Every case, about `seconds` each. */
export const codecBenches = (seconds = 0.5): ReadonlyArray<Record<string, unknown>> => [
  measure(seconds, "kerong", "encodeStatusReply", 1, () => Kerong.encodeStatusReply(0, locked, items)),
  measure(seconds, "kerong", "decodeStatus", 1, () => Kerong.decodeStatus(status)),
  measure(seconds, "kerong", "splitFrames (100 frames + noise)", 100, () => Kerong.splitFrames(capture)),
  measure(seconds, "zvt", "statusInformation + frame", 1, () => Zvt.frame(ok(Zvt.statusInformation({ result: 0, cardId: Uint8Array.of(1, 2, 3, 4) })))),
  measure(seconds, "zvt", "Deframer (100 frames + ACKs)", 100, () => new Zvt.Deframer().push(stream)),
  measure(seconds, "zvt", "parseStatusInformation", 1, () => Zvt.parseStatusInformation(info)),
  measure(seconds, "sms", "encodeSubmitPdu", 1, () => Sms.encodeSubmitPdu({ to: "+4915112345678", text })),
  measure(seconds, "sms", "decodeSubmitPdu", 1, () => Sms.decodeSubmitPdu(pdu.pdu)),
  measure(seconds, "sms", "AtLineParser (100 answers)", 100, () => new Sms.AtLineParser().push(answers))
]

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of codecBenches(Number(process.argv[2] ?? 0.5))) console.log(JSON.stringify(r))
}
