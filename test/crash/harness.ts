/**
 * The crash harness: random workflows against the terminal on PTY twins,
 * SIGKILL at a random moment, restart, check. What must hold after every
 * restart:
 *   - the event log's hash chain is intact;
 *   - every step the terminal acknowledged (a 2xx answer) is in the log;
 *   - every order is in exactly one consistent state, matching the
 *     compartments, and its document is where the records say — or staff
 *     have an alarm saying it is not;
 *   - no document is released twice;
 *   - the terminal is alive: after every `livenessEvery`-th restart (default 5,
 *     AMTOMAT_CRASH_LIVENESS_EVERY) a fresh order is loaded and picked up in full
 *     through the kiosk API with the twin's hands, and must be collected.
 */
import Database from "better-sqlite3"
import { Effect } from "effect"
import { lastCodeIn } from "../../core/domain/rules.ts"
import { type EventRow, verifyRows } from "../../core/persistence/EventLog.ts"
import { client } from "../../hardware-sim/control/client.ts"
import { addStaff, kill, startTerminal, type Terminal, type Twins } from "./processes.ts"

/** mulberry32: the harness's own seeded randomness (test code), so a failing run can be replayed. */
export const rng = (seed: number) => () => {
  seed |= 0
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

interface Ack {
  readonly type: string
  readonly match: Record<string, string>
}

export interface CrashReport {
  kills: number
  acknowledged: number
  pickups: number
  loads: number
  findings: number
  liveness?: number
}

/**
 * `powerLoss`: at every kill the twins lose power too (volatile device state
 * gone, doors and documents where they physically are).
 */
export const crashRun = async (
  options: { bundled: string; twins: Twins; db: string; kills: number; seed: number; powerLoss?: boolean; livenessEvery?: number }
) => {
  const random = rng(options.seed)
  const pick = <A>(xs: ReadonlyArray<A>) => xs[Math.floor(random() * xs.length)]!
  const hands = await Effect.runPromise(client(options.twins.control))
  const run = <A>(e: Effect.Effect<A, unknown>) => Effect.runPromise(Effect.either(e))
  const acks: Array<Ack> = []
  const report: CrashReport = { kills: 0, acknowledged: 0, pickups: 0, loads: 0, findings: 0, liveness: 0 }
  const livenessEvery = options.livenessEvery ?? 5
  addStaff(options.bundled, options.db)
  let terminal: Terminal = await startTerminal(options.bundled, options.twins, options.db)
  let token = ""
  let phone = 0

  /** One life of the terminal: its address, and whether it still runs. Requests of a dead life fail at once. */
  let life = { base: terminal.base, alive: true }
  const http = async (method: string, path: string, body?: unknown) => {
    const mine = life
    if (!mine.alive) throw new Error("terminal is down")
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body !== undefined) headers["content-type"] = "application/json"
    const r = await fetch(`${mine.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : undefined }
  }
  const ack = (type: string, match: Record<string, string>) => {
    acks.push({ type, match })
    report.acknowledged++
  }
  const signIn = async () => {
    token = (await http("POST", "/api/staff/login", { username: "crash", password: "crash-password-1" })).body.token
  }
  const layout = await (async () => {
    await signIn()
    return (await http("GET", "/api/staff/compartments")).body as Array<{ id: number; channel: { board: number; lock: number } }>
  })()
  const channelOf = (id: number) => layout.find((c) => c.id === id)!.channel
  const intake = { board: 0, lock: 16 }

  const loadOne = async (): Promise<void> => {
    const compartments = (await http("GET", "/api/staff/compartments")).body as Array<{ state: string }>
    if (!compartments.some((c) => c.state === "free")) return pickupOne()
    const p = `+4915160${String(++phone).padStart(6, "0")}`
    const order = await http("POST", "/api/staff/orders", { documentKind: "id-card", phone: p, requiresOldDocument: random() < 0.5 })
    if (order.status !== 201) return
    ack("OrderAnnounced", { orderId: order.body.id })
    const c = await http("POST", `/api/staff/orders/${order.body.id}/load`)
    if (c.status !== 200) return
    await run(hands.locker.putItem(c.body.channel))
    await run(hands.locker.close(c.body.channel))
    const loaded = await http("POST", `/api/staff/orders/${order.body.id}/load/confirm`)
    if (loaded.status === 200) {
      ack("OrderLoaded", { orderId: order.body.id })
      report.loads++
    }
  }

  const pickupOne = async (): Promise<void> => {
    const orders = ((await http("GET", "/api/staff/orders?status=loaded")).body ?? []) as Array<
      { id: string; pickupNumber: string; phone: string; compartmentId: number; requiresOldDocument: boolean }
    >
    if (orders.length === 0) return loadOne()
    const o = pick(orders)
    await run(hands.card.insert(`crash-${o.id}`))
    const s = await http("POST", "/api/kiosk/session")
    if (s.status !== 200) return
    const sessionId = s.body.sessionId as string
    ack("CardSessionStarted", { sessionId })
    if ((await http("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: o.pickupNumber })).status !== 200) return
    ack("PickupStarted", { orderId: o.id })
    const inbox = await run(hands.sms.inbox(o.phone))
    const texts = inbox._tag === "Right" ? (inbox.right as ReadonlyArray<{ text: string }>) : []
    const code = lastCodeIn(texts.map((m) => m.text))
    if (!code || (await http("POST", "/api/kiosk/pickup/verify", { sessionId, code })).status !== 200) return
    ack("CodeVerified", { sessionId, orderId: o.id })
    if (o.requiresOldDocument) {
      const intakeCall = http("POST", "/api/kiosk/pickup/old-document", { sessionId }).catch(() => ({ status: 0, body: undefined }))
      await new Promise((r) => setTimeout(r, 300))
      await run(hands.locker.putItem(intake))
      await new Promise((r) => setTimeout(r, 300))
      await run(hands.locker.close(intake))
      if ((await intakeCall).status !== 200) return
      ack("OldDocumentReceived", { sessionId, orderId: o.id })
    }
    if ((await http("POST", "/api/kiosk/pickup/open", { sessionId })).status !== 200) return
    ack("CompartmentOpened", { orderId: o.id })
    const completing = http("POST", "/api/kiosk/pickup/complete", { sessionId }).catch(() => ({ status: 0, body: undefined }))
    await run(hands.locker.takeItem(channelOf(o.compartmentId)))
    await run(hands.locker.close(channelOf(o.compartmentId)))
    const done = await completing
    if (done.status === 200 && done.body.collected) {
      ack("PickupCompleted", { orderId: o.id })
      report.pickups++
    }
  }

  /** Staff answer the restart's alarms: an interrupted load with the document in is confirmed. */
  const staffReact = async () => {
    const announced = ((await http("GET", "/api/staff/orders?status=announced")).body ?? []) as Array<{ id: string; compartmentId: number | null }>
    for (const o of announced.filter((x) => x.compartmentId !== null)) {
      const r = await http("POST", `/api/staff/orders/${o.id}/load/confirm`)
      if (r.status === 200) ack("OrderLoaded", { orderId: o.id })
    }
  }

  /** The physical world goes on while the terminal is down: hands finish or abandon what they were doing. */
  const afterKill = async () => {
    const locks = await run(hands.locker.locks)
    if (locks._tag === "Left") return
    for (const l of locks.right as ReadonlyArray<{ channel: { board: number; lock: number }; doorOpen: boolean; item: boolean }>) {
      if (!l.doorOpen) continue
      const r = random()
      if (r < 0.4 && l.item && l.channel.lock !== intake.lock) await run(hands.locker.takeItem(l.channel))
      if (r < 0.9) await run(hands.locker.close(l.channel))
    }
  }

  /**
   * Liveness after a restart: once the devices report up (at most 30 s), a fresh order is announced,
   * loaded and confirmed, then picked up in full through the kiosk API with the twin's hands. Any
   * step that is not acknowledged fails the run, naming the step.
   */
  const liveness = async (k: number) => {
    const fail = (step: string, r: { status: number; body: unknown }) => {
      throw new Error(`liveness after restart ${k}: ${step} answered ${r.status} ${JSON.stringify(r.body)}`)
    }
    for (let i = 0; i < 300; i++) {
      const h = await http("GET", "/health").catch(() => ({ status: 0, body: undefined }))
      const parts = ((h.body as { parts?: Array<{ key: string; device: string; state: string }> } | undefined)?.parts ?? [])
        .filter((p) => ["locker", "card", "sms"].includes(p.device) && p.state !== "unknown")
      // ready means the devices themselves, not only their ports: the card terminal registered (until then a
      // read the killed terminal left running in it may still take the next card), the modem started up
      const ready = ["locker/port", "card", "sms"].every((key) => parts.some((p) => p.key === key && p.state === "ok"))
      if (ready && parts.every((p) => p.state === "ok")) break
      await new Promise((r) => setTimeout(r, 100))
    }
    const p = `+4915169${String(++phone).padStart(6, "0")}`
    const order = await http("POST", "/api/staff/orders", { documentKind: "id-card", phone: p, requiresOldDocument: random() < 0.5 })
    if (order.status !== 201) fail("announce", order)
    ack("OrderAnnounced", { orderId: order.body.id })
    const c = await http("POST", `/api/staff/orders/${order.body.id}/load`)
    let o: { id: string; pickupNumber: string; phone: string; requiresOldDocument: boolean; compartmentId: number }
    if (c.status === 409 && c.body?.reason === "NoFreeCompartment") {
      // every compartment holds a document: the pickup takes one of them (not a fresh order then)
      const orders = ((await http("GET", "/api/staff/orders?status=loaded")).body ?? []) as Array<typeof o>
      if (orders.length === 0) fail("load", c)
      o = pick(orders)
    } else {
      if (c.status !== 200) fail("load", c)
      await run(hands.locker.putItem(c.body.channel))
      await run(hands.locker.close(c.body.channel))
      const loaded = await http("POST", `/api/staff/orders/${order.body.id}/load/confirm`)
      if (loaded.status !== 200) fail("load/confirm", loaded)
      ack("OrderLoaded", { orderId: order.body.id })
      o = loaded.body
    }
    const channel = channelOf(o.compartmentId)
    await run(hands.card.insert(`live-${o.id}`))
    const s = await http("POST", "/api/kiosk/session")
    if (s.status !== 200) fail("session", s)
    const sessionId = s.body.sessionId as string
    ack("CardSessionStarted", { sessionId })
    const identified = await http("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: o.pickupNumber })
    if (identified.status !== 200) fail("identify", identified)
    ack("PickupStarted", { orderId: o.id })
    const inbox = await run(hands.sms.inbox(o.phone))
    const texts = inbox._tag === "Right" ? (inbox.right as ReadonlyArray<{ text: string }>) : []
    const code = lastCodeIn(texts.map((m) => m.text))
    if (code === undefined) fail("sms", { status: 0, body: texts })
    const verified = await http("POST", "/api/kiosk/pickup/verify", { sessionId, code })
    if (verified.status !== 200) fail("verify", verified)
    ack("CodeVerified", { sessionId, orderId: o.id })
    if (o.requiresOldDocument) {
      const intakeCall = http("POST", "/api/kiosk/pickup/old-document", { sessionId })
      // the citizen's hand waits for the flap to open (over the serial line that takes a moment), then drops the document
      for (let i = 0; i < 100; i++) {
        const locks = await run(hands.locker.locks)
        if (locks._tag === "Right" && locks.right.some((l) => l.channel.board === intake.board && l.channel.lock === intake.lock && l.doorOpen)) break
        await new Promise((r) => setTimeout(r, 50))
      }
      const put = await run(hands.locker.putItem(intake))
      if (put._tag === "Left") fail("old-document (the flap never opened)", { status: 0, body: String(put.left) })
      await new Promise((r) => setTimeout(r, 300))
      await run(hands.locker.close(intake))
      const received = await intakeCall
      if (received.status !== 200) fail("old-document", received)
      ack("OldDocumentReceived", { sessionId, orderId: o.id })
    }
    const opened = await http("POST", "/api/kiosk/pickup/open", { sessionId })
    if (opened.status !== 200) fail("open", opened)
    ack("CompartmentOpened", { orderId: o.id })
    const completing = http("POST", "/api/kiosk/pickup/complete", { sessionId })
    await run(hands.locker.takeItem(channel))
    await run(hands.locker.close(channel))
    const done = await completing
    if (done.status !== 200 || done.body.collected !== true) fail("complete", done)
    ack("PickupCompleted", { orderId: o.id })
    report.liveness = (report.liveness ?? 0) + 1
  }

  for (let k = 0; k < options.kills; k++) {
    const current = life
    const work = (async () => {
      while (current.alive) await (random() < 0.5 ? pickupOne() : loadOne()).catch(() => undefined)
    })()
    await new Promise((r) => setTimeout(r, 100 + random() * 2500))
    current.alive = false
    await kill(terminal)
    await work
    report.kills++
    if (options.powerLoss === true) await run(hands.twins.powerCycle)
    await afterKill()
    terminal = await startTerminal(options.bundled, options.twins, options.db)
    life = { base: terminal.base, alive: true }
    // the staff token survives: sessions are in the database
    check(options.db, acks, report)
    await staffReact().catch(() => undefined)
    if (livenessEvery > 0 && (k + 1) % livenessEvery === 0) await liveness(k + 1)
  }
  await kill(terminal)
  return report
}

export const check = (db: string, acks: ReadonlyArray<Ack>, report: CrashReport) => {
  const sql = new Database(db, { readonly: true, fileMustExist: true })
  try {
    const rows = sql.prepare("SELECT * FROM events ORDER BY seq").all() as Array<EventRow>
    const chain = verifyRows(rows)
    if (!chain.ok) throw new Error(`hash chain broken at ${chain.brokenAt}: ${chain.problem}`)
    const events = rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }))
    for (const a of acks) {
      const found = events.some((e) => e.type === a.type && Object.entries(a.match).every(([k, v]) => e.data[k] === v))
      if (!found) throw new Error(`acknowledged ${a.type} ${JSON.stringify(a.match)} is not in the log`)
    }
    const completed = new Map<string, number>()
    for (const e of events.filter((x) => x.type === "PickupCompleted")) {
      completed.set(String(e.data["orderId"]), (completed.get(String(e.data["orderId"])) ?? 0) + 1)
    }
    for (const [id, n] of completed) if (n > 1) throw new Error(`order ${id} released ${n} times`)
    // a compartment never opens for a pickup of an order already collected
    const collectedAt = new Map<string, number>()
    for (const [i, e] of events.entries()) {
      if (e.type === "DocumentTaken") collectedAt.set(String(e.data["orderId"]), i)
      if (e.type === "CompartmentOpened" && e.data["purpose"] === "pickup" && collectedAt.has(String(e.data["orderId"]))) {
        throw new Error(`compartment opened for order ${String(e.data["orderId"])} after its document was taken`)
      }
    }
    const orders = sql.prepare("SELECT id, status, compartment_id FROM orders").all() as Array<{ id: string; status: string; compartment_id: number | null }>
    const compartments = sql.prepare("SELECT id, state, order_id, item FROM compartments").all() as Array<
      { id: number; state: string; order_id: string | null; item: number }
    >
    const alarms = new Set(
      (sql.prepare("SELECT compartment_id FROM alarms WHERE kind = 'reconciliation'").all() as Array<{ compartment_id: number | null }>).map((a) =>
        a.compartment_id
      )
    )
    for (const o of orders) {
      const holders = compartments.filter((c) => c.order_id === o.id)
      if (["loaded", "reminded", "locked", "expired"].includes(o.status)) {
        if (holders.length !== 1 || holders[0]!.id !== o.compartment_id) throw new Error(`order ${o.id} (${o.status}) not held by exactly its compartment`)
        if (holders[0]!.item !== 1 && !alarms.has(holders[0]!.id)) throw new Error(`order ${o.id} missing from compartment ${holders[0]!.id} without an alarm`)
      } else if (["collected", "returned", "counter"].includes(o.status)) {
        if (holders.length !== 0) throw new Error(`closed order ${o.id} (${o.status}) still held by compartment ${holders[0]!.id}`)
      } else if (o.status === "announced" && holders.length > 1) {
        throw new Error(`announced order ${o.id} held by ${holders.length} compartments`)
      }
    }
    report.findings = events.filter((e) => e.type === "ReconciliationFinding").length
  } finally {
    sql.close()
  }
}
