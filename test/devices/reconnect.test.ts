/**
 * Serial devices that come and go, against the real drivers and the protocol
 * twins: the cable pulled out and plugged back in (pair binding and socat
 * PTYs, also under another path behind a by-id link), a device missing at
 * boot, a card terminal left mid-exchange by a killed terminal process, and
 * a terminal that hangs mid-exchange.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Duration, Effect, Either, Exit, Fiber, Layer, Logger, Scope } from "effect"
import { existsSync } from "node:fs"
import type { Device } from "../../core/domain/events.ts"
import { PhoneNumber } from "../../core/domain/values.ts"
import { CardTerminal } from "../../core/ports/CardTerminal.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { LockerBank } from "../../core/ports/LockerBank.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"
import { cardIdOf, CardTwin } from "../../hardware-sim/behavioural/CardTwin.ts"
import { LockerTwin } from "../../hardware-sim/behavioural/LockerTwin.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import { KerongBusFaults } from "../../hardware-sim/protocol/kerongBus.ts"
import { makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"
import * as ZvtTerminal from "../../hardware-sim/protocol/zvtTerminal.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import * as ZvtCardTerminal from "../../kiosk/devices/ZvtCardTerminal.ts"
import { eventually, expectTrue } from "../support/eventually.ts"
import { Cable, cardRig, fastCard, fastModem, fastReconnect, lockerRig } from "./rigs.ts"

const socat = existsSync("/usr/bin/socat") || existsSync("/usr/local/bin/socat")
const ch = (lock: number, board = 0) => ({ board, lock })
const channels = [ch(1), ch(2), ch(1, 1)]
const boards = [{ address: 0, polarity: 1 as const, unlockMillis: 500 }, { address: 1, polarity: 1 as const }]
const reasonOf = <A>(e: Either.Either<A, { readonly reason: string }>) => (Either.isLeft(e) ? e.left.reason : "ok")

const stateOf = (device: Device, part = "port") =>
  Effect.flatMap(DeviceStatus, (s) => Effect.map(s.current, (xs) => xs.find((h) => h.device === device && h.part === part)))
const until = (device: Device, up: boolean) =>
  eventually(Effect.flatMap(stateOf(device, "port"), (h) => expectTrue(h?.up === up, `${device} ${up ? "up" : "down"}`)), "5 seconds")

/** Every log line, to check that an outage does not flood the log. */
const logLines: Array<string> = []
const countLog = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ message }) => {
    logLines.push(Array.isArray(message) ? message.join(" ") : String(message))
  })
)

/** How long an effect takes, in ms. */
const timed = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const result = yield* Effect.either(self)
    return { result, millis: (yield* Clock.currentTimeMillis) - start }
  })

const lockerUnplugReplug = Effect.gen(function*() {
  const locker = yield* LockerBank
  const cable = yield* Cable
  const faults = yield* KerongBusFaults
  const hands = yield* LockerTwin
  yield* until("locker", true)
  const pulsesBefore = (yield* faults.received).filter((f) => f.command === 0x37).length
  expect(pulsesBefore).toBe(1)
  logLines.length = 0
  yield* cable.unplug
  yield* until("locker", false)
  // fails at once, does not wait for a reply timeout
  const status = yield* timed(locker.status(ch(1)))
  expect(reasonOf(status.result)).toBe("Offline")
  expect(status.millis).toBeLessThan(250)
  expect(reasonOf((yield* timed(locker.open(ch(2)))).result)).toBe("Offline")
  // two seconds of outage (ten reconnect attempts and more): one line down, no flood
  yield* Effect.sleep("2 seconds")
  expect(logLines.filter((l) => l.includes("locker poll failed"))).toEqual([])
  expect(logLines.length).toBeLessThanOrEqual(2)
  yield* cable.replug()
  yield* until("locker", true)
  expect((yield* stateOf("locker"))?.reconnects).toBe(1)
  // pulse lengths again, every board read again, and a door opens
  yield* eventually(Effect.flatMap(faults.received, (r) => expectTrue(r.filter((f) => f.command === 0x37).length === 2, "CMD 37 again")))
  yield* locker.open(ch(2))
  expect((yield* locker.status(ch(2))).door).toBe("open")
  yield* hands.close(ch(2))
  expect(logLines.length).toBeLessThanOrEqual(4)
})

const cardUnplugReplug = Effect.gen(function*() {
  const card = yield* CardTerminal
  const cable = yield* Cable
  const twin = yield* CardTwin
  const faults = yield* ZvtTerminal.ZvtTerminalFaults
  yield* until("card", true)
  expect((yield* card.health).ready).toBe(true)
  logLines.length = 0
  yield* cable.unplug
  yield* until("card", false)
  const health = yield* timed(card.health)
  expect(reasonOf(health.result)).toBe("Offline")
  expect(health.millis).toBeLessThan(250)
  expect(reasonOf((yield* timed(card.readCard(Duration.seconds(2)))).result)).toBe("Offline")
  yield* Effect.sleep("1 second")
  expect(logLines.length).toBeLessThanOrEqual(2)
  yield* cable.replug()
  yield* until("card", true)
  expect((yield* stateOf("card"))?.reconnects).toBe(1)
  // registered again on the new line
  yield* eventually(Effect.flatMap(faults.received, (r) => expectTrue(r.filter((m) => m._tag === "Registration").length === 2, "second Registration")))
  yield* twin.insert("grace")
  expect((yield* card.readCard(Duration.seconds(2))).cardId).toEqual(cardIdOf("grace"))
})

