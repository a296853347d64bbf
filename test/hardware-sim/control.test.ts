/**
 * The twins' control API (hardware-sim/control) against a real `amtomat twin
 * --control-port 0`: the protocol twins on pseudo-terminals in another
 * process, driven through the HttpApi client. Every operation changes the
 * twin, seen on the serial side (what a driver would read) or in the devices
 * view; a request that does not fit gets a 400 or 404 with one sentence and
 * changes nothing; and the API answers on loopback only.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Queue } from "effect"
import { existsSync } from "node:fs"
import { join } from "node:path"
import * as Kerong from "../../core/protocols/kerong.ts"
import * as TwinControl from "../../hardware-sim/control/client.ts"
import { openSerialLine } from "../../hardware-sim/protocol/line.ts"
import { makeOtherHost } from "../support/otherHost.ts"
import { type Printed, socat, startTwinProcess } from "./twinProcess.ts"

const twinProcess = socat ? startTwinProcess("amtomat-control-") : undefined
const dir = twinProcess?.dir ?? ""
/** Another host on the network (a network namespace), for the loopback-only rule. */
const other = socat ? makeOtherHost() : "socat is not installed"
const one = { board: 0, lock: 1 }
const two = { board: 0, lock: 2 }
const intake = { board: 0, lock: 16 }

let printed: Printed | undefined
beforeAll(async () => {
  if (twinProcess !== undefined) printed = await twinProcess.printed
}, 30_000)

afterAll(async () => {
  await twinProcess?.stop()
  if (typeof other !== "string") other.close()
})

const twin = () => printed!

/** The remote hands on fresh twins. */
const fresh = Effect.gen(function*() {
  const remote = yield* TwinControl.client(twin().control)
  yield* Effect.orDie(remote.twins.reset)
  return remote
})

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
const text = (b: Uint8Array) => String.fromCharCode(...b)

/**
 * The host's end of a device's pseudo-terminal: write (after dropping what came before), then collect
 * what comes back within `wait`; with nothing to write, only listen.
 */
const serial = (path: string, baudRate: number) =>
  Effect.gen(function*() {
    const line = yield* openSerialLine({ path, baudRate })
    return (out: Uint8Array | string, wait: Duration.DurationInput = "100 millis") =>
      Effect.gen(function*() {
        if (out.length > 0) {
          yield* Queue.takeAll(line.input)
          yield* line.write(typeof out === "string" ? ascii(out) : out)
        }
        yield* Effect.sleep(wait)
        return Uint8Array.from([...(yield* Queue.takeAll(line.input))].flatMap((c) => [...c]))
      })
  })

const statusRequest = Either.getOrThrow(Kerong.encodeStatusRequest(0))
const unlock = (lock: number) => Either.getOrThrow(Kerong.encodeUnlock(0, lock))

/** A raw request to the control API, for what the client would never send. */
const send = (method: string, path: string, body?: string, contentType = "application/json") =>
  Effect.promise(async () => {
    const r = await fetch(`${twin().control}${path}`, {
      method,
      ...(body === undefined ? {} : { body, headers: { "content-type": contentType } })
    })
    return { status: r.status, type: r.headers.get("content-type") ?? "", body: await r.text() }
  })

/** Everything the bad requests below could change. */
const snapshot = Effect.gen(function*() {
  const parts = yield* Effect.forEach(["/api/twin/devices", "/api/twin/sms", "/api/twin/kerong/faults", "/api/twin/modem/sim"], (p) => send("GET", p))
  for (const p of parts) expect(p.status).toBe(200)
  return parts.map((p) => p.body)
})

