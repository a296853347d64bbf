/**
 * The AT driver left alone for a night, against the modem twin over the pair
 * binding: a wrong SIM PIN, modem resets, an LTE-only or unregistered modem,
 * a lost serial line, and what reaches DeviceStatus and the log.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Effect, Either, Fiber, Layer, Logger } from "effect"
import { PhoneNumber } from "../../core/domain/values.ts"
import { DeviceStatus } from "../../core/ports/DeviceStatus.ts"
import { SmsGateway } from "../../core/ports/SmsGateway.ts"
import { SmsTwin } from "../../hardware-sim/behavioural/SmsTwin.ts"
import { type Binding, type BindingPort, makePairBinding } from "../../hardware-sim/protocol/pairBinding.ts"
import * as SmsModem from "../../hardware-sim/protocol/smsModem.ts"
import * as AtSmsGateway from "../../kiosk/devices/AtSmsGateway.ts"
import type { ModemTiming } from "../../kiosk/devices/config.ts"

const to = PhoneNumber.make("+4915112345678")
const reasonOf = <A>(e: Either.Either<A, { readonly reason: string }>) => (Either.isLeft(e) ? e.left.reason : "ok")

const timing: ModemTiming = { commandMillis: 300, sendMillis: 1000, attempts: 3, backoffMillis: 20, settleMillis: 20, recheckMillis: 100 }

/** A cable that can be pulled: open ports see their reads fail (a vanished USB adapter), reopening fails until it is back. */
const pullable = (inner: Binding) => {
  let plugged = true
  const cuts = new Set<() => void>()
  const binding: Binding = {
    list: () => inner.list(),
    open: async (options) => {
      if (!plugged) throw new Error(`${options.path}: no such device`)
      const port = await inner.open(options)
      let cut = false
      let fail: ((e: Error) => void) | undefined
      const pull = () => {
        cut = true
        fail?.(new Error("EIO: device vanished"))
      }
      cuts.add(pull)
      const wrapped: BindingPort = {
        get isOpen() {
          return port.isOpen
        },
        openOptions: port.openOptions,
        close: async () => {
          cuts.delete(pull)
          if (port.isOpen) await port.close()
        },
        read: (buffer, offset, length) =>
          cut ? Promise.reject(new Error("EIO: device vanished")) : new Promise((resolve, reject) => {
            fail = reject
            port.read(buffer, offset, length).then(resolve, reject)
          }),
        write: (buffer) => (cut ? Promise.reject(new Error("EIO: device vanished")) : port.write(buffer)),
        update: (o) => port.update(o),
        set: (o) => port.set(o),
        get: () => port.get(),
        getBaudRate: () => port.getBaudRate(),
        flush: () => port.flush(),
        drain: () => port.drain()
      }
      return wrapped
    }
  }
  return {
    binding,
    pull: () => {
      plugged = false
      for (const c of [...cuts]) c()
    },
    plug: () => {
      plugged = true
    }
  }
}

class Cable extends Context.Tag("test/ModemCable")<Cable, { readonly pull: () => void; readonly plug: () => void }>() {}

interface Options {
  readonly twin?: SmsModem.SmsModemOptions
  readonly mode?: "pdu" | "text"
  readonly pin?: string
  readonly timing?: Partial<ModemTiming>
}

/** Twin, driver and DeviceStatus on a fresh pullable pair cable. */
const rig = (options: Options = {}) =>
  Layer.unwrapEffect(Effect.sync(() => {
    const pair = makePairBinding()
    pair.connect("modem-host", "modem-device")
    const cable = pullable(pair.binding)
    const twin = SmsModem.layer(options.twin ?? {}, { path: "modem-device", baudRate: 115200, binding: pair.binding })
    const driver = AtSmsGateway.layer({
      line: { path: "modem-host", baudRate: 115200, binding: cable.binding, reconnect: { initialMillis: 20, maxMillis: 50 } },
      mode: options.mode ?? "pdu",
      ...(options.pin === undefined ? {} : { pin: options.pin }),
      timing: { ...timing, ...options.timing }
    })
    return driver.pipe(
      Layer.provideMerge(twin),
      Layer.provideMerge(DeviceStatus.layer),
      Layer.provideMerge(Layer.succeed(Cable, cable))
    )
  }))

