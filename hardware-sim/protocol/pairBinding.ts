/**
 * An in-process null-modem cable for serialport: a binding whose ports come in
 * pairs, every byte written on one end is read on the other. The driver opens
 * one end with `SerialPortStream`, the protocol twin the other, and both run
 * their real serial code paths with no operating system in between.
 *
 * Why not @serialport/binding-mock: its ports only record the host's writes
 * (`lastWrite`, `recording`) and take device bytes through `emitData`; nothing
 * notifies the device side of a write, so a twin would have to poll. This
 * binding implements the same `BindingInterface`, symmetrically.
 */
import type { OpenOptions as StreamOpenOptions } from "@serialport/stream"

/** serialport's `BindingInterface`, named through @serialport/stream (a declared dependency). */
export type Binding = StreamOpenOptions["binding"]
export type BindingPort = Awaited<ReturnType<Binding["open"]>>
type PortOpenOptions = BindingPort["openOptions"]
type PortInfo = Awaited<ReturnType<Binding["list"]>>[number]

class CanceledError extends Error {
  readonly canceled = true
}

interface End {
  path: string
  peer: End | undefined
  data: Buffer
  wake: (() => void) | undefined
  open: boolean
  /** the port opened on this end, so an unplug can break it */
  port: PairPort | undefined
}

/** What the operating system reports when an adapter vanishes under an open port (EIO on Linux). */
class DisconnectedError extends Error {
  readonly code = "EIO"
}

const defaults = {
  dataBits: 8 as const,
  lock: true,
  stopBits: 1 as const,
  parity: "none",
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true
}

class PairPort implements BindingPort {
  isOpen = true
  private pending: ((err?: Error) => void) | undefined

  private gone = false

  constructor(private readonly end: End, readonly openOptions: PortOpenOptions) {
    end.port = this
    end.wake = () => {
      const resume = this.pending
      this.pending = undefined
      resume?.()
    }
  }

  /** The end was unplugged: the pending read and every later read or write fail like EIO. */
  disconnect(): void {
    this.gone = true
    this.end.open = false
    this.end.data = Buffer.alloc(0)
    this.end.wake = undefined
    if (this.end.port === this) this.end.port = undefined
    const resume = this.pending
    this.pending = undefined
    resume?.(new DisconnectedError(`EIO: ${this.end.path} was unplugged`))
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error("Port is not open")
    this.isOpen = false
    if (!this.gone) {
      this.end.open = false
      this.end.data = Buffer.alloc(0)
      this.end.wake = undefined
      this.end.port = undefined
    }
    const resume = this.pending
    this.pending = undefined
    resume?.(new CanceledError("port is closed"))
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) throw new CanceledError("Read canceled")
    if (this.gone) throw new DisconnectedError(`EIO: ${this.end.path} was unplugged`)
    while (this.end.data.length === 0) {
      await new Promise<void>((resolve, reject) => {
        this.pending = (err) => (err ? reject(err) : resolve())
      })
    }
    const n = Math.min(length, this.end.data.length)
    this.end.data.copy(buffer, offset, 0, n)
    this.end.data = this.end.data.subarray(n)
    return { buffer, bytesRead: n }
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw new Error("Port is not open")
    if (this.gone) throw new DisconnectedError(`EIO: ${this.end.path} was unplugged`)
    await Promise.resolve()
    const peer = this.end.peer
    // Like a real line: bytes sent while nobody listens on the other end are lost.
    if (peer === undefined || !peer.open) return
    peer.data = Buffer.concat([peer.data, Buffer.from(buffer)])
    queueMicrotask(() => peer.wake?.())
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get() {
    return { cts: true, dsr: true, dcd: true }
  }
  async getBaudRate() {
    return { baudRate: this.openOptions.baudRate }
  }
  async flush(): Promise<void> {
    this.end.data = Buffer.alloc(0)
  }
  async drain(): Promise<void> {}
}

export interface PairBinding {
  readonly binding: Binding
  /** Creates a cable: bytes written on `a` are read on `b` and back. */
  readonly connect: (a: string, b: string) => void
  /**
   * The end at `path` vanishes, like a USB adapter pulled out: a port open on
   * it sees a disconnect (its read fails with EIO, serialport closes it),
   * opening the path fails until `replug`; the other end stays open and what
   * it sends meanwhile is lost.
   */
  readonly unplug: (path: string) => void
  /** The unplugged end is back, at `as` when given (the adapter re-enumerated under another name). */
  readonly replug: (path: string, as?: string) => void
  /** whether a port is open on `path` */
  readonly isOpen: (path: string) => boolean
}

/** A fresh set of cables (each test can have its own, unlike binding-mock's global registry). */
export const makePairBinding = (): PairBinding => {
  const ends = new Map<string, End>()
  const unplugged = new Map<string, End>()
  const connect = (a: string, b: string) => {
    const ea: End = { path: a, peer: undefined, data: Buffer.alloc(0), wake: undefined, open: false, port: undefined }
    const eb: End = { path: b, peer: ea, data: Buffer.alloc(0), wake: undefined, open: false, port: undefined }
    ea.peer = eb
    ends.set(a, ea)
    ends.set(b, eb)
  }
  const unplug = (path: string) => {
    const end = ends.get(path)
    if (end === undefined) return
    ends.delete(path)
    unplugged.set(path, end)
    end.port?.disconnect()
    end.open = false
  }
  const replug = (path: string, as = path) => {
    const end = unplugged.get(path)
    if (end === undefined) return
    unplugged.delete(path)
    end.path = as
    end.data = Buffer.alloc(0)
    ends.set(as, end)
  }
  const binding: Binding = {
    list: async () =>
      [...ends.keys()].map((path): PortInfo => ({
        path,
        manufacturer: "amtomat pair binding",
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined
      })),
    open: async (options) => {
      const end = ends.get(options.path)
      if (end === undefined) throw new Error(`ENOENT: no such port: ${options.path}`)
      if (end.open) throw new Error(`port ${options.path} is already open`)
      end.open = true
      end.data = Buffer.alloc(0)
      return new PairPort(end, { ...defaults, ...options } as PortOpenOptions)
    }
  }
  return { binding, connect, unplug, replug, isOpen: (path) => ends.get(path)?.open === true }
}
