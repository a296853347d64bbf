/**
 * Full pickups through the real serial drivers and the byte-level twins:
 * the Kerong bus, the ZVT terminal and the AT modem, over the in-process
 * pair binding (host cost per pickup) and over pseudo-terminals with the
 * twins honouring the baud rate's byte timing (measured pickup time against
 * the pure wire time of every byte exchanged, both directions).
 */
import { autoDetect } from "@serialport/bindings-cpp"
import { Effect, Fiber, Layer } from "effect"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { demoLayout } from "../core/domain/compartment.ts"
import { defaultPolicy } from "../core/domain/config.ts"
import { codeIn } from "../core/domain/rules.ts"
import { DocumentKind, PhoneNumber } from "../core/domain/values.ts"
import { CardSessions } from "../core/workflows/CardSessions.ts"
import { Loading } from "../core/workflows/Loading.ts"
import { Pickup } from "../core/workflows/Pickup.ts"
import { StaffAuth } from "../core/workflows/StaffAuth.ts"
import { AuthorityTwin, CardTwin, channelsOf, LockerTwin, ScannerTwin, SmsTwin } from "../hardware-sim/behavioural/index.ts"
import * as KerongBus from "../hardware-sim/protocol/kerongBus.ts"
import { makePairBinding } from "../hardware-sim/protocol/pairBinding.ts"
import { ptyPair } from "../hardware-sim/protocol/pty.ts"
import * as SmsModem from "../hardware-sim/protocol/smsModem.ts"
import * as ZvtTerminal from "../hardware-sim/protocol/zvtTerminal.ts"
import { boot, databaseLayer, terminalLayer } from "../kiosk/composition.ts"
import * as AtSmsGateway from "../kiosk/devices/AtSmsGateway.ts"
import * as KerongLockerBank from "../kiosk/devices/KerongLockerBank.ts"
import * as ZvtCardTerminal from "../kiosk/devices/ZvtCardTerminal.ts"

type Binding = ReturnType<typeof makePairBinding>["binding"]

/** Wraps a serialport binding to count the bytes written through it (each direction has its own). */
const counting = (binding: Binding, counter: Counter, bitsPerByte: number): Binding => ({
  ...binding,
  open: async (options) => {
    const port = await binding.open(options)
    return new Proxy(port, {
      get(target, prop, receiver) {
        if (prop === "write") {
          return (buffer: Buffer) => {
            counter.bytes += buffer.length
            counter.bits += buffer.length * bitsPerByte
            return target.write(buffer)
          }
        }
        const v = Reflect.get(target, prop, receiver)
        return typeof v === "function" ? v.bind(target) : v
      }
    })
  }
})

const channels = channelsOf(demoLayout)
const boards = [{ address: 0, polarity: 1 as const }]
const lockerTiming = { responseTimeoutMillis: 200, retries: 2, pollFastMillis: 20, pollSlowMillis: 100, openTimeoutMillis: 600, unlockReplyMillis: 20 }
const cardTiming = { t1Millis: 200, t2Millis: 1000, t3Millis: 2000, t4Millis: 10_000, healthMillis: 60_000 }
const modemTiming = { commandMillis: 1000, sendMillis: 2000, attempts: 3, backoffMillis: 20 }

interface Counter {
  bytes: number
  bits: number
}
interface Counters {
  readonly locker: Counter
  readonly card: Counter
  readonly modem: Counter
}
const baud = { locker: 19200, card: 9600, modem: 115200 } as const
const wireMillis = (c: Counters, before: Counters) =>
  ((c.locker.bits - before.locker.bits) / baud.locker + (c.card.bits - before.card.bits) / baud.card + (c.modem.bits - before.modem.bits) / baud.modem) * 1000
const snapshot = (c: Counters): Counters => ({ locker: { ...c.locker }, card: { ...c.card }, modem: { ...c.modem } })

