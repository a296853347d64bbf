/**
 * The restart table, every row: each record a compartment can have against
 * each door and item reading. First the pure table against an expectation
 * written out by hand, then its safety rules (and that the check of them
 * catches a broken table), then every row through a real restart: the record
 * written, the terminal started again on twins in that physical state.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { demoLayout } from "../../../core/domain/compartment.ts"
import { CompartmentId } from "../../../core/domain/ids.ts"
import { DocumentKind, PhoneNumber } from "../../../core/domain/values.ts"
import { CompartmentsRepo } from "../../../core/persistence/CompartmentsRepo.ts"
import { OrdersRepo } from "../../../core/persistence/OrdersRepo.ts"
import { Alarms } from "../../../core/workflows/Alarms.ts"
import { Loading } from "../../../core/workflows/Loading.ts"
import { decide, type Decision, type RecordKind, recordKinds, type Sensed, violations } from "../../../core/workflows/reconciliationTable.ts"
import { tempDb, testTerminal } from "../../support/terminal.ts"

/**
 * record, door, item  ->  state, order, alarms ("-" none). `same` keeps the state; `=order` keeps the order, `-order` drops it.
 * Written out independently of the implementation: a change to the table must change this too.
 */
const expected = `
free            closed item   same =order none          reconciliation
free            closed empty  same =order none          -
free            open   item   same =order none          reconciliation,door_left_open
free            open   empty  same =order none          door_left_open
reserved        closed item   open =order none          reconciliation
reserved        closed empty  free -order load-aborted  -
reserved        open   item   open =order none          reconciliation,door_left_open
reserved        open   empty  open =order none          reconciliation,door_left_open
pickup          closed item   loaded =order ready-again -
pickup          closed empty  free -order collected     -
pickup          open   item   loaded =order ready-again door_left_open
pickup          open   empty  open -order collected     door_left_open
load            closed item   same =order none          reconciliation
load            closed empty  free -order load-aborted  -
load            open   item   same =order none          reconciliation,door_left_open
load            open   empty  open -order load-aborted  door_left_open
return          closed item   loaded =order ready-again -
return          closed empty  same =order none          reconciliation
return          open   item   loaded =order ready-again door_left_open
return          open   empty  same =order none          reconciliation,door_left_open
open-empty      closed item   out_of_service -order none reconciliation
open-empty      closed empty  free -order none          -
open-empty      open   item   out_of_service -order none reconciliation,door_left_open
open-empty      open   empty  open -order none          door_left_open
loaded          closed item   same =order none          -
loaded          closed empty  same =order none          reconciliation
loaded          open   item   same =order none          door_left_open
loaded          open   empty  same =order none          reconciliation,door_left_open
out-of-service-order closed item  same =order none      -
out-of-service-order closed empty same =order none      reconciliation
out-of-service-order open   item  same =order none      door_left_open
out-of-service-order open   empty same =order none      reconciliation,door_left_open
out-of-service-empty closed item  same =order none      reconciliation
out-of-service-empty closed empty same =order none      -
out-of-service-empty open   item  same =order none      reconciliation,door_left_open
out-of-service-empty open   empty same =order none      door_left_open
stale-order     closed item   out_of_service -order none reconciliation
stale-order     closed empty  free -order none          -
stale-order     open   item   out_of_service -order none reconciliation,door_left_open
stale-order     open   empty  open -order none          door_left_open
`.trim().split("\n").map((line) => {
  const [record, door, item, state, keeps, order, alarms] = line.trim().split(/\s+/) as [RecordKind, "open" | "closed", string, string, string, string, string]
  return {
    record,
    sensed: { door, item: item === "item" } satisfies Sensed,
    state,
    keepsOrder: keeps === "=order",
    order,
    alarms: alarms === "-" ? [] : alarms.split(",")
  }
})

const rowName = (r: { readonly record: string; readonly sensed: Sensed }) =>
  `${r.record}, door ${r.sensed.door}, ${r.sensed.item ? "document inside" : "empty"}`

