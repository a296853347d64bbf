/**
 * A real PostgreSQL server for the whole test run (vitest globalSetup): a fresh cluster
 * from Debian's server binaries (county/harness/postgresCluster.ts), fsync off. Tests get
 * its URL with `inject("postgresUrl")` and make their own database in it
 * (`test/support/databases.ts`).
 *
 * Without the binaries the URL is empty and the PostgreSQL half of a suite is
 * skipped with the reason, except under CI (`CI=true`), where a missing server
 * fails the run: `.ci/run` installs `postgresql`.
 */
import type { TestProject } from "vitest/node"
import { MISSING_POSTGRES, startPostgresCluster } from "../../county/harness/postgresCluster.ts"

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://… of the run's server, or "" when there is none (see `postgresMissing`). */
    postgresUrl: string
    postgresMissing: string
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster({ durable: false })
  if (cluster === undefined) {
    if (process.env["CI"] === "true") throw new Error(`${MISSING_POSTGRES}: CI needs them for the repository tests`)
    project.provide("postgresUrl", "")
    project.provide("postgresMissing", MISSING_POSTGRES)
    return
  }
  project.provide("postgresUrl", cluster.url)
  project.provide("postgresMissing", "")
  return cluster.stop
}