describe.skipIf(!socat)("twin control API, against `amtomat twin` in another process", () => {
  it.scopedLive("the hands: slots, boards, the card slot and the phones", () =>
    Effect.gen(function*() {
      const remote = yield* fresh
      const bus = yield* serial(twin().locker, 19200)
      const status = Effect.map(bus(statusRequest), (b) => Either.getOrThrow(Kerong.decodeStatus(b)))
      const lockAt = (lock: number) => Effect.map(remote.locker.locks, (ls) => ls.find((l) => l.channel.lock === lock)!)

      expect((yield* remote.locker.locks).map((l) => l.channel)).toEqual([one, two, intake])
      // a closed compartment refuses an item: the twin's own refusal, 409, as TwinError
      expect(yield* Effect.flip(remote.locker.putItem(one))).toMatchObject({ _tag: "TwinError", message: "compartment 0:1 is closed" })
      yield* bus(unlock(1))
      expect((yield* status).locked[0]).toBe(false)
      yield* remote.locker.putItem(one)
      expect((yield* status).items[0]).toBe(true)
      yield* remote.locker.takeItem(one)
      expect((yield* status).items[0]).toBe(false)
      yield* remote.locker.close(one)
      expect((yield* status).locked[0]).toBe(true)

      yield* remote.locker.jam(one, true)
      expect(yield* lockAt(1)).toMatchObject({ jammed: true })
      yield* bus(unlock(1))
      expect((yield* status).locked[0]).toBe(true)
      yield* remote.locker.jam(one, false)
      expect(yield* lockAt(1)).toMatchObject({ jammed: false })

      yield* remote.locker.stickSensor(two, true)
      expect((yield* status).items[1]).toBe(true)
      expect(yield* lockAt(2)).toMatchObject({ item: false, stuckSensor: true })
      yield* remote.locker.stickSensor(two, null)
      expect((yield* status).items[1]).toBe(false)

      yield* remote.locker.setBoardOnline(0, false)
      expect(yield* remote.locker.boardsOffline).toEqual([0])
      expect(yield* bus(statusRequest)).toHaveLength(0)
      yield* remote.locker.setBoardOnline(0, true)
      expect(yield* remote.locker.boardsOffline).toEqual([])
      expect((yield* bus(statusRequest)).length).toBeGreaterThan(0)

      // the intake is a chute: pushed shut, what lies on the flap drops into the bin
      yield* bus(unlock(16))
      yield* remote.locker.putItem(intake)
      yield* remote.locker.close(intake)
      expect(yield* remote.locker.binned).toBe(1)

      yield* remote.card.insert("alice")
      expect(yield* remote.card.waiting).toBe(true)
      yield* remote.card.remove
      expect(yield* remote.card.waiting).toBe(false)
      yield* remote.card.setFault("unreadable")
      expect(yield* remote.card.fault).toBe("unreadable")

      const modem = yield* serial(twin().modem, 115200)
      yield* modem("ATE0\r")
      expect(text(yield* modem("AT+CMGF=1\r"))).toContain("OK")
      expect(text(yield* modem("AT+CMGS=\"+4915100000001\"\r"))).toContain(">")
      expect(text(yield* modem("Ihr Code: 123456\x1a", "300 millis"))).toContain("+CMGS:")
      expect((yield* remote.sms.inbox("+4915100000001")).map((m) => m.text)).toEqual(["Ihr Code: 123456"])
      expect(yield* remote.sms.inbox("+4915100000002")).toEqual([])
      expect(yield* remote.sms.inbox()).toHaveLength(1)
      yield* remote.sms.clear
      expect(yield* remote.sms.inbox()).toEqual([])
      yield* remote.sms.setFault("network")
      expect(yield* remote.sms.fault).toBe("network")
      expect(text(yield* modem("AT+CREG?\r"))).toBe("\r\n+CREG: 0,0\r\n\r\nOK\r\n")
    }), 30_000)

  it.scopedLive("the faults on the wire: Kerong noise and silence, the modem's SIM, registration and surprises", () =>
    Effect.gen(function*() {
      const remote = yield* fresh
      const bus = yield* serial(twin().locker, 19200)
      yield* remote.kerongFaults.noise(Uint8Array.of(0xaa, 0x55, 0x00))
      expect((yield* remote.kerongFaults.state).noise).toEqual(Uint8Array.of(0xaa, 0x55, 0x00))
      expect([...(yield* bus(statusRequest)).subarray(0, 4)]).toEqual([0xaa, 0x55, 0x00, Kerong.STX])
      yield* remote.kerongFaults.noise(null)
      expect((yield* bus(statusRequest))[0]).toBe(Kerong.STX)
      yield* remote.kerongFaults.silence(0, 1)
      expect((yield* remote.kerongFaults.state).silent).toEqual(new Map([[0, 1]]))
      expect(yield* bus(statusRequest)).toHaveLength(0)
      expect((yield* bus(statusRequest)).length).toBeGreaterThan(0)
      yield* remote.kerongFaults.silence("all")
      expect((yield* remote.kerongFaults.state).silent.get("all")).toBe(Infinity)
      expect(yield* bus(statusRequest)).toHaveLength(0)

      const modem = yield* serial(twin().modem, 115200)
      yield* modem("ATE0\r")
      yield* remote.modemFaults.lteOnly(true)
      expect(text(yield* modem("AT+CREG?\r"))).toBe("\r\n+CREG: 0,0\r\n\r\nOK\r\n")
      expect(text(yield* modem("AT+CEREG?\r"))).toBe("\r\n+CEREG: 0,1\r\n\r\nOK\r\n")
      yield* remote.modemFaults.unregistered(true)
      expect(text(yield* modem("AT+CEREG?\r"))).toBe("\r\n+CEREG: 0,2\r\n\r\nOK\r\n")
      yield* remote.modemFaults.interject(["PB DONE"])
      expect(text(yield* modem("AT\r"))).toBe("\r\nPB DONE\r\n\r\nOK\r\n")
      yield* remote.modemFaults.unsolicited(["+CFUN: 1"])
      expect(text(yield* modem(""))).toBe("\r\n+CFUN: 1\r\n")
      yield* remote.modemFaults.simPin("4711")
      expect(yield* remote.modemFaults.sim).toEqual({ pin: "4711", locked: true, wrongAttempts: 0, puk: false })
      expect(text(yield* modem("AT+CPIN?\r"))).toBe("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n")
      yield* remote.modemFaults.reboot
      expect(text(yield* modem("", "300 millis"))).toContain("RDY")
      expect(text(yield* modem("AT\r"))).toBe("AT\r\r\nOK\r\n") // echo is back on after the reset
    }), 30_000)

  it.scopedLive("the rig: a power cut keeps doors and documents, a reset starts afresh, a port unplugged comes back", () =>
    Effect.gen(function*() {
      const remote = yield* fresh
      const bus = yield* serial(twin().locker, 19200)
      const lockAt = (lock: number) => Effect.map(remote.locker.locks, (ls) => ls.find((l) => l.channel.lock === lock)!)
      yield* bus(unlock(2))
      yield* remote.locker.putItem(two)
      yield* remote.card.setFault("offline")
      yield* remote.kerongFaults.silence(0, 3)
      yield* remote.twins.powerCycle
      expect(yield* lockAt(2)).toMatchObject({ doorOpen: true, item: true })
      expect(yield* remote.card.fault).toBe("none")
      expect((yield* remote.kerongFaults.state).silent.size).toBe(0)
      expect(Either.getOrThrow(Kerong.decodeStatus(yield* bus(statusRequest))).items[1]).toBe(true)

      yield* remote.twins.reset
      expect(yield* lockAt(2)).toMatchObject({ doorOpen: false, item: false })

      const card = twin().card
      yield* remote.twins.unplug("card")
      expect(existsSync(card)).toBe(false)
      expect(yield* remote.twins.replug("card")).toBe(card)
      expect(existsSync(card)).toBe(true)
      yield* remote.twins.unplug("card", 300)
      expect(existsSync(card)).toBe(false)
      yield* Effect.sleep("300 millis").pipe(Effect.repeat({ until: () => existsSync(card), times: 20 }))
      expect(existsSync(card)).toBe(true)
      const elsewhere = join(dir, "card-elsewhere")
      yield* remote.twins.unplug("card")
      expect(yield* remote.twins.replug("card", elsewhere)).toBe(elsewhere)
      expect(existsSync(elsewhere)).toBe(true)
      yield* remote.twins.unplug("card")
      expect(yield* remote.twins.replug("card", card)).toBe(card)
    }), 30_000)

  it.scopedLive("a request that does not fit gets 400 or 404 with one sentence, and changes nothing", () =>
    Effect.gen(function*() {
      yield* fresh
      const before = yield* snapshot
      const cases: ReadonlyArray<readonly [string, string, string | undefined, number, string]> = [
        ["POST", "/api/twin/slots/99/put", undefined, 404, "TwinNotFound"],
        ["POST", "/api/twin/boards/7/online", "{\"online\":false}", 404, "TwinNotFound"],
        ["POST", "/api/twin/slots/1/jam", "{\"jammed\":", 400, "BadRequest"],
        ["POST", "/api/twin/slots/1/jam", "{\"jammed\":\"yes\"}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/slots/1/jam", "{\"jammed\":true,\"really\":true}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/slots/1/jam", "{}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/slots/abc/put", undefined, 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/slots/0/put", undefined, 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/boards/99/online", "{\"online\":false}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/card/insert", "{\"label\":\"\"}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/card/fault", "{\"fault\":\"on fire\"}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/kerong/noise", "{\"bytes\":\"*not base64*\"}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/kerong/silence", "{\"board\":3.5}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/modem/sim/pin", "{\"pin\":\"12\"}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/modem/unsolicited", "{\"lines\":[\"OK\\r\\nRING\"]}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/ports/printer/unplug", "{}", 400, "HttpApiDecodeError"],
        ["POST", "/api/twin/nothing", "{}", 404, "NotFound"],
        ["GET", "/api/twin/slots/1/put", undefined, 404, "NotFound"],
        ["POST", "/rpc", "{\"device\":\"card\",\"op\":\"insert\",\"args\":[\"x\"]}", 404, "NotFound"]
      ]
      for (const [method, path, body, status, tag] of cases) {
        const r = yield* send(method, path, body)
        expect(r.status, `${method} ${path} ${body ?? ""}: ${r.body}`).toBe(status)
        expect(r.type).toContain("application/json")
        const answer = JSON.parse(r.body) as { _tag: string; message: string }
        expect(answer._tag, r.body).toBe(tag)
        expect(answer.message, r.body).toMatch(/^[^\n]{10,200}$/)
      }
      const form = yield* send("POST", "/api/twin/card/insert", "label=mallory", "application/x-www-form-urlencoded")
      expect(form.status).toBe(415)
      expect(yield* snapshot).toEqual(before)
    }), 30_000)
})

describe.skipIf(!socat || typeof other === "string")("twin control API, from another host", () => {
  it.scopedLive("loopback only: another host on the network cannot reach it", () =>
    Effect.gen(function*() {
      if (typeof other === "string") return
      const host = other
      const remote = yield* fresh
      const port = new URL(twin().control).port
      const insert = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ label: "mallory" }) }
      expect(host.request(`http://${host.address}:${port}/api/twin/card/insert`, insert).status).toBe(0)
      expect(host.request(`http://${host.address}:${port}/api/twin/devices`).status).toBe(0)
      expect(yield* remote.card.waiting).toBe(false)
      // the same request from this machine goes through
      expect((yield* send("POST", "/api/twin/card/insert", insert.body)).status).toBe(204)
      expect(yield* remote.card.waiting).toBe(true)
    }), 30_000)
})

if (socat && typeof other === "string") {
  describe("twin control API, from another host", () => it.skip(`no other host to ask from: ${other}`, () => {}))
}

if (!socat) describe("twin control API", () => it.skip("socat is not installed: `amtomat twin` needs pseudo-terminals", () => {}))
