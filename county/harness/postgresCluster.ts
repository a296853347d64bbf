/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries
 * (`/usr/lib/postgresql/<version>/bin`), `initdb` in a temporary folder, `pg_ctl` on a free
 * loopback port and a Unix socket in that folder, as the `postgres` user when run as root
 * (initdb refuses root). Nothing is installed or enabled as a service.
 */
import { execFileSync, spawnSync } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const postgresBinaries = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

export const MISSING_POSTGRES = "no PostgreSQL server binaries under /usr/lib/postgresql (Debian package postgresql)"

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

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication, loopback only). */
  readonly url: string
  /** Stops the server at once and removes its folder. */
  readonly stop: () => void
}

/**
 * Starts a cluster, or undefined without the binaries. `durable: false` turns fsync off
 * (tests: fast, nothing to keep); benchmarks keep it on, as a county's server would.
 */
export const startPostgresCluster = async (options: { readonly durable: boolean; readonly maxConnections?: number }): Promise<PostgresCluster | undefined> => {
  const bin = postgresBinaries()
  if (bin === undefined) return undefined
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
  const settings = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", `-c max_connections=${options.maxConnections ?? 200}`]
  if (!options.durable) settings.push("-c fsync=off")
  run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", settings.join(" "), "start"])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      if (root) spawnSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"])
      else spawnSync(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"])
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
