/**
 * A pair of linked pseudo-terminals made by socat, so the real driver opens a
 * path like `/tmp/amtomat/locker` exactly as it would open `/dev/ttyUSB0` and
 * the twin opens the other end. The pair lives as long as the scope.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { Data, Effect, Schedule } from "effect"

export class PtyError extends Data.TaggedError("PtyError")<{ readonly message: string }> {}

export interface PtyPair {
  /** the end the driver (the kiosk) opens */
  readonly host: string
  /** the end the twin opens */
  readonly device: string
  readonly pid: number
}

const exited = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
  })

/**
 * Spawns `socat -d -d pty,raw,echo=0,link=<host> pty,raw,echo=0,link=<device>`
 * and waits until both links exist. `socat` defaults to /usr/bin/socat's name on the PATH.
 */
export const ptyPair = (host: string, device: string, socat = "socat") =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      for (const p of [host, device]) mkdirSync(dirname(p), { recursive: true })
      const child = yield* Effect.try({
        try: () =>
          spawn(socat, ["-d", "-d", `pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], {
            stdio: ["ignore", "ignore", "pipe"]
          }),
        catch: (e) => new PtyError({ message: `cannot start socat: ${String(e)}` })
      })
      let log = ""
      child.stderr?.on("data", (d: Buffer) => {
        log = (log + d.toString()).slice(-4000)
      })
      const failed = yield* Effect.async<boolean>((resume) => {
        child.once("spawn", () => resume(Effect.succeed(false)))
        child.once("error", () => resume(Effect.succeed(true)))
      })
      if (failed || child.pid === undefined) return yield* new PtyError({ message: `cannot start ${socat}` })
      const ready = Effect.suspend(() =>
        child.exitCode !== null
          ? Effect.fail(new PtyError({ message: `socat exited (${child.exitCode}): ${log.trim()}` }))
          : existsSync(host) && existsSync(device) && log.includes("starting data transfer loop")
          ? Effect.void
          : Effect.fail(new PtyError({ message: `socat did not create ${host} and ${device} in time: ${log.trim()}` })))
      yield* ready.pipe(
        Effect.retry({ schedule: Schedule.spaced("10 millis"), times: 500, while: (e) => !e.message.startsWith("socat exited") }),
        Effect.onError(() => Effect.sync(() => child.kill("SIGTERM")))
      )
      return { child, pair: { host, device, pid: child.pid } satisfies PtyPair }
    }),
    ({ child }) =>
      Effect.suspend(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
        return exited(child).pipe(Effect.timeout("2 seconds"), Effect.ignore)
      })
  ).pipe(Effect.map(({ pair }) => pair))
