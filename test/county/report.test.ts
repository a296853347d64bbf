/**
 * The county-wide report is the study's analytics over what the terminals replicated: with
 * three sites' synthetic year pushed through the county's replication, county staff get the
 * summary the same records give directly, a clerk only their site's, and an event of a kind
 * this version does not know is left out with a warning instead of failing the report.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { defaultAnalyticsConfig } from "../../analytics/config.ts"
import { type EventRecord, inTimeOrder } from "../../analytics/records.ts"
import { summarise } from "../../analytics/summary.ts"
import { fixtureEvents, statusQuo } from "../../analytics/synthetic/fixture.ts"
import { TerminalEvent } from "../../core/domain/events.ts"
import { canonicalJson } from "../../core/persistence/canonical.ts"
import { GENESIS, hashRow } from "../../core/persistence/EventLog.ts"
import { MAX_PUSH, type ReplicatedRow } from "../../core/protocols/replication.ts"
import { CountyStaff } from "../../county/CountyStaff.ts"
import { deviceStates, Fleet } from "../../county/Fleet.ts"
import { countyServices } from "../../county/http/server.ts"
import { countySchema } from "../../county/persistence/database.ts"
import { Registry } from "../../county/Registry.ts"
import { Replication } from "../../county/replication/Replication.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { headOf } from "./chain.ts"

const encode = Schema.encodeSync(TerminalEvent)
const PASSWORD = "correct horse battery"

/** One terminal per site: its records as a hash-chained log, numbered as the terminal would. */
const chainOf = (terminal: string, records: ReadonlyArray<EventRecord>, extra: ReadonlyArray<{ type: string; data: string }> = []) => {
  const rows: Array<ReplicatedRow> = []
  let prev = GENESIS
  const add = (at: string, site: string, type: string, data: string) => {
    const base = { seq: rows.length + 1, at, site, terminal, type, data, prev_hash: prev }
    const hash = hashRow(base)
    rows.push({ ...base, hash, mac: null })
    prev = hash
  }
  for (const r of records) add(r.at, r.site, r.event._tag, canonicalJson(encode(r.event)))
  const last = records[records.length - 1]!
  for (const e of extra) add(last.at, last.site, e.type, e.data)
  return rows
}

const pushAll = (terminal: string, rows: ReadonlyArray<ReplicatedRow>) =>
  Effect.gen(function*() {
    const replication = yield* Replication
    for (let i = 0; i < rows.length; i += MAX_PUSH) {
      const batch = rows.slice(i, i + MAX_PUSH)
      yield* replication.push(terminal, { rows: batch, through: headOf(batch) })
    }
  })

describe("the county-wide report", () => {
  it.effect(
    "is the analytics of the replicated events: all sites for county staff, one for a clerk, an unknown event left out with a warning",
    () =>
      Effect.gen(function*() {
        const records = inTimeOrder(fixtureEvents({ ...statusQuo, months: 12 }, 1))
        const sites = [...new Set(records.map((r) => r.site))].sort()
        expect(sites.length).toBe(3)
        const registry = yield* Registry
        for (const site of sites) {
          const terminal = `T-${site}`
          yield* registry.add(terminal, site)
          const own = records.filter((r) => r.site === site).map((r) => ({ ...r, terminal }))
          const extra = site === "Mayen" ? [{ type: "FutureEvent", data: "{\"_tag\":\"FutureEvent\",\"x\":1}" }] : []
          yield* pushAll(terminal, chainOf(terminal, own, extra))
        }
        const staff = yield* CountyStaff
        const fleet = yield* Fleet
        const boss = yield* staff.create({ username: "boss", displayName: "Boss", role: "county", site: null, password: PASSWORD })
        const clerk = yield* staff.create({ username: "clerk", displayName: "Clerk", role: "clerk", site: "Mendig", password: PASSWORD })

        const all = yield* fleet.report(boss)
        expect(all.sites).toEqual(sites)
        const direct = summarise(records.map((r) => ({ ...r, terminal: `T-${r.site}` })), defaultAnalyticsConfig)
        expect(direct.siteTotals.every((s) => s.pickupsTerminal > 0 && s.pickupsCounter > 0)).toBe(true)
        expect(all.replicates[0]!.summary.siteTotals).toEqual(direct.siteTotals)
        expect(all.replicates[0]!.summary.months).toEqual(direct.months)
        expect(all.replicates[0]!.skipped).toBe(1)
        expect(all.warnings).toEqual([
          "1 replicated events are of a kind this county server does not know (a newer terminal version?); the report leaves them out"
        ])

        // the fleet shows each terminal's devices as its replicated events last said
        const lastSms = records.filter((r) => r.site === "Mayen" && r.event._tag === "DeviceStatusChanged").at(-1)
        const mayen = (yield* fleet.terminals(boss)).find((t) => t.site === "Mayen")!
        expect(lastSms?.event).toMatchObject({ _tag: "DeviceStatusChanged" })
        const last = lastSms!.event as { readonly device: string; readonly online: boolean }
        expect(mayen.devices).toContainEqual(expect.objectContaining({ device: last.device, online: last.online, since: lastSms!.at }))

        const mine = yield* fleet.report(clerk)
        expect(mine.sites).toEqual(["Mendig"])
        const mendig = summarise(records.filter((r) => r.site === "Mendig").map((r) => ({ ...r, terminal: "T-Mendig" })), defaultAnalyticsConfig)
        expect(mine.replicates[0]!.summary.siteTotals).toEqual(mendig.siteTotals)
        expect(mine.warnings).toEqual([])
      }).pipe(
        Effect.provide(countyServices.pipe(Layer.provideMerge(countySchema), Layer.provideMerge(SqliteClient.layer({ filename: tempDb() })), Layer.orDie))
      ),
    120_000
  )
})

describe("the fleet's device states", () => {
  const row = (terminal: string, at: string, device: string, online: boolean, detail: string) => ({
    terminal,
    at,
    data: JSON.stringify({ _tag: "DeviceStatusChanged", device, online, detail })
  })

  it("are each device's last reported state per terminal; a row that is not a device status is passed over", () => {
    const states = deviceStates([
      row("T1", "2024-01-01T08:00:00.000Z", "sms", false, "modem not answering"),
      row("T1", "2024-01-01T08:05:00.000Z", "locker", false, "board 1 silent"),
      row("T1", "2024-01-01T10:00:00.000Z", "sms", true, "back"),
      { terminal: "T1", at: "2024-01-01T11:00:00.000Z", data: "{\"_tag\":\"DeviceStatusChanged\",\"device\":\"toaster\"}" },
      row("T2", "2024-01-02T09:00:00.000Z", "sms", false, "no SIM")
    ])
    expect(states("T1")).toEqual([
      { device: "locker", online: false, detail: "board 1 silent", since: "2024-01-01T08:05:00.000Z" },
      { device: "sms", online: true, detail: "back", since: "2024-01-01T10:00:00.000Z" }
    ])
    expect(states("T2")).toEqual([{ device: "sms", online: false, detail: "no SIM", since: "2024-01-02T09:00:00.000Z" }])
    expect(states("T3")).toEqual([])
  })
})
