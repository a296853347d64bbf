/**
 * Every device on its serial line, from the devices configuration: the Kerong
 * locker bus (compartments and the intake slot), the ZVT card terminal and
 * the AT modem.
 *
 * The document scanner and the authority link have no serial protocol (SANE
 * and an office's web service); the composition root passes adapters for them
 * — today their behavioural twins, since kiosk/devices may import core only.
 */
import { Layer } from "effect"
import type { Device } from "../../core/domain/events.ts"
import type { AuthorityGateway } from "../../core/ports/AuthorityGateway.ts"
import type { DocumentScanner } from "../../core/ports/DocumentScanner.ts"
import * as AtSmsGateway from "./AtSmsGateway.ts"
import { defaultBaud, type DevicesConfig, layoutOf, type SerialSettings } from "./config.ts"
import * as KerongLockerBank from "./KerongLockerBank.ts"
import type { LineSettings, SerialBinding } from "./serialLine.ts"
import * as ZvtCardTerminal from "./ZvtCardTerminal.ts"

export interface SerialOptions {
  /** serialport binding for every line; default: the operating system's ports */
  readonly binding?: SerialBinding
}

const line = (device: Device, port: SerialSettings, baud: number, options: SerialOptions): LineSettings => ({
  device,
  path: port.path,
  baudRate: port.baudRate ?? baud,
  ...(port.reconnect === undefined ? {} : { reconnect: port.reconnect }),
  ...(options.binding === undefined ? {} : { binding: options.binding })
})

/** The three serial drivers; each line reports to DeviceStatus (provided by the composition root). */
export const driversLayer = (config: DevicesConfig, options: SerialOptions = {}) => {
  const layout = layoutOf(config)
  return Layer.mergeAll(
    KerongLockerBank.layer({
      line: line("locker", config.locker.port, defaultBaud.locker, options),
      boards: config.locker.boards,
      channels: [...layout.compartments.map((c) => c.channel), layout.intake],
      timing: config.locker.timing
    }),
    ZvtCardTerminal.layer({
      line: line("card", config.card.port, defaultBaud.card, options),
      password: config.card.password,
      configByte: config.card.configByte,
      currency: config.card.currency,
      timing: config.card.timing
    }),
    AtSmsGateway.layer({
      line: line("sms", config.modem.port, defaultBaud.modem, options),
      mode: config.modem.mode,
      ...(config.modem.pin === undefined ? {} : { pin: config.modem.pin }),
      timing: config.modem.timing
    })
  )
}

/** Every device port: the serial drivers plus the given scanner and authority adapters (and whatever else they provide). */
export const layer = <A, E, R>(
  config: DevicesConfig,
  others: Layer.Layer<A | DocumentScanner | AuthorityGateway, E, R>,
  options: SerialOptions = {}
) => Layer.merge(driversLayer(config, options), others)
