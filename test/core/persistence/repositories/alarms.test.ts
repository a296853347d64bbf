/**
 * The alarms repository on SQLite and on PostgreSQL: the same statements,
 * the same answers. "Open" means neither acknowledged nor resolved; an
 * acknowledgement or resolution applies only to open alarms; a row that
 * breaks the schema is reported, not half-decoded.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Alarm } from "../../../../core/domain/alarm.ts"
import { AlarmId, CompartmentId, StaffId } from "../../../../core/domain/ids.ts"
import { AlarmsRepo } from "../../../../core/persistence/AlarmsRepo.ts"
import { databases } from "../../../support/databases.ts"

const aid = (s: string) => AlarmId.make(`alm_${s.padEnd(12, "0")}`)
const staff = (s: string) => StaffId.make(`stf_${s.padEnd(12, "0")}`)

const alarm = (id: string, over: Partial<ConstructorParameters<typeof Alarm>[0]> = {}) =>
  new Alarm({
    id: aid(id),
    kind: "door_left_open",
    compartmentId: CompartmentId.make(3),
    subject: "",
    detail: "door 3 open",
    raisedAt: `2026-12-01T10:00:0${id.length % 10}.000Z`,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgedNote: null,
    resolvedAt: null,
    ...over
  })

for (const db of databases) {
  describe.skipIf(db.skip !== "")(`AlarmsRepo on ${db.name}`, () => {
    const run = <A, E>(effect: Effect.Effect<A, E, AlarmsRepo | SqlClient.SqlClient>) =>
      effect.pipe(Effect.provide(AlarmsRepo.Default), Effect.provide(db.layer()))

    it.effect("round trip: what is inserted comes back equal, null compartment included", () =>
      run(Effect.gen(function*() {
        const repo = yield* AlarmsRepo
        const a = alarm("1")
        const b = alarm("2", { compartmentId: null, kind: "device_offline", subject: "locker" })
        yield* repo.insert(a)
        yield* repo.insert(b)
        expect(yield* repo.find(a.id)).toEqual(Option.some(a))
        expect(yield* repo.find(b.id)).toEqual(Option.some(b))
        expect(yield* repo.find(aid("nope"))).toEqual(Option.none())
        expect(yield* repo.findOpen({ kind: "device_offline", subject: "locker", compartmentId: null })).toEqual(Option.some(b))
        // the compartment is part of the key: the same kind on another compartment is not this alarm
        expect(yield* repo.findOpen({ kind: "door_left_open", subject: "", compartmentId: CompartmentId.make(4) })).toEqual(Option.none())
        expect(yield* repo.countOpen).toBe(2)
      })))

    it.effect("acknowledge and resolve touch only open alarms", () =>
      run(Effect.gen(function*() {
        const repo = yield* AlarmsRepo
        yield* repo.insert(alarm("a", { kind: "device_offline", compartmentId: null, subject: "sms" }))
        yield* repo.insert(alarm("b", { kind: "device_offline", compartmentId: null, subject: "sms" }))
        yield* repo.insert(alarm("c", { kind: "device_offline", compartmentId: null, subject: "locker" }))
        const acked = yield* repo.acknowledgeOpen(aid("a"), staff("1"), "2026-12-01T11:00:00.000Z", "modem restarted, SMS go out again")
        expect(Option.map(acked, (a) => [a.acknowledgedBy, a.acknowledgedAt, a.acknowledgedNote])).toEqual(
          Option.some([staff("1"), "2026-12-01T11:00:00.000Z", "modem restarted, SMS go out again"])
        )
        expect(Option.map(yield* repo.find(aid("a")), (a) => a.acknowledgedNote)).toEqual(Option.some("modem restarted, SMS go out again"))
        // a second acknowledgement finds nothing open
        expect(yield* repo.acknowledgeOpen(aid("a"), staff("2"), "2026-12-01T12:00:00.000Z")).toEqual(Option.none())
        // resolving "sms" resolves only the open one of that subject
        const resolved = yield* repo.resolveOpen("device_offline", "sms", "2026-12-01T13:00:00.000Z")
        expect(resolved.map((a) => a.id)).toEqual([aid("b")])
        expect((yield* repo.list(true)).map((a) => a.id)).toEqual([aid("c")])
        expect((yield* repo.list(false)).map((a) => a.id).sort()).toEqual([aid("a"), aid("b"), aid("c")])
      })))

    it.effect("a row that breaks the schema is a defect that names what is wrong, not a half-typed alarm", () =>
      run(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* AlarmsRepo
        yield* repo.insert(alarm("good"))
        expect(yield* repo.countOpen).toBe(1)
        // a hand edit: an id no alarm can have
        yield* sql`INSERT INTO alarms (id, kind, compartment_id, subject, detail, raised_at) VALUES ('bogus', 'jam', 1, '', 'd', 'now')`
        const exit = yield* Effect.exit(repo.list(true))
        expect(exit._tag).toBe("Failure")
        expect(String(exit)).toContain("a database row does not match its schema")
        expect(String(exit)).toContain("bogus")
      })))
  })
}