describe("devices that come and go", () => {
  it.scopedLive("locker bus unplugged: down within seconds, fast Offline, no log flood; replugged: up, reinitialised, a door opens", () =>
    lockerUnplugReplug.pipe(Effect.provide(lockerRig("pair", { channels, boards })), Effect.provide(countLog)))

  it.scopedLive("a board that stops answering on an open line: BoardOnline and DeviceStatus locker/board 1", () =>
    Effect.gen(function*() {
      const hands = yield* LockerTwin
      yield* eventually(Effect.flatMap(stateOf("locker", "board 1"), (h) => expectTrue(h?.up === true, "board 1 up")))
      yield* hands.setBoardOnline(1, false)
      yield* eventually(Effect.flatMap(stateOf("locker", "board 1"), (h) => expectTrue(h?.up === false, "board 1 down")))
      expect((yield* stateOf("locker"))?.up).toBe(true)
      yield* hands.setBoardOnline(1, true)
      yield* eventually(Effect.flatMap(stateOf("locker", "board 1"), (h) => expectTrue(h?.up === true, "board 1 back")))
    }).pipe(Effect.provide(lockerRig("pair", { channels, boards }))))

  it.scopedLive("card terminal unplugged and replugged: Offline at once, registered again, a card read works", () =>
    cardUnplugReplug.pipe(Effect.provide(cardRig("pair")), Effect.provide(countLog)))

  it.scopedLive("locker bus missing at boot: the layer builds, reported down; plugged in later: up and usable", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const cable = yield* Cable
      expect((yield* stateOf("locker"))?.up).toBe(false)
      expect((yield* stateOf("locker"))?.detail).toContain("cannot open")
      expect(reasonOf(yield* Effect.either(locker.status(ch(1))))).toBe("Offline")
      yield* cable.replug()
      yield* until("locker", true)
      yield* eventually(Effect.flatMap(locker.status(ch(1)), (s) => expectTrue(s.door === "closed", "read")))
      yield* locker.open(ch(1))
      expect((yield* locker.status(ch(1))).door).toBe("open")
    }).pipe(Effect.provide(lockerRig("pair", { channels, boards, cable: { unpluggedAtStart: true } }))))

  it.scopedLive("card terminal missing at boot: the layer builds, reported down; plugged in later: a card read works", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const cable = yield* Cable
      const twin = yield* CardTwin
      expect((yield* stateOf("card"))?.up).toBe(false)
      expect(reasonOf(yield* Effect.either(card.health))).toBe("Offline")
      yield* cable.replug()
      yield* until("card", true)
      yield* twin.insert("heidi")
      yield* eventually(Effect.flatMap(card.readCard(Duration.seconds(2)), (r) => expectTrue(r.cardId.length === 10, "read")))
    }).pipe(Effect.provide(cardRig("pair", { cable: { unpluggedAtStart: true } }))))

  it.scopedLive("a terminal process killed mid-read: the next process reads the next card", () =>
    Effect.gen(function*() {
      // the twin stays (its own process in the crash harness); the driver is killed and started again
      const pair = makePairBinding()
      pair.connect("card-host", "card-device")
      const twinCtx = yield* Layer.build(ZvtTerminal.layer(
        { t1: `${fastCard.t1Millis} millis`, t2: `${fastCard.t2Millis} millis`, t3: `${fastCard.t3Millis} millis` },
        { path: "card-device", baudRate: 9600, binding: pair.binding }
      ))
      const twin = Context.get(twinCtx, CardTwin)
      const driver = ZvtCardTerminal.layer({
        line: { device: "card", path: "card-host", baudRate: 9600, binding: pair.binding, reconnect: fastReconnect },
        password: "123456",
        configByte: 0xb8,
        currency: 978,
        timing: fastCard
      }).pipe(Layer.provide(DeviceStatus.layer))
      const first = yield* Scope.make()
      const card1 = Context.get(yield* Layer.buildWithScope(driver, first), CardTerminal)
      yield* card1.health
      // a long read is running when the process dies: its end of the line just vanishes, nothing more is sent
      yield* Effect.fork(card1.readCard(Duration.seconds(30)))
      yield* Effect.sleep("200 millis")
      pair.unplug("card-host")
      yield* Scope.close(first, Exit.void)
      pair.replug("card-host")
      // the new process
      const card2 = Context.get(yield* Layer.build(driver), CardTerminal)
      yield* Effect.sleep("300 millis")
      yield* twin.insert("ivan")
      const read = yield* Effect.either(card2.readCard(Duration.seconds(3)))
      expect(Either.isRight(read) ? read.right.cardId : read.left).toEqual(cardIdOf("ivan"))
    }))

  it.scopedLive("a terminal process killed while the modem waits for a message body: the next process sends (found by the crash harness)", () =>
    Effect.gen(function*() {
      const pair = makePairBinding()
      pair.connect("modem-host", "modem-device")
      const twinCtx = yield* Layer.build(SmsModem.layer({}, { path: "modem-device", baudRate: 115200, binding: pair.binding }))
      const inbox = Context.get(twinCtx, SmsTwin)
      const driver = AtSmsGateway.layer({
        line: { path: "modem-host", baudRate: 115200, binding: pair.binding, reconnect: fastReconnect },
        mode: "pdu",
        timing: fastModem
      }).pipe(Layer.provide(DeviceStatus.layer))
      const first = yield* Scope.make()
      const sms1 = Context.get(yield* Layer.buildWithScope(driver, first), SmsGateway)
      yield* sms1.send(PhoneNumber.make("+4915100000042"), "warm-up")
      // the next send has its prompt ("> ") when the process dies: the modem waits for a body that never comes
      yield* Effect.fork(sms1.send(PhoneNumber.make("+4915100000042"), "never finished"))
      yield* eventually(
        Effect.flatMap(
          SmsModem.SmsModemFaults.pipe(Effect.provide(twinCtx)),
          (f) => Effect.map(f.received, (r) => expectTrue(r.some((l) => l.startsWith("AT+CMGS")), "a prompt"))
        ),
        "2 seconds"
      )
      // the process dies: its port closes, the modem on the other end stays as it is
      yield* Scope.close(first, Exit.void)
      const sms2 = Context.get(yield* Layer.build(driver), SmsGateway)
      yield* sms2.send(PhoneNumber.make("+4915100000042"), "after the restart")
      expect((yield* inbox.inbox("+4915100000042")).map((m) => m.text)).toContain("after the restart")
    }))

  it.scopedLive("the card terminal itself is reported: up once registered, down while it does not answer, up again", () =>
    Effect.gen(function*() {
      const faults = yield* ZvtTerminal.ZvtTerminalFaults
      yield* eventually(Effect.flatMap(stateOf("card", ""), (h) => expectTrue(h?.up === true && h.detail === "registered", "registered")), "5 seconds")
      yield* faults.noReply(true)
      yield* eventually(Effect.flatMap(stateOf("card", ""), (h) => expectTrue(h?.up === false, "down")), "10 seconds")
      yield* faults.noReply(false)
      yield* eventually(Effect.flatMap(stateOf("card", ""), (h) => expectTrue(h?.up === true, "up again")), "10 seconds")
    }).pipe(Effect.provide(cardRig("pair", { timing: { healthMillis: 300 } }))))

  it.scopedLive("a card terminal that hangs mid-exchange: that read fails, the next one succeeds", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      const faults = yield* ZvtTerminal.ZvtTerminalFaults
      yield* card.health
      yield* faults.stallNextCommand(1500)
      const stalled = yield* Effect.fork(card.readCard(Duration.seconds(1)))
      expect(reasonOf(yield* Effect.either(Fiber.join(stalled)))).not.toBe("ok")
      yield* Effect.sleep("1500 millis")
      yield* twin.insert("judy")
      expect((yield* card.readCard(Duration.seconds(3))).cardId).toEqual(cardIdOf("judy"))
    }).pipe(Effect.provide(cardRig("pair"))))

  it.scopedLive("a Completion left over from an earlier exchange during a Read Card is skipped, the card is read (found by the crash harness)", () =>
    Effect.gen(function*() {
      const card = yield* CardTerminal
      const twin = yield* CardTwin
      const faults = yield* ZvtTerminal.ZvtTerminalFaults
      yield* card.health
      yield* faults.strayCompletion
      yield* twin.insert("karl")
      expect((yield* card.readCard(Duration.seconds(3))).cardId).toEqual(cardIdOf("karl"))
    }).pipe(Effect.provide(cardRig("pair"))))

  it.scopedLive.skipIf(!socat)("locker on socat PTYs: unplugged, back under another path behind its by-id link", () =>
    Effect.gen(function*() {
      const locker = yield* LockerBank
      const cable = yield* Cable
      expect(cable.driverPath).toContain("/by-id/")
      yield* until("locker", true)
      yield* cable.unplug
      yield* until("locker", false)
      expect(reasonOf(yield* Effect.either(locker.status(ch(1))))).toBe("Offline")
      yield* Effect.sleep("500 millis")
      yield* cable.replug("locker-host-2")
      yield* until("locker", true)
      yield* locker.open(ch(1))
      expect((yield* locker.status(ch(1))).door).toBe("open")
    }).pipe(Effect.provide(lockerRig("pty", { channels, boards, cable: { byId: true } }))))

  it.scopedLive.skipIf(!socat)(
    "locker on socat PTYs: unplug and replug at the same path, no log flood",
    () => lockerUnplugReplug.pipe(Effect.provide(lockerRig("pty", { channels, boards })), Effect.provide(countLog))
  )

  it.scopedLive.skipIf(!socat)(
    "card terminal on socat PTYs: unplugged and replugged, a card read works",
    () => cardUnplugReplug.pipe(Effect.provide(cardRig("pty")), Effect.provide(countLog))
  )
})
