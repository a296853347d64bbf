/**
 * `serve`'s network options: where the terminal listens, the staff back
 * office's own address, the kiosk key and the twin controls' reach (the rules
 * themselves are in ../http/access.ts).
 */
import { Options } from "@effect/cli"
import { Console, Effect, Option, Redacted } from "effect"
import { dirname, resolve } from "node:path"
import { CommandError } from "../../core/domain/errors.ts"
import { isLoopback, parseListen, type TerminalAccess } from "../http/access.ts"
import { reservePort } from "../instanceLock.ts"
import { loadSecretFile, randomBase64url } from "../secretFile.ts"

export const host = Options.text("host").pipe(
  Options.withDefault("127.0.0.1"),
  Options.withDescription("address of the terminal listener (kiosk screen, API, twin panel); loopback by default, so only this machine reaches it")
)
export const staffListen = Options.text("staff-listen").pipe(
  Options.optional,
  Options.withPseudoName("HOST:PORT"),
  Options.withDescription("a second listener that serves only the staff back office, /dashboard, /health and /metrics, e.g. 192.168.10.5:8443")
)
export const twinFromNetwork = Options.boolean("twin-from-network").pipe(
  Options.withDescription("let callers on other machines use the twin controls (SMS inbox, doors); by default only this machine can")
)
export const kioskKeyFile = Options.file("kiosk-key-file").pipe(
  Options.optional,
  Options.withDescription("file holding the kiosk key a kiosk screen on another machine presents; default: kiosk.key beside the database")
)

export interface NetworkOptions {
  readonly port: number
  readonly host: string
  readonly staffListen: Option.Option<string>
  readonly twinFromNetwork: boolean
  readonly kioskKeyFile: Option.Option<string>
}

/** AMTOMAT_KIOSK_KEY, else a file created with 32 random bytes on first start (mode 0600). */
export const loadKioskKey = (file: string) =>
  loadSecretFile({
    name: "kiosk key",
    file,
    env: "AMTOMAT_KIOSK_KEY",
    pattern: /^[0-9A-Za-z_-]{32,}$/,
    valid: "at least 32 characters of A-Z, a-z, 0-9, - and _",
    generate: randomBase64url(32)
  })

/**
 * The access rules and the staff listener of one `serve`, the staff port held
 * like the terminal's until the server listens. Says on the console what is
 * reachable from where when that is more than this machine.
 */
export const networkSettings = Effect.fn("Serve.network")(function*(opts: NetworkOptions, dbFile: string) {
  const staff = Option.isSome(opts.staffListen) ? parseListen(opts.staffListen.value) : undefined
  if (typeof staff === "string") return yield* Effect.fail(new CommandError({ reason: "BadOption", message: staff }))
  const file = Option.getOrElse(opts.kioskKeyFile, () => resolve(dirname(dbFile), "kiosk.key"))
  const kioskKey = yield* loadKioskKey(file)
  const access: TerminalAccess = { kioskKey: Redacted.make(kioskKey), twinFromNetwork: opts.twinFromNetwork }
  const release = staff === undefined ? Effect.void : (yield* reservePort(staff.port, staff.host)).release
  const announce = Effect.gen(function*() {
    if (!isLoopback(opts.host) && opts.host !== "localhost") {
      yield* Console.log(
        `amtomat: the terminal listener is open to the network on ${opts.host}:${opts.port}; a kiosk screen on another machine opens /?key=<the key in ${file}>`
      )
      if (opts.twinFromNetwork) yield* Console.log("amtomat: the twin controls answer callers on other machines too (--twin-from-network)")
    }
    if (staff !== undefined) {
      yield* Console.log(`amtomat: staff back office on http://${staff.host.includes(":") ? `[${staff.host}]` : staff.host}:${staff.port}/staff`)
    }
  })
  return { access, staff, releaseStaffPort: release, announce }
})
