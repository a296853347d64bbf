import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { spawnSync } from "node:child_process"
import * as Zvt from "../../core/protocols/zvt.ts"
import { runDecode } from "../../hardware-sim/cli/decode.ts"
import { decode, parseHex } from "../../hardware-sim/cli/decodeFrames.ts"
import { bin } from "../../kiosk/harness/process.ts"

const bytes = (h: string) => Either.getOrThrow(parseHex(h))
const cli = (...args: ReadonlyArray<string>) => spawnSync(process.execPath, [bin, "decode", ...args], { encoding: "utf8", timeout: 30_000 })

describe("amtomat decode", () => {
  it("hex input: separators are free, a stray character is named with its position", () => {
    expect([...bytes("02:00 30,0x03 35")]).toEqual([2, 0, 0x30, 3, 0x35])
    expect(parseHex("02 0G")).toMatchObject({ _tag: "Left", left: { offset: 4, error: "BadHex" } })
    expect(parseHex("02 0")).toMatchObject({ _tag: "Left", left: { error: "BadHex" } })
  })

  it("kerong: frames with their offsets, the status bits named, garbage and bad checksums located", () => {
    const out = decode("kerong", bytes("02 00 30 03 35 FF 02 00 35 FF FE 01 00 03 38 02 0F 31 03 46 02 00"))
    expect(out).toEqual([
      { protocol: "kerong", offset: 0, frame: "02 00 30 03 35", board: 0, command: "30", name: "status request" },
      { protocol: "kerong", offset: 5, error: "Garbage", message: "skipped 1 byte(s) that are not part of a frame at offset 5" },
      { protocol: "kerong", offset: 6, frame: "02 00 35 FF FE 01 00 03 38", board: 0, command: "35", name: "status", polarity: 1, openLocks: [9], items: [1] },
      { protocol: "kerong", offset: 19, error: "BadChecksum", message: "checksum 46 at offset 19, expected 45" },
      { protocol: "kerong", offset: 20, error: "Incomplete", message: "2 byte(s) of an unfinished frame at offset 20" }
    ])
    expect(decode("kerong", bytes("02 10 31 03 46 02 A0 37 00 32 03 0E"))).toMatchObject([
      { offset: 0, board: 1, lock: 1, name: "unlock" },
      { offset: 5, board: 10, milliseconds: 500, name: "set unlock time" }
    ])
    expect(decode("kerong", bytes("02 00 35 01 00 00 00 03 3B"), { polarity: 0 })).toMatchObject([{ openLocks: [1] }])
  })

  it("zvt: serial frames, ACK and NAK, a bad CRC, the captured Read Card as a bare APDU", () => {
    const serial = decode("zvt", bytes("10 02 06 00 06 12 34 56 BA 09 78 10 03 24 C3 06 10 02 80 00 00 10 03 F5 1E 15"))
    expect(serial).toMatchObject([
      { offset: 0, command: "06 00", name: "Registration", password: "123456", config: 0xba, currency: 978 },
      { offset: 15, name: "ACK" },
      { offset: 23, error: "BadCrc", message: "CRC F5 1E, expected F5 1F (frame from offset 16, at 23)" },
      { offset: 25, name: "NAK" }
    ])
    expect(decode("zvt", bytes("06 C0 0F 0F 19 10 FC 02 06 08 1F 15 01 D0 1F 60 01 07"))).toEqual([{
      protocol: "zvt",
      offset: 0,
      apdu: "06 C0 0F 0F 19 10 FC 02 06 08 1F 15 01 D0 1F 60 01 07",
      command: "06 C0",
      name: "ReadCard",
      timeoutSeconds: 15,
      cardType: 0x10,
      dialogControl: 2,
      tlv: [{ tag: "1F15", value: "D0" }, { tag: "1F60", value: "07" }]
    }])
    const info = Either.getOrThrow(Zvt.statusInformation({ result: 0x64 }))
    expect(decode("zvt", Zvt.frame(info))).toMatchObject([{ name: "StatusInformation", result: 0x64, resultText: "card not readable" }])
    expect(decode("zvt", bytes("04 0F 02 27"))).toMatchObject([{ offset: 0, error: "Truncated" }])
  })

  it("sms: the worked PDU, and an AT capture with prompt, PDU body, reference and a classified error", () => {
    expect(decode("sms", bytes("0011000B916407281553F80000AA0AE8329BFD4697D9EC37"))).toMatchObject([
      { offset: 0, name: "SMS-SUBMIT", to: "+46708251358", text: "hellohello", tpduLength: 23 }
    ])
    const capture = "AT+CMGS=23\r\r\n> 0011000B916407281553F80000AA0AE8329BFD4697D9EC37\x1a\r\n+CMGS: 5\r\n\r\nOK\r\n\r\n+CMS ERROR: 331\r\n"
    const out = decode("sms", Uint8Array.from(capture, (c) => c.charCodeAt(0)))
    expect(out).toMatchObject([
      { offset: 0, name: "command", text: "AT+CMGS=23" },
      { offset: 13, name: "Prompt" },
      { offset: 15, name: "SMS-SUBMIT", text: "hellohello" },
      { offset: 66, name: "info", info: "+CMGS", value: "5" },
      { offset: 78, name: "Ok" },
      { offset: 84, name: "CmsError", code: 331, class: "retry-later" }
    ])
    expect(decode("sms", bytes("0011000B9164"))).toMatchObject([{ offset: 0, error: "Truncated" }])
  })

  it.effect("runDecode prints one JSON object per line and fails with BadFrames when a frame is bad", () =>
    Effect.gen(function*() {
      expect(yield* runDecode("kerong", "02 00 30 03 35 02 00 30 03 35", 1)).toBe(2)
      const bad = yield* Effect.flip(runDecode("sms", "0011", 1))
      expect(bad).toMatchObject({ _tag: "BadFrames", message: "1 bad frame(s) in 1 record(s)" })
    }))

  it("the command: JSON lines on standard output, the verdict on standard error and in the exit status", () => {
    const bad = cli("zvt", "10 02 80 00 00 10 03 F5 1E", "10 02 80 00 00 10 03 F5 1F")
    expect(bad.status).toBe(1)
    expect(bad.stdout.trim().split("\n").map((l) => JSON.parse(l))).toMatchObject([
      { protocol: "zvt", offset: 7, error: "BadCrc" },
      { protocol: "zvt", offset: 9, name: "PositiveAnswer" }
    ])
    expect(bad.stderr).toContain("1 bad frame(s)")
  })
})