const smsHealth = Effect.flatMap(DeviceStatus, (s) => Effect.map(s.current, (xs) => xs.find((h) => h.device === "sms" && h.part === "")))
const count = (xs: ReadonlyArray<string>, line: string) => xs.filter((x) => x === line).length
const pinSends = (xs: ReadonlyArray<string>) => xs.filter((x) => x.startsWith("AT+CPIN=")).length

/** Polls until `check` holds, at most `millis`. */
const eventually = <A, E, R>(probe: Effect.Effect<A, E, R>, check: (a: A) => boolean, millis = 2000) =>
  Effect.gen(function*() {
    for (let waited = 0;; waited += 10) {
      const a = yield* probe
      if (check(a) || waited >= millis) return a
      yield* Effect.sleep("10 millis")
    }
  })

describe("AtSmsGateway: a wrong SIM PIN is never sent twice", () => {
  it.scopedLive("refused once: NeedsStaff, reported down, not sent again after a reset or on later sends", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("NeedsStaff")
      expect((yield* faults.sim).wrongAttempts).toBe(1)
      expect(yield* smsHealth).toMatchObject({ up: false, detail: "the SIM refused the configured PIN; staff must check it" })
      yield* faults.reboot
      yield* Effect.sleep("300 millis")
      expect(reasonOf(yield* Effect.either(gateway.send(to, "y")))).toBe("NeedsStaff")
      expect(reasonOf(yield* Effect.either(gateway.send(to, "z")))).toBe("NeedsStaff")
      expect(pinSends(yield* faults.received)).toBe(1)
      expect(yield* faults.sim).toMatchObject({ wrongAttempts: 1, puk: false })
      expect(yield* smsHealth).toMatchObject({ up: false, detail: "the SIM refused the configured PIN; staff must check it" })
    }).pipe(Effect.provide(rig({ pin: "0000", twin: { pin: "1234" } }))))

  it.scopedLive("a SIM that already counted a wrong PIN (a terminal restarting in a loop) is not given the PIN", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("NeedsStaff")
      expect(pinSends(yield* faults.received)).toBe(0)
      expect(yield* faults.sim).toMatchObject({ wrongAttempts: 2, puk: false })
      expect((yield* smsHealth)?.up).toBe(false)
    }).pipe(Effect.provide(rig({ pin: "0000", twin: { pin: "1234", wrongPinAttempts: 2 } }))))

  it.scopedLive("SIM PUK and no SIM: NeedsStaff, no PIN sent", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      const phone = yield* SmsTwin
      expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("NeedsStaff")
      expect(yield* smsHealth).toMatchObject({ up: false, detail: AtSmsGateway.detail.puk })
      yield* faults.simPin(null)
      yield* phone.setFault("sim-missing")
      expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("NeedsStaff")
      expect(yield* smsHealth).toMatchObject({ up: false, detail: AtSmsGateway.detail.noSim })
      expect(pinSends(yield* faults.received)).toBe(0)
      yield* phone.setFault("none")
      expect((yield* gateway.send(to, "back")).reference).toBe("1")
      expect(yield* smsHealth).toMatchObject({ up: true })
    }).pipe(Effect.provide(rig({ pin: "1234", twin: { pin: "1234", wrongPinAttempts: 3 } }))))

  it.scopedLive("the right PIN after a reset is entered again (once per reset); the SIM's own notices are no reset", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      yield* gateway.send(to, "one")
      yield* Effect.sleep("150 millis")
      expect(pinSends(yield* faults.received)).toBe(1)
      expect(count(yield* faults.received, "AT")).toBe(1)
      yield* faults.reboot
      yield* eventually(faults.received, (xs) => pinSends(xs) === 2)
      yield* gateway.send(to, "two")
      expect(pinSends(yield* faults.received)).toBe(2)
      expect((yield* faults.sim).wrongAttempts).toBe(0)
    }).pipe(Effect.provide(rig({ pin: "1234", mode: "text", twin: { pin: "1234", noticesAfterPin: true } }))))
})

