/**
 * The device configuration file (JSON): serial ports and baud rates, the
 * locker boards with their lock polarity, the compartment layout and the
 * intake slot, the card terminal's registration, the modem's mode and PIN,
 * and the drivers' timing. Decoded with effect Schema; every error names its
 * path, e.g. `locker.boards[1].polarity: expected 0 or 1`.
 */
import { Data, Effect, Either, ParseResult, Schema } from "effect"
import { readFileSync } from "node:fs"
import { parse as parseYaml } from "yaml"
import type { TerminalLayout } from "../../core/domain/compartment.ts"
import { CompartmentId } from "../../core/domain/ids.ts"
import { HeightBand, SizeClass } from "../../core/domain/values.ts"

const int = (min: number, max: number) =>
  Schema.Number.pipe(
    Schema.int({ message: () => `expected a whole number ${min}..${max}` }),
    Schema.between(min, max, { message: () => `expected a whole number ${min}..${max}` })
  )
const withDefault = <S extends Schema.Schema.AnyNoContext>(schema: S, value: Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: () => value, exact: true })
const text = (what: string) => Schema.String.pipe(Schema.minLength(1, { message: () => `expected ${what}` }))

/** How a lost or missing port is reopened (kiosk/devices/serialLine.ts); every field optional. */
export const ReconnectSettings = Schema.Struct({
  /** first delay after a failed open (250 ms); doubles per attempt */
  initialMillis: Schema.optionalWith(int(10, 60_000), { exact: true }),
  /** longest delay between two attempts (5 s) */
  maxMillis: Schema.optionalWith(int(10, 600_000), { exact: true }),
  /** while down, a summary is logged at most this often (10 minutes) */
  summaryMillis: Schema.optionalWith(int(1000, 86_400_000), { exact: true })
})

export const SerialSettings = Schema.Struct({
  /**
   * e.g. /dev/serial/by-id/usb-FTDI_…-if00-port0 (preferred: the link udev recreates when the
   * adapter comes back, resolved again at every reopen), /dev/ttyUSB0, or a pseudo-terminal
   * printed by `amtomat twin`
   */
  path: text("a serial port path"),
  baudRate: Schema.optional(int(300, 4_000_000)),
  reconnect: Schema.optionalWith(ReconnectSettings, { exact: true })
})
export type SerialSettings = typeof SerialSettings.Type

/** A choice among literals, with one message instead of one per literal. */
const oneOf = <const L extends ReadonlyArray<string | number>>(literals: L, message: string) =>
  Schema.Literal(...literals).annotations({ message: () => ({ message, override: true }) })

export const Polarity = oneOf([0, 1], "expected 0 or 1")

export const BoardConfig = Schema.Struct({
  address: int(0, 15),
  /** 1: a set lock bit means locked (most boards); 0: the newer variant */
  polarity: withDefault(Polarity, 1),
  /** unlock pulse set with CMD 37 at start; omitted: leave the board's setting */
  unlockMillis: Schema.optional(int(10, 655_350))
})
export type BoardConfig = typeof BoardConfig.Type

export const LockerTiming = Schema.Struct({
  /** a board answers within this (protocol: 1 s) */
  responseTimeoutMillis: withDefault(int(10, 10_000), 1000),
  /** repeats after a missing or damaged reply */
  retries: withDefault(int(0, 5), 2),
  /** poll interval while any door is open */
  pollFastMillis: withDefault(int(10, 10_000), 250),
  /** poll interval otherwise */
  pollSlowMillis: withDefault(int(10, 60_000), 3000),
  /** after an unlock, how long the lock may take to read open before it counts as jammed */
  openTimeoutMillis: withDefault(int(10, 30_000), 2000),
  /** after an unlock, how long a status frame answering it is awaited (boards differ) */
  unlockReplyMillis: withDefault(int(0, 5000), 100)
})
export type LockerTiming = typeof LockerTiming.Type

const ChannelConfig = { board: int(0, 15), lock: int(1, 16) }

export const CompartmentConfig = Schema.Struct({
  id: int(1, 9999),
  ...ChannelConfig,
  size: oneOf(SizeClass.literals, "expected S, M or L"),
  band: oneOf(HeightBand.literals, "expected low or high")
})

export const LockerConfig = Schema.Struct({
  port: SerialSettings,
  boards: Schema.Array(BoardConfig).pipe(Schema.minItems(1, { message: () => "expected at least one board" })),
  timing: withDefault(LockerTiming, Schema.decodeSync(LockerTiming)({}))
})
export type LockerConfig = typeof LockerConfig.Type

export const CardTiming = Schema.Struct({
  /** at most between two bytes of a frame */
  t1Millis: withDefault(int(10, 10_000), 200),
  /** wait for ACK/NAK */
  t2Millis: withDefault(int(10, 60_000), 5000),
  /** wait for the answer 80 00 00 to a command */
  t3Millis: withDefault(int(10, 60_000), 5000),
  /** wait for the end of a command; restarts on every intermediate message */
  t4Millis: withDefault(int(10, 600_000), 180_000),
  /** status enquiry interval while idle (health check) */
  healthMillis: withDefault(int(100, 3_600_000), 60_000)
})
export type CardTiming = typeof CardTiming.Type

export const CardConfig = Schema.Struct({
  port: SerialSettings,
  /** the terminal's password, 6 digits */
  password: withDefault(
    Schema.String.pipe(Schema.pattern(/^[0-9]{6}$/, { message: () => "expected 6 digits" })),
    "000000"
  ),
  /** Registration config byte: 08 intermediate status, 10 no amount entry, 20 no admin, 80 print lines */
  configByte: withDefault(int(0, 255), 0x08 | 0x10 | 0x20 | 0x80),
  /** ISO 4217 numeric */
  currency: withDefault(int(1, 999), 978),
  timing: withDefault(CardTiming, Schema.decodeSync(CardTiming)({}))
})
export type CardConfig = typeof CardConfig.Type

