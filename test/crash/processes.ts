/**
 * The processes of a crash run: the protocol twins on pseudo-terminals in one
 * long-lived process, and the terminal (bundled) that is killed and restarted.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort, root } from "../../kiosk/harness/process.ts"
import { bundleCli } from "../support/cliBundle.ts"

/** Bundled inside node_modules/.cache so that the external packages resolve from the project. */
export const bundle = async () => {
  const dir = join(root, "node_modules", ".cache", "amtomat-crash")
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `terminal-${process.pid}.mjs`)
  await bundleCli(join(root, "test/crash/entry.ts"), outfile)
  return outfile
}

export const waitForLine = (child: ChildProcess, pattern: RegExp, ms: number) =>
  new Promise<RegExpMatchArray>((resolve, reject) => {
    let seen = ""
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${pattern}: ${seen.slice(-2000)}`)), ms)
    const onData = (d: Buffer) => {
      seen += d.toString()
      const m = seen.match(pattern)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("exit", (code) => reject(new Error(`exited (${code}) before ${pattern}: ${seen.slice(-2000)}`)))
  })

export interface Twins {
  readonly child: ChildProcess
  readonly control: string
  readonly config: string
  readonly stop: () => void
}

/** `amtomat twin` on fresh pseudo-terminals, with its control API. */
export const startTwins = async (bundled: string): Promise<Twins> => {
  const dir = mkdtempSync(join(tmpdir(), "amtomat-crash-"))
  const config = JSON.parse(readFileSync(join(root, "devices.example.json"), "utf8"))
  config.locker.port.path = join(dir, "locker")
  config.card.port.path = join(dir, "card")
  config.modem.port.path = join(dir, "modem")
  const file = join(dir, "devices.json")
  writeFileSync(file, JSON.stringify(config))
  const child = spawn(process.execPath, [bundled, "twin", "--config", file, "--control-port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
  const line = await waitForLine(child, /AMTOMAT_TWIN (\{.*\})/, 60_000)
  const info = JSON.parse(line[1]!) as { control: string }
  return { child, control: info.control, config: file, stop: () => child.kill("SIGTERM") }
}

export interface Terminal {
  readonly child: ChildProcess
  readonly base: string
}

export interface TerminalOptions {
  /** extra `serve` arguments, e.g. `--policy FILE` */
  readonly args?: ReadonlyArray<string>
  readonly env?: Record<string, string>
  /** every chunk the terminal writes to stdout or stderr (the soak counts log bytes) */
  readonly onOutput?: (chunk: Buffer) => void
}

export const startTerminal = async (bundled: string, twins: Pick<Twins, "config">, db: string, options: TerminalOptions = {}): Promise<Terminal> => {
  const port = await freePort()
  const child = spawn(process.execPath, [
    bundled,
    "serve",
    "--devices",
    "serial",
    "--config",
    twins.config,
    "--db",
    db,
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    ...(options.args ?? [])
  ], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, AMTOMAT_CARD_KEY: "00112233445566778899aabbccddeeff", ...options.env }
  })
  if (options.onOutput !== undefined) {
    child.stdout?.on("data", options.onOutput)
    child.stderr?.on("data", options.onOutput)
  }
  await waitForLine(child, /Listening on/, 60_000)
  return { child, base: `http://127.0.0.1:${port}` }
}

export const addStaff = (bundled: string, db: string) => {
  const r = spawnSync(process.execPath, [bundled, "staff", "add", "--db", db, "--username", "crash", "--name", "Crash", "--role", "supervisor"], {
    cwd: root,
    input: "crash-password-1\n",
    env: { ...process.env, AMTOMAT_CARD_KEY: "00112233445566778899aabbccddeeff" }
  })
  if (r.status !== 0) throw new Error(`staff add failed: ${r.stderr}`)
}

export const kill = (t: Terminal) =>
  new Promise<void>((resolve) => {
    if (t.child.exitCode !== null || t.child.signalCode !== null) return resolve()
    t.child.once("exit", () => resolve())
    t.child.kill("SIGKILL")
  })