describe("AtSmsGateway: a modem reset is detected and the modem set up again", () => {
  it.scopedLive("RDY … SMS Ready outside a command: the start-up runs again at once, and sends work (text mode, PIN)", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      const phone = yield* SmsTwin
      yield* gateway.send(to, "before")
      yield* faults.reboot
      const received = yield* eventually(faults.received, (xs) => count(xs, "AT+CMGF=1") === 2)
      expect(count(received, "AT+CMEE=1")).toBe(2)
      expect(yield* smsHealth).toMatchObject({ up: true, reconnects: 1 })
      yield* gateway.send(to, "after")
      expect((yield* phone.inbox(to)).map((m) => m.text)).toEqual(["before", "after"])
    }).pipe(Effect.provide(rig({ pin: "1234", mode: "text", twin: { pin: "1234" } }))))

  it.scopedLive("a message in flight when the modem resets is sent again at once, not lost and not left to the long timeout", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      const phone = yield* SmsTwin
      yield* gateway.send(to, "warm-up")
      const fiber = yield* Effect.fork(gateway.send(to, "in flight"))
      yield* eventually(faults.received, (xs) => xs.filter((x) => x.startsWith("AT+CMGS")).length === 2)
      yield* Effect.sleep("30 millis")
      yield* faults.reboot
      const result = yield* Fiber.join(fiber).pipe(Effect.timeout("1500 millis"), Effect.either)
      expect(Either.isRight(result)).toBe(true)
      expect((yield* phone.inbox(to)).map((m) => m.text)).toEqual(["warm-up", "in flight"])
    }).pipe(Effect.provide(rig({ mode: "text", twin: { sendDelay: "150 millis" }, timing: { sendMillis: 5000 } }))))

  it.scopedLive("start notices inside an answer are skipped; on their own they mean a reset", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      yield* gateway.send(to, "one")
      yield* faults.interject(["+CPIN: READY", "SMS Ready", "PB DONE"])
      expect((yield* gateway.send(to, "two")).reference).toBe("2")
      expect((yield* faults.received).filter((x) => x.startsWith("AT+CMGS")).length).toBe(2)
      const before = count(yield* faults.received, "AT")
      yield* faults.unsolicited(["+CFUN: 1", "+CPIN: READY", "SMS Ready"])
      const after = yield* eventually(faults.received, (xs) => count(xs, "AT+CMGF=0") === before + 1)
      expect(count(after, "AT")).toBe(before + 1)
      expect((yield* gateway.send(to, "three")).reference).toBe("3")
    }).pipe(Effect.provide(rig())))

  it.scopedLive("messages queued while the modem reboots all go out", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      const phone = yield* SmsTwin
      yield* gateway.send(to, "first")
      yield* faults.reboot
      const results = yield* Effect.all(["a", "b", "c"].map((t) => Effect.either(gateway.send(to, t))), { concurrency: "unbounded" })
      expect(results.map(reasonOf)).toEqual(["ok", "ok", "ok"])
      expect((yield* phone.inbox(to)).map((m) => m.text)).toEqual(["first", "a", "b", "c"])
    }).pipe(Effect.provide(rig({ mode: "text", twin: { bootDelay: "400 millis" }, timing: { attempts: 4, backoffMillis: 100 } }))))
})

describe("AtSmsGateway: registration by AT+CREG? and AT+CEREG?", () => {
  it.scopedLive("an LTE-only modem (CREG not registered, CEREG registered) sends", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      expect((yield* gateway.send(to, "lte")).reference).toBe("1")
      expect(yield* faults.received).toContain("AT+CEREG?")
    }).pipe(Effect.provide(Layer.provideMerge(
      Layer.effectDiscard(Effect.flatMap(SmsModem.SmsModemFaults, (f) => f.lteOnly(true))),
      rig({ timing: { settleMillis: 0 } })
    ))))

  it.scopedLive("not registered: RetryLater after the attempts, reported down; it comes up by itself when the network is back", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      yield* faults.unregistered(true)
      yield* faults.unsolicited(["RDY"])
      yield* eventually(smsHealth, (h) => h?.up === false)
      expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("RetryLater")
      expect(yield* smsHealth).toMatchObject({ up: false, detail: AtSmsGateway.detail.notRegistered })
      yield* faults.unregistered(false)
      expect(yield* eventually(smsHealth, (h) => h?.detail === AtSmsGateway.detail.up)).toMatchObject({ up: true, detail: AtSmsGateway.detail.up })
      expect((yield* gateway.send(to, "y")).reference).toBe("1")
    }).pipe(Effect.provide(rig())))
})