export const ModemTiming = Schema.Struct({
  /** answer to an ordinary AT command */
  commandMillis: withDefault(int(10, 60_000), 5000),
  /** answer to AT+CMGS (the network is involved) */
  sendMillis: withDefault(int(10, 300_000), 60_000),
  /** sends per message when the network asks to retry later */
  attempts: withDefault(int(1, 10), 3),
  /** first back-off delay; doubles per retry */
  backoffMillis: withDefault(int(1, 600_000), 5000),
  /** after a modem restart is seen (RDY, SMS Ready …): quiet time before the start-up runs again (default 2000) */
  settleMillis: Schema.optionalWith(int(0, 60_000), { exact: true }),
  /** while the modem is down for a passing reason (no network): longest pause between start-up checks (default 300000) */
  recheckMillis: Schema.optionalWith(int(10, 3_600_000), { exact: true })
})
export type ModemTiming = typeof ModemTiming.Type

export const ModemConfig = Schema.Struct({
  port: SerialSettings,
  mode: withDefault(oneOf(["pdu", "text"], "expected pdu or text"), "pdu"),
  pin: Schema.optional(Schema.String.pipe(Schema.pattern(/^[0-9]{4,8}$/, { message: () => "expected 4 to 8 digits" }))),
  timing: withDefault(ModemTiming, Schema.decodeSync(ModemTiming)({}))
})
export type ModemConfig = typeof ModemConfig.Type

export const LayoutConfig = Schema.Struct({
  compartments: Schema.Array(CompartmentConfig).pipe(
    Schema.minItems(1, { message: () => "expected at least one compartment" })
  ),
  intake: Schema.Struct(ChannelConfig)
})

const DevicesConfigFields = Schema.Struct({
  locker: LockerConfig,
  card: CardConfig,
  modem: ModemConfig,
  layout: LayoutConfig
})

/** Rules across fields: known boards, unique ids and channels. */
export const DevicesConfig = DevicesConfigFields.pipe(Schema.filter((c) => {
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; message: string }> = []
  const boards = new Set<number>()
  c.locker.boards.forEach((b, i) => {
    if (boards.has(b.address)) issues.push({ path: ["locker", "boards", i, "address"], message: `board ${b.address} is listed twice` })
    boards.add(b.address)
  })
  const ids = new Set<number>()
  const channels = new Map<string, string>()
  const place = (path: ReadonlyArray<PropertyKey>, name: string, board: number, lock: number) => {
    if (!boards.has(board)) issues.push({ path: [...path, "board"], message: `board ${board} is not in locker.boards` })
    const key = `${board}:${lock}`
    const other = channels.get(key)
    if (other !== undefined) issues.push({ path: [...path, "lock"], message: `board ${board} lock ${lock} is already used by ${other}` })
    else channels.set(key, name)
  }
  c.layout.compartments.forEach((x, i) => {
    if (ids.has(x.id)) issues.push({ path: ["layout", "compartments", i, "id"], message: `compartment ${x.id} is listed twice` })
    ids.add(x.id)
    place(["layout", "compartments", i], `compartment ${x.id}`, x.board, x.lock)
  })
  place(["layout", "intake"], "the intake slot", c.layout.intake.board, c.layout.intake.lock)
  return issues
}))
export type DevicesConfig = typeof DevicesConfig.Type

export class DevicesConfigError extends Data.TaggedError("DevicesConfigError")<{
  readonly message: string
  /** one line per problem, `path: what is wrong` */
  readonly issues: ReadonlyArray<string>
}> {}

const pathText = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>((s, k) => typeof k === "number" ? `${s}[${k}]` : s === "" ? String(k) : `${s}.${String(k)}`, "")

const lowerFirst = (s: string) => s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s

/** Decodes an already parsed JSON value; unknown keys are errors (a typo must not pass silently). */
export const decodeDevicesConfig = (input: unknown, source = "devices config"): Either.Either<DevicesConfig, DevicesConfigError> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(DevicesConfig)(input, { errors: "all", onExcessProperty: "error" }),
    (error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) =>
        `${i.path.length === 0 ? "(top level)" : pathText(i.path)}: ${lowerFirst(i.message)}`
      )
      return new DevicesConfigError({ message: `${source}: ${issues.join("; ")}`, issues })
    }
  )

/** Reads and decodes a JSON devices file. */
export const loadDevicesConfig = (file: string) =>
  Effect.gen(function*() {
    const raw = yield* Effect.try({
      try: () => readFileSync(file, "utf8"),
      catch: (e) => new DevicesConfigError({ message: `${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`, issues: [] })
    })
    const yamlFile = /\.ya?ml$/i.test(file)
    const json = yield* Effect.try({
      try: () => (yamlFile ? parseYaml(raw, { prettyErrors: true }) : JSON.parse(raw)) as unknown,
      catch: (e) => new DevicesConfigError({ message: `${file}: not ${yamlFile ? "YAML" : "JSON"}: ${e instanceof Error ? e.message : String(e)}`, issues: [] })
    })
    return yield* decodeDevicesConfig(json, file)
  })

/** The terminal layout the workflows run with. */
export const layoutOf = (config: DevicesConfig): TerminalLayout => ({
  compartments: config.layout.compartments.map((c) => ({
    id: CompartmentId.make(c.id),
    channel: { board: c.board, lock: c.lock },
    size: c.size,
    band: c.band
  })),
  intake: { board: config.layout.intake.board, lock: config.layout.intake.lock }
})

/** Default baud rates from protocols.md. */
export const defaultBaud = { locker: 19200, card: 9600, modem: 115200 } as const
