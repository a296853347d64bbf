/**
 * A pair of linked pseudo-terminals made by socat, so the real driver opens a
 * path like `/tmp/amtomat/locker` exactly as it would open `/dev/ttyUSB0` and
 * the twin opens the other end. The pair lives as long as the scope.
 */
import { Data, Duration, Effect, ExecutionStrategy, Exit, Schedule, Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from "node:fs"
import { dirname } from "node:path"

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
          : Effect.fail(new PtyError({ message: `socat did not create ${host} and ${device} in time: ${log.trim()}` }))
      )
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

/**
 * A pseudo-terminal pair that can be unplugged and plugged back in, like a
 * USB serial adapter: `unplug` kills socat (both paths vanish; whoever has an
 * end open reads EIO), `replug` starts a new socat — the host link at the same
 * path (it now points at a new /dev/pts/N, exactly what a
 * `/dev/serial/by-id/…` link does when udev recreates it) or under another
 * path `at` (the adapter re-enumerated as another ttyUSBn). `alias`, when
 * given, is kept pointing at the current host end, as udev keeps a by-id link.
 */
export interface PluggablePty {
  /** the pair now; null while unplugged */
  readonly current: Effect.Effect<PtyPair | null>
  /** the twin's end; stays the same across replugs, so the twin can reopen it */
  readonly device: string
  /** the host path of the last plug (also while unplugged) */
  readonly host: Effect.Effect<string>
  readonly alias: string | undefined
  /** kills the pair; with `forMillis`, plugs it back in at the same path after that long */
  readonly unplug: (forMillis?: number) => Effect.Effect<void>
  /** starts the pair again (no-op when plugged), at `at` or the last host path; yields the host path */
  readonly replug: (at?: string) => Effect.Effect<string, PtyError>
}

const removeLink = (p: string) => {
  try {
    if (lstatSync(p).isSymbolicLink()) unlinkSync(p)
  } catch {
    // not there
  }
}

export const pluggablePtyPair = (host: string, device: string, options: { readonly alias?: string; readonly socat?: string } = {}) =>
  Effect.gen(function*() {
    const outer = yield* Effect.scope
    const lock = yield* Effect.makeSemaphore(1)
    let hostPath = host
    let plugged: { readonly scope: Scope.CloseableScope; readonly pair: PtyPair } | null = null
    const pointAlias = (target: string) =>
      Effect.sync(() => {
        if (options.alias === undefined) return
        removeLink(options.alias)
        mkdirSync(dirname(options.alias), { recursive: true })
        symlinkSync(target, options.alias)
      })
    const plug = (at: string) =>
      Effect.gen(function*() {
        if (plugged !== null) return plugged.pair.host
        removeLink(at)
        removeLink(device)
        const scope = yield* Scope.fork(outer, ExecutionStrategy.sequential)
        const pair = yield* ptyPair(at, device, options.socat).pipe(
          Scope.extend(scope),
          Effect.tapError(() => Scope.close(scope, Exit.void))
        )
        hostPath = at
        plugged = { scope, pair }
        yield* pointAlias(at)
        return at
      })
    const pull = Effect.gen(function*() {
      const was = plugged
      if (was === null) return
      plugged = null
      yield* Scope.close(was.scope, Exit.void)
      removeLink(was.pair.host)
      removeLink(was.pair.device)
      if (options.alias !== undefined) removeLink(options.alias)
    })
    yield* lock.withPermits(1)(plug(host))
    yield* Effect.addFinalizer(() => Effect.sync(() => options.alias !== undefined && removeLink(options.alias)))
    const unplug = (forMillis?: number) =>
      Effect.gen(function*() {
        yield* lock.withPermits(1)(pull)
        if (forMillis !== undefined) {
          yield* Effect.sleep(Duration.millis(forMillis)).pipe(
            Effect.zipRight(lock.withPermits(1)(plug(hostPath))),
            Effect.catchAll((e) => Effect.logWarning(`cannot plug ${hostPath} back in: ${e.message}`)),
            Effect.forkIn(outer)
          )
        }
      })
    return {
      current: Effect.sync(() => plugged?.pair ?? null),
      device,
      host: Effect.sync(() => hostPath),
      alias: options.alias,
      unplug,
      replug: (at?: string) => lock.withPermits(1)(plug(at ?? hostPath))
    } satisfies PluggablePty
  })
