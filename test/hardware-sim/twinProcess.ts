/**
 * `amtomat twin --config … --control-port 0` in another process: the
 * protocol twins on socat pseudo-terminals, as a developer runs them. Spawned
 * once per test file; the paths and the control URL it prints are what the
 * tests open. Used by the control API's tests and the cross-process contracts.
 */
import { Either } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { decodeDevicesConfig, type DevicesConfig } from "../../kiosk/devices/config.ts"
import { bin } from "../../kiosk/harness/process.ts"
import { fastCard, fastLocker, fastModem } from "../devices/rigs.ts"

/** The twin process needs socat for its pseudo-terminals. */
export const socat = existsSync("/usr/bin/socat") || existsSync("/usr/local/bin/socat")

/** What the twin prints on its AMTOMAT_TWIN line: the host side of each device, and the control API. */
export interface Printed {
  readonly locker: string
  readonly card: string
  readonly modem: string
  readonly control: string
}

export interface TwinProcess {
  /** The folder the device paths live in. */
  readonly dir: string
  /** Compartments 1 (0:1, S) and 2 (0:2, M), the intake on 0:16; fast timings. */
  readonly config: DevicesConfig
  /** Resolves once the twin has printed its paths; rejects with its output if it exits first. */
  readonly printed: Promise<Printed>
  /** Stops the twin (SIGTERM, waits for it) and removes the folder. */
  readonly stop: () => Promise<void>
}

/** Spawns the twin; call in `beforeAll`, `stop` in `afterAll`. */
export const startTwinProcess = (prefix: string): TwinProcess => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const config = Either.getOrThrow(decodeDevicesConfig({
    locker: { port: { path: join(dir, "locker") }, boards: [{ address: 0 }], timing: fastLocker },
    card: { port: { path: join(dir, "card") }, password: "123456", timing: fastCard },
    modem: { port: { path: join(dir, "modem") }, timing: fastModem },
    layout: {
      compartments: [{ id: 1, board: 0, lock: 1, size: "S", band: "low" }, { id: 2, board: 0, lock: 2, size: "M", band: "low" }],
      intake: { board: 0, lock: 16 }
    }
  }))
  const file = join(dir, "devices.json")
  writeFileSync(file, JSON.stringify(config))
  const child: ChildProcess = spawn(process.execPath, [bin, "twin", "--config", file, "--control-port", "0"], { stdio: ["ignore", "pipe", "pipe"] })
  let out = ""
  const printed = new Promise<Printed>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString()
      const line = out.split("\n").find((l) => l.startsWith("AMTOMAT_TWIN "))
      if (line !== undefined) resolve(JSON.parse(line.slice("AMTOMAT_TWIN ".length)) as Printed)
    })
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()))
    child.once("exit", (code) => reject(new Error(`amtomat twin exited (${code}): ${out}`)))
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve))
      child.kill("SIGTERM")
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return { dir, config, printed, stop }
}