describe("AtSmsGateway: nothing is dropped", () => {
  it.scopedLive("a silent modem: every queued message fails with RetryLater after its attempts, none hangs", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      yield* gateway.send(to, "ok")
      yield* faults.noReply(true)
      const results = yield* Effect.all(["a", "b", "c"].map((t) => Effect.either(gateway.send(to, t))), { concurrency: "unbounded" }).pipe(
        Effect.timeout("8 seconds")
      )
      expect(results.map(reasonOf)).toEqual(["RetryLater", "RetryLater", "RetryLater"])
      expect(yield* smsHealth).toMatchObject({ up: false, detail: AtSmsGateway.detail.noAnswer })
    }).pipe(Effect.provide(rig({ timing: { commandMillis: 100, sendMillis: 200 } }))))

  it.scopedLive("the line is lost and comes back: sends fail fast meanwhile, the modem is set up again on the new line", () =>
    Effect.gen(function*() {
      const gateway = yield* SmsGateway
      const faults = yield* SmsModem.SmsModemFaults
      const phone = yield* SmsTwin
      const cable = yield* Cable
      yield* gateway.send(to, "before")
      cable.pull()
      // the adapter loses power with the cable: the modem resets, its notices go nowhere
      yield* faults.reboot
      yield* Effect.sleep("100 millis")
      cable.plug()
      // no message waiting: the new line alone makes the driver set the modem up again
      yield* eventually(faults.received, (xs) => count(xs, "AT+CMGF=1") === 2)
      expect(count(yield* faults.received, "AT+CMGF=1")).toBe(2)
      cable.pull()
      yield* Effect.sleep("50 millis")
      const start = yield* Clock.currentTimeMillis
      expect(reasonOf(yield* Effect.either(gateway.send(to, "lost")))).toBe("RetryLater")
      // four attempts with back-off (40 + 80 + 160 ms), none waiting for an answer (300 ms each)
      expect((yield* Clock.currentTimeMillis) - start).toBeLessThan(4 * timing.commandMillis)
      const queued = yield* Effect.fork(gateway.send(to, "queued"))
      yield* Effect.sleep("30 millis")
      cable.plug()
      expect(reasonOf(yield* Effect.either(Fiber.join(queued)))).toBe("ok")
      expect((yield* phone.inbox(to)).map((m) => m.text)).toEqual(["before", "queued"])
    }).pipe(Effect.provide(rig({ mode: "text", twin: { bootDelay: "10 millis" }, timing: { attempts: 4, backoffMillis: 40 } }))))
})

describe("AtSmsGateway: the log stays short", () => {
  it.scopedLive("an hour without network is one line, not one per retry", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ message }) => {
        lines.push(Array.isArray(message) ? message.join(" ") : String(message))
      })
      yield* Effect.gen(function*() {
        const gateway = yield* SmsGateway
        const faults = yield* SmsModem.SmsModemFaults
        yield* eventually(smsHealth, (h) => h?.detail === AtSmsGateway.detail.up)
        yield* faults.unregistered(true)
        yield* faults.unsolicited(["RDY"])
        yield* eventually(smsHealth, (h) => h?.up === false)
        for (let i = 0; i < 3; i++) expect(reasonOf(yield* Effect.either(gateway.send(to, "x")))).toBe("RetryLater")
        yield* Effect.sleep("500 millis")
        expect((yield* faults.received).filter((x) => x === "AT+CEREG?").length).toBeGreaterThan(10)
      }).pipe(Effect.provide(rig()), Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      const modem = lines.filter((l) => l.startsWith("SMS modem"))
      expect(modem).toEqual([
        "SMS modem up: ready to send",
        `SMS modem down: ${AtSmsGateway.detail.restarted}`,
        `SMS modem down: ${AtSmsGateway.detail.notRegistered}`
      ])
    }))
})