const devices = (transport: "pair" | "pty", counter: Counters) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const byteTiming = transport === "pty"
    const ends = (name: string) =>
      transport === "pair"
        ? Effect.sync(() => {
          const pair = makePairBinding()
          pair.connect(`${name}-host`, `${name}-device`)
          return { host: `${name}-host`, device: `${name}-device`, binding: pair.binding }
        })
        : Effect.map(
          ptyPair(join(mkdtempSync(join(tmpdir(), "amtomat-bench-")), `${name}-host`), join(tmpdir(), `amtomat-bench-${name}-${process.pid}`)),
          (p) => ({
            host: p.host,
            device: p.device,
            binding: autoDetect() as unknown as Binding
          })
        )
    const locker = yield* ends("locker")
    const card = yield* ends("card")
    const modem = yield* ends("modem")
    const line = (e: { binding: Binding }, path: string, baudRate: number, c: Counter, bits: number, stopBits: 1 | 2 = 1) => ({
      path,
      baudRate,
      stopBits,
      binding: counting(e.binding, c, bits),
      ...(byteTiming ? { byteTiming: true } : {})
    })
    const twins = Layer.mergeAll(
      KerongBus.layer({ boards, channels, chutes: [demoLayout.intake] }, line(locker, locker.device, baud.locker, counter.locker, 10)),
      ZvtTerminal.layer({ t1: "200 millis", t2: "1 second", t3: "2 seconds" }, line(card, card.device, baud.card, counter.card, 11, 2)),
      SmsModem.layer({}, line(modem, modem.device, baud.modem, counter.modem, 10))
    )
    const drivers = Layer.mergeAll(
      KerongLockerBank.layer({
        line: { device: "locker", path: locker.host, baudRate: baud.locker, binding: counting(locker.binding, counter.locker, 10) },
        boards,
        channels,
        timing: lockerTiming
      }),
      ZvtCardTerminal.layer({
        line: { device: "card", path: card.host, baudRate: baud.card, binding: counting(card.binding, counter.card, 11) },
        password: "000000",
        configByte: 0xb8,
        currency: 978,
        timing: cardTiming
      }),
      AtSmsGateway.layer({
        line: { path: modem.host, baudRate: baud.modem, binding: counting(modem.binding, counter.modem, 10) },
        mode: "pdu",
        timing: modemTiming
      })
    )
    return Layer.mergeAll(drivers.pipe(Layer.provideMerge(twins)), ScannerTwin.layer, AuthorityTwin.layer)
  }))

export const driverPickupBench = (transport: "pair" | "pty", count: number) =>
  Effect.gen(function*() {
    const counter: Counters = { locker: { bytes: 0, bits: 0 }, card: { bytes: 0, bits: 0 }, modem: { bytes: 0, bits: 0 } }
    const db = join(mkdtempSync(join(tmpdir(), "amtomat-bench-db-")), "t.db")
    const terminal = terminalLayer({
      config: { ...defaultPolicy, pollMillis: 10 },
      layout: demoLayout,
      cardKey: Buffer.alloc(16, 1),
      auditKey: Buffer.alloc(32, 2),
      devices: devices(transport, counter),
      database: databaseLayer(db)
    })
    return yield* Effect.gen(function*() {
      yield* boot(transport)
      const loading = yield* Loading
      const pickup = yield* Pickup
      const sessions = yield* CardSessions
      const hands = yield* LockerTwin.LockerTwin
      const card = yield* CardTwin.CardTwin
      const sms = yield* SmsTwin.SmsTwin
      const staff = yield* (yield* StaffAuth).create("bench", "Bench", "supervisor", "bench-password-1")
      let busy = 0
      let wireSeconds = 0
      for (let i = 0; i < count; i++) {
        const phone = PhoneNumber.make(`+4915150000${String(i).padStart(3, "0")}`)
        const order = yield* loading.announce({ documentKind: DocumentKind.make("id-card"), phone, requiresOldDocument: false, size: "S", preferBand: null })
        const c = yield* loading.startLoad(order.id)
        yield* hands.putItem(c.channel)
        yield* hands.close(c.channel)
        yield* loading.confirmLoad(order.id, staff.id)
        const before = snapshot(counter)
        const t0 = performance.now()
        yield* card.insert(`bench-${i}`)
        const { sessionId } = yield* sessions.start()
        yield* pickup.identify(sessionId, order.pickupNumber)
        const text = (yield* sms.inbox(phone)).at(-1)!.text
        yield* pickup.verify(sessionId, codeIn(text)!)
        yield* pickup.open(sessionId)
        const done = yield* Effect.fork(pickup.complete(sessionId))
        yield* hands.takeItem(c.channel)
        yield* hands.close(c.channel)
        yield* Fiber.join(done)
        busy += performance.now() - t0
        // wire time: the bits on each line at its own rate, both directions; a pickup's exchanges
        // (including the board polling while it runs) are counted in full and added up
        wireSeconds += wireMillis(counter, before) / 1000
      }
      return {
        bench: `pickup.drivers.${transport}${transport === "pty" ? "+byte-timing" : ""}`,
        pickups: count,
        msPerPickup: Number((busy / count).toFixed(1)),
        pickupsPerSecond: Number((count / (busy / 1000)).toFixed(2)),
        bytesPerPickup: Math.round((counter.locker.bytes + counter.card.bytes + counter.modem.bytes) / count),
        wireMsPerPickup: Number(((wireSeconds * 1000) / count).toFixed(1)),
        ...(transport === "pty" ? { ratioToWireTime: Number((busy / (wireSeconds * 1000)).toFixed(2)) } : {})
      }
    }).pipe(Effect.provide(terminal), Effect.scoped)
  })