describe("Restart table", () => {
  it("has a row for every record and every door and item reading", () => {
    expect(expected).toHaveLength(recordKinds.length * 4)
    expect(new Set(expected.map(rowName)).size).toBe(expected.length)
  })

  for (const row of expected) {
    it(`decides ${rowName(row)}`, () => {
      const d = decide(row.record, row.sensed)
      expect({ state: d.state, keepsOrder: d.keepsOrder, order: d.order, alarms: [...d.alarms] }).toEqual({
        state: row.state,
        keepsOrder: row.keepsOrder,
        order: row.order,
        alarms: row.alarms
      })
      if (d.alarms.length > 0) expect(d.finding).not.toBeNull()
    })
  }

  it("keeps its safety rules, and the check of them catches a table that breaks one", () => {
    expect(violations(decide)).toEqual([])
    const freesEverything = (record: RecordKind, s: Sensed): Decision => ({ ...decide(record, s), state: "free" })
    const forgetsDoors = (record: RecordKind, s: Sensed): Decision => ({ ...decide(record, s), alarms: [] })
    const collectsOnAGuess = (record: RecordKind, s: Sensed): Decision => record === "return" ? { ...decide(record, s), order: "collected" } : decide(record, s)
    expect(violations(freesEverything).some((v) => v.includes("freed with a document inside"))).toBe(true)
    expect(violations(forgetsDoors).some((v) => v.includes("an open door without an alarm"))).toBe(true)
    expect(violations(collectsOnAGuess).some((v) => v.includes("collected without a pickup"))).toBe(true)
  })
})

const C1 = CompartmentId.make(1)
const channel = demoLayout.compartments.find((c) => c.id === C1)!.channel

/** Writes the record of compartment 1 as a crash would have left it. */
const writeRecord = (record: RecordKind) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const loading = yield* Loading
    const needsOrder = !["free", "open-empty", "out-of-service-empty"].includes(record)
    if (!needsOrder) {
      const state = record === "free" ? "free" : record === "open-empty" ? "open" : "out_of_service"
      yield* sql`UPDATE compartments SET state = ${state}, order_id = NULL, purpose = NULL WHERE id = ${C1}`
      return null
    }
    const order = yield* loading.announce({
      documentKind: DocumentKind.make("id-card"),
      phone: PhoneNumber.make("+4915199999999"),
      requiresOldDocument: false,
      size: "S",
      preferBand: null
    })
    const [orderStatus, state, purpose] = ({
      reserved: ["announced", "reserved", null],
      pickup: ["loaded", "open", "pickup"],
      load: ["announced", "open", "load"],
      return: ["expired", "open", "return"],
      loaded: ["loaded", "loaded", null],
      "out-of-service-order": ["loaded", "out_of_service", null],
      "stale-order": ["collected", "loaded", null]
    } as Record<string, [string, string, string | null]>)[record]!
    yield* sql`UPDATE orders SET status = ${orderStatus}, compartment_id = ${C1}, loaded_at = '2026-11-30T10:00:00.000Z' WHERE id = ${order.id}`
    yield* sql`UPDATE compartments SET state = ${state}, order_id = ${order.id}, purpose = ${purpose} WHERE id = ${C1}`
    return { id: order.id, before: state }
  })

describe("Restart table, every row through a real restart", () => {
  for (const row of expected) {
    it.effect(rowName(row), () =>
      Effect.gen(function*() {
        const db = tempDb()
        const order = yield* writeRecord(row.record).pipe(Effect.provide(testTerminal({ db })))
        const physical = { items: row.sensed.item ? [channel] : [], openDoors: row.sensed.door === "open" ? [channel] : [] }
        yield* Effect.gen(function*() {
          const c = yield* (yield* CompartmentsRepo).get(C1)
          const before = order?.before ?? (row.record === "free" ? "free" : row.record === "open-empty" ? "open" : "out_of_service")
          expect(c.state).toBe(row.state === "same" ? before : row.state)
          expect(c.orderId).toBe(row.keepsOrder && order !== null ? order.id : null)
          const kinds = (yield* (yield* Alarms).list(true)).filter((a) => a.compartmentId === C1).map((a) => a.kind).sort()
          expect(kinds).toEqual([...row.alarms].sort())
          if (order !== null) {
            const now = yield* (yield* OrdersRepo).get(order.id)
            if (row.order === "collected") expect(now.status).toBe("collected")
            if (row.order === "load-aborted") expect(now.compartmentId).toBeNull()
            if (row.order === "ready-again") expect(["loaded", "expired"]).toContain(now.status)
          }
        }).pipe(Effect.provide(testTerminal({ db, physical })))
      }))
  }
})
