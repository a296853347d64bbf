/**
 * Runs `amtomat` as a child process, as a user would.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"

export const root = join(import.meta.dirname, "..", "..")
/** `amtomat`: bin/amtomat.js, or the bundle the test run builds once (test/support/cliBundle.ts). */
export const bin = process.env["AMTOMAT_BIN"] ?? join(root, "bin", "amtomat.js")

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

export interface Served {
  readonly base: string
  readonly child: ChildProcess
  readonly output: () => string
  readonly stop: () => Promise<void>
}

/** Starts `amtomat serve` and resolves once /health answers. */
export const serve = (args: ReadonlyArray<string>): Promise<Served> => serveCommand(["serve"], args)

/** Starts a server command (`serve`, `county serve`) on a free port and resolves once /health answers. */
export const serveCommand = async (command: ReadonlyArray<string>, args: ReadonlyArray<string>): Promise<Served> => {
  const port = await freePort()
  const child = spawn(process.execPath, [bin, ...command, "--port", String(port), "--host", "127.0.0.1", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`amtomat ${command.join(" ")} exited: ${output}`)
    try {
      if ((await fetch(`${base}/health`)).ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    base,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      })
  }
}

export const run = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr })
    })
  })
