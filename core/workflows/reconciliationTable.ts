/**
 * What a restart does with each compartment: the record (its state, why it
 * was open, its order) against the sensors (door, item). Pure, so the whole
 * table can be listed, tested row by row and checked for its safety rules:
 *
 *   - nothing is freed or marked collected while its item sensor reads a
 *     document inside;
 *   - a document is never recorded as collected unless the sensor reads the
 *     compartment empty after a pickup opened it;
 *   - every door found open raises a door-left-open alarm;
 *   - every mismatch between record and sensors is a finding with an alarm,
 *     unless the record can be corrected from the sensors alone.
 *
 * A door whose board does not answer (`unknown`) is left as it is: the
 * device watch has already raised `device_offline`, and the next restart (or
 * the locker watch, once the board answers) looks again.
 */
import type { CompartmentState } from "../domain/compartment.ts"
import type { AlarmKind } from "../domain/events.ts"

/** The record of a compartment, reduced to what decides a restart. */
export type RecordKind =
  | "free"
  /** reserved for a load whose door was never recorded open */
  | "reserved"
  /** open for a pickup; its order still waits */
  | "pickup"
  /** open for a load; its order is announced */
  | "load"
  /** open for staff to take the document back */
  | "return"
  /** open, no order (a pickup done, the door not yet shut) */
  | "open-empty"
  | "loaded"
  /** out of service with an order inside */
  | "out-of-service-order"
  | "out-of-service-empty"
  /** the compartment still names an order that is closed (collected, returned, counter) */
  | "stale-order"

export const recordKinds: ReadonlyArray<RecordKind> = [
  "free",
  "reserved",
  "pickup",
  "load",
  "return",
  "open-empty",
  "loaded",
  "out-of-service-order",
  "out-of-service-empty",
  "stale-order"
]

export interface Sensed {
  readonly door: "open" | "closed"
  readonly item: boolean
}

export interface Decision {
  /** the compartment's new state; `same` leaves it */
  readonly state: CompartmentState | "same"
  /** whether the compartment keeps its order (false: the link is cleared) */
  readonly keepsOrder: boolean
  /** what happens to the order */
  readonly order: "none" | "collected" | "load-aborted" | "ready-again"
  /** why, for the ReconciliationFinding event; null when nothing is worth telling */
  readonly finding: string | null
  readonly alarms: ReadonlyArray<AlarmKind>
}

const same = (finding: string | null = null, alarms: ReadonlyArray<AlarmKind> = []): Decision => ({
  state: "same",
  keepsOrder: true,
  order: "none",
  finding,
  alarms
})

/** The table. */
export const decide = (record: RecordKind, s: Sensed): Decision => {
  const open = s.door === "open"
  const door: ReadonlyArray<AlarmKind> = open ? ["door_left_open"] : []
  /** the state a compartment without an order gets: free when shut, open (freed when shut) otherwise */
  const emptyState: CompartmentState = open ? "open" : "free"
  switch (record) {
    case "free":
      return s.item
        ? same("should be empty but holds an item", ["reconciliation", ...door])
        : same(open ? "is open at start" : null, door)
    case "reserved":
      if (!open && !s.item) return { state: "free", keepsOrder: false, order: "load-aborted", finding: null, alarms: [] }
      // the door was opened for the load (it is open, or a document is inside): the load goes on, staff confirm it
      return {
        state: "open",
        keepsOrder: true,
        order: "none",
        finding: "a load was cut off after its door opened; confirm or cancel it",
        alarms: ["reconciliation", ...door]
      }
    case "pickup":
      if (!s.item) {
        return {
          state: emptyState,
          keepsOrder: false,
          order: "collected",
          finding: "a pickup was cut off after the document was taken: collected",
          alarms: door
        }
      }
      return {
        state: "loaded",
        keepsOrder: true,
        order: "ready-again",
        finding: "a pickup was cut off with the document still inside: ready again",
        alarms: door
      }
    case "load":
      if (!s.item) {
        return { state: emptyState, keepsOrder: false, order: "load-aborted", finding: "a load was cut off before a document went in: cancelled", alarms: door }
      }
      return same("a load was cut off with the document inside: confirm the load", ["reconciliation", ...door])
    case "return":
      if (s.item) {
        return { state: "loaded", keepsOrder: true, order: "ready-again", finding: "a return was cut off with the document still inside", alarms: door }
      }
      return same("a return was cut off with the compartment empty: confirm the return", ["reconciliation", ...door])
    case "open-empty":
      // an item nobody owns: out of service until staff have emptied it (never handed to the next load)
      if (s.item) {
        return {
          state: "out_of_service",
          keepsOrder: false,
          order: "none",
          finding: "open without an order but holds an item; out of service until emptied",
          alarms: ["reconciliation", ...door]
        }
      }
      return { state: emptyState, keepsOrder: false, order: "none", finding: open ? "is open at start" : null, alarms: door }
    case "loaded":
      if (!s.item) return same("should hold its order's document but reads empty", ["reconciliation", ...door])
      return same(open ? "is open at start with the document inside" : null, door)
    case "out-of-service-order":
      if (!s.item) return same("is out of service and should hold its order's document but reads empty", ["reconciliation", ...door])
      return same(open ? "is open at start" : null, door)
    case "out-of-service-empty":
      if (s.item) return same("is out of service and empty on record but holds an item", ["reconciliation", ...door])
      return same(open ? "is open at start" : null, door)
    case "stale-order":
      if (s.item) {
        return {
          state: "out_of_service",
          keepsOrder: false,
          order: "none",
          finding: "still recorded a closed order and holds an item; out of service until emptied",
          alarms: ["reconciliation", ...door]
        }
      }
      return { state: emptyState, keepsOrder: false, order: "none", finding: "still recorded a closed order; released", alarms: door }
  }
}

/** The safety rules of the table, as a check over any decision function (the tests also feed it broken ones). */
export const violations = (f: (record: RecordKind, s: Sensed) => Decision): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const record of recordKinds) {
    for (const door of ["open", "closed"] as const) {
      for (const item of [true, false]) {
        const d = f(record, { door, item })
        const at = `${record} with door ${door}, item ${item}`
        if (item && d.state === "free") out.push(`${at}: freed with a document inside`)
        if (item && d.order === "collected") out.push(`${at}: collected with the document inside`)
        if (d.order === "collected" && record !== "pickup") out.push(`${at}: collected without a pickup`)
        if (door === "open" && !d.alarms.includes("door_left_open")) out.push(`${at}: an open door without an alarm`)
        if (door === "open" && d.state === "free") out.push(`${at}: freed while its door stands open`)
      }
    }
  }
  return out
}
