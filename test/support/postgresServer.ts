/**
 * A real PostgreSQL server for the whole test run (vitest globalSetup): Debian's
 * server binaries (`/usr/lib/postgresql/<version>/bin`), a fresh cluster in a
 * temporary folder, listening only on a Unix socket and 127.0.0.1 at a free
 * port, run as the `postgres` user when the tests run as root (initdb refuses
 * root). Tests get its URL with `inject("postgresUrl")` and make their own
 * database in it (`test/support/databases.ts`).
 *
 * Without the binaries the URL is empty and the PostgreSQL half of a suite is
 * skipped with the reason, except under CI (`CI=true`), where a missing server
 * fails the run: `.ci/run` installs `postgresql`.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** postgres://… of the run's server, or "" when there is none (see `postgresMissing`). */
    postgresUrl: string
    postgresMissing: string
  }
}

const binaries = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

export default async function setup(project: TestProject) {
  const bin = binaries()
  if (bin === undefined) {
    const why = "no PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql)"
    if (process.env["CI"] === "true") throw new Error(`${why}: CI needs them for the repository tests`)
    project.provide("postgresUrl", "")
    project.provide("postgresMissing", why)
    return
  }
  const root = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), "amtomat-pg-"))
  chmodSync(dir, 0o777)
  const data = join(dir, "data")
  const run = (cmd: string, args: Array<string>) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: ["ignore", "pipe", "pipe"] })
      : execFileSync(join(bin, cmd), args, { stdio: ["ignore", "pipe", "pipe"] })
  const port = await freePort()
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
  run("pg_ctl", [
    "-D",
    data,
    "-l",
    join(dir, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    "start"
  ])
  project.provide("postgresUrl", `postgres://postgres@127.0.0.1:${port}/postgres`)
  project.provide("postgresMissing", "")
  return () => {
    if (root) spawnSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"])
    else spawnSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"])
    rmSync(dir, { recursive: true, force: true })
  }
}
