/**
 * The county's replication over a real database (SQLite and PostgreSQL): a push stored
 * once, a repeated push stored nothing twice, a fork refused with one alarm however often
 * it is retried, and nothing changed by a refusal.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { inject } from "vitest"
import { countyServices } from "../../county/http/server.ts"
import { CountyAlarmsRepo } from "../../county/persistence/CountyAlarmsRepo.ts"
import { countyPostgres, countySchema } from "../../county/persistence/database.ts"
import { ReplicaRepo } from "../../county/persistence/ReplicaRepo.ts"
import { TerminalsRepo } from "../../county/persistence/TerminalsRepo.ts"
import { Registry } from "../../county/Registry.ts"
import { Replication } from "../../county/replication/Replication.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { freshPostgres } from "../support/databases.ts"
import { chain, headOf } from "./chain.ts"

const postgresUrl = inject("postgresUrl")
const freshCounty = Layer.unwrapScoped(Effect.map(freshPostgres(postgresUrl), ({ url }) => countyPostgres(Redacted.make(url))))

const backends = [
  { name: "SQLite", skip: "", layer: () => countySchema.pipe(Layer.provideMerge(SqliteClient.layer({ filename: tempDb() }))) },
  { name: "PostgreSQL", skip: postgresUrl === "" ? inject("postgresMissing") : "", layer: () => freshCounty }
]

for (const db of backends) {
  describe.skipIf(db.skip)(`county replication on ${db.name}`, () => {
    const county = () => countyServices.pipe(Layer.provideMerge(db.layer()), Layer.orDie)

    it.effect("stores a push once; a repeat and an overlap store nothing twice", () =>
      Effect.gen(function*() {
        yield* (yield* Registry).add("T1", "Mayen")
        const replication = yield* Replication
        const log = chain(12)
        expect(yield* replication.push("T1", { rows: log.slice(0, 8), through: headOf(log.slice(0, 8)) })).toMatchObject({ accepted: 8, duplicates: 0 })
        expect(yield* replication.push("T1", { rows: log.slice(0, 8), through: headOf(log.slice(0, 8)) })).toMatchObject({ accepted: 0, duplicates: 8 })
        expect(yield* replication.push("T1", { rows: log.slice(5, 12), through: headOf(log) })).toMatchObject({ accepted: 4, duplicates: 3, head: headOf(log) })
        const stored = yield* (yield* ReplicaRepo).rows("T1")
        expect(stored.map((r) => r.hash)).toEqual(log.map((r) => r.hash))
        expect((yield* replication.head("T1")).events).toBe(12)
      }).pipe(Effect.provide(county())))

    it.effect("refuses a fork with one alarm however often it is pushed, and changes nothing", () =>
      Effect.gen(function*() {
        yield* (yield* Registry).add("T1", "Mayen")
        const replication = yield* Replication
        const log = chain(6)
        yield* replication.push("T1", { rows: log, through: headOf(log) })
        const forked = chain(8, "b")
        for (let i = 0; i < 3; i++) {
          const refused = yield* Effect.flip(replication.push("T1", { rows: forked.slice(3), through: headOf(forked) }))
          expect(refused).toMatchObject({ _tag: "ReplicationRefused", reason: "Fork", head: headOf(log) })
        }
        const open = yield* (yield* CountyAlarmsRepo).open
        expect(open.map((a) => a.kind)).toEqual(["replication-fork"])
        expect((yield* (yield* ReplicaRepo).rows("T1")).map((r) => r.hash)).toEqual(log.map((r) => r.hash))
        // a cut log is a second kind: its own alarm
        yield* Effect.flip(replication.push("T1", { rows: [], through: headOf(log.slice(0, 2)) }))
        expect((yield* (yield* CountyAlarmsRepo).open).map((a) => a.kind).sort()).toEqual(["replication-cut", "replication-fork"])
        // the highest head the terminal reported stays: a cut log cannot lower it
        expect(yield* replication.head("T1")).toMatchObject({ head: headOf(log), reported: 8 })
      }).pipe(Effect.provide(county())))

    it.effect("a taken push's compartment grid is kept; a refused push's is not", () =>
      Effect.gen(function*() {
        yield* (yield* Registry).add("T1", "Mayen")
        const replication = yield* Replication
        const terminals = yield* TerminalsRepo
        const log = chain(4)
        const grid = [{ id: 1, state: "loaded", door: "closed", item: true }, { id: 2, state: "free", door: "closed", item: false }]
        yield* replication.push("T1", { rows: log.slice(0, 2), through: headOf(log.slice(0, 2)), grid })
        const kept = Option.getOrThrow(yield* terminals.byId("T1"))
        expect(JSON.parse(kept.grid!)).toEqual(grid)
        // a gap, refused: its grid says nothing the county may trust
        yield* Effect.flip(replication.push("T1", { rows: log.slice(3), through: headOf(log), grid: [{ id: 1, state: "free", door: "open", item: false }] }))
        expect(Option.getOrThrow(yield* terminals.byId("T1")).grid).toBe(kept.grid)
        // a push without one (an older terminal) leaves it too
        yield* replication.push("T1", { rows: log.slice(2), through: headOf(log) })
        expect(Option.getOrThrow(yield* terminals.byId("T1")).grid).toBe(kept.grid)
      }).pipe(Effect.provide(county())))

    it.effect("the credential finds its terminal; another finds none", () =>
      Effect.gen(function*() {
        const registry = yield* Registry
        const credential = yield* registry.add("T1", "Mayen")
        expect((yield* registry.authenticate(credential))._tag).toBe("Some")
        expect((yield* registry.authenticate(credential + "x"))._tag).toBe("None")
        expect(yield* Effect.flip(registry.add("T1", "Mayen"))).toMatchObject({ reason: "Exists" })
        // sites as a county names them; no markup
        yield* registry.add("T2", "Mayen (VG Vordereifel)")
        yield* registry.add("T3", "Münstermaifeld")
        expect(yield* Effect.flip(registry.add("T4", "<b>Mayen</b>"))).toMatchObject({ reason: "BadName" })
        expect(yield* Effect.flip(registry.add("T 5/x", "Mayen"))).toMatchObject({ reason: "BadName" })
      }).pipe(Effect.provide(county())))
  })
}
