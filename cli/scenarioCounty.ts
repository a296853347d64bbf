/**
 * The county of `scenario run --fidelity full --county`: per replicate a fresh county
 * (county/) on SQLite in the run's folder, each site's terminal registered and linked in
 * process (county/replication/localGateway.ts). Wired here, in the command, because the
 * scenario engine does not depend on the county server.
 */
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { join } from "node:path"
import { countyServices } from "../county/http/server.ts"
import { countySchema } from "../county/persistence/database.ts"
import { ReplicaRepo } from "../county/persistence/ReplicaRepo.ts"
import { Registry } from "../county/Registry.ts"
import { localGateway } from "../county/replication/localGateway.ts"
import type { Replication } from "../county/replication/Replication.ts"
import { ScenarioCounty } from "../scenarios/full/county.ts"

export const scenarioCountyLayer = Layer.succeed(ScenarioCounty, {
  open: (folder) =>
    Effect.gen(function*() {
      const context = yield* Layer.build(
        countyServices.pipe(Layer.provideMerge(countySchema), Layer.provideMerge(SqliteClient.layer({ filename: join(folder, "county.db") })), Layer.orDie)
      )
      const inCounty = <A, E>(effect: Effect.Effect<A, E, Registry | ReplicaRepo | Replication>) => Effect.orDie(Effect.provide(effect, context))
      return {
        join: (terminal: string, site: string) => inCounty(Effect.zipRight(Effect.flatMap(Registry, (r) => r.add(terminal, site)), localGateway(terminal))),
        rows: inCounty(Effect.flatMap(ReplicaRepo, (r) => r.allRows()))
      }
    })
})
