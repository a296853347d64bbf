/**
 * Another host on the network, for tests of who can reach what: a network
 * namespace joined to this machine by a veth pair (this side `address`, the
 * other `peer`). Requests from it arrive from `peer`, a real non-loopback
 * address, through the kernel's network stack. Needs root and `ip`; where
 * that is not possible, `make` says why and the caller skips.
 */
import { execFileSync } from "node:child_process"

export interface OtherHost {
  /** This machine's address as the other host sees it. */
  readonly address: string
  /** The other host's own address. */
  readonly peer: string
  /** An HTTP request made from the other host; status 0 when no connection could be made. */
  readonly request: (url: string, init?: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string }) => {
    readonly status: number
    readonly body: string
    readonly headers: Readonly<Record<string, string>>
  }
  readonly close: () => void
}

const client = `
const [url, method, headers, body] = process.argv.slice(1)
fetch(url, { method, headers: JSON.parse(headers), body: body === "" ? undefined : body, redirect: "manual", signal: AbortSignal.timeout(5000) })
  .then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.text(), headers: Object.fromEntries(r.headers) })))
  .catch(() => process.stdout.write(JSON.stringify({ status: 0, body: "", headers: {} })))
`

export const makeOtherHost = (): OtherHost | string => {
  if (process.getuid?.() !== 0) return "needs root for a network namespace"
  const suffix = (process.pid % 200) + 20
  const ns = `amt-other-${process.pid}`
  const outside = `amto${process.pid % 100000}`
  const inside = `amti${process.pid % 100000}`
  const address = `10.231.${suffix}.1`
  const peer = `10.231.${suffix}.2`
  const ip = (...args: Array<string>) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] })
  const close = () => {
    for (const undo of [() => ip("link", "del", outside), () => ip("netns", "del", ns)]) {
      try {
        undo()
      } catch {
        // already gone
      }
    }
  }
  try {
    ip("netns", "add", ns)
    ip("link", "add", outside, "type", "veth", "peer", "name", inside)
    ip("link", "set", inside, "netns", ns)
    ip("addr", "add", `${address}/24`, "dev", outside)
    ip("link", "set", outside, "up")
    ip("netns", "exec", ns, "ip", "addr", "add", `${peer}/24`, "dev", inside)
    ip("netns", "exec", ns, "ip", "link", "set", inside, "up")
    ip("netns", "exec", ns, "ip", "link", "set", "lo", "up")
  } catch (e) {
    close()
    return `no network namespace: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`
  }
  return {
    address,
    peer,
    request: (url, init = {}) => {
      const out = execFileSync("ip", [
        "netns",
        "exec",
        ns,
        process.execPath,
        "-e",
        client,
        url,
        init.method ?? "GET",
        JSON.stringify(init.headers ?? {}),
        init.body ?? ""
      ], { encoding: "utf8" })
      return JSON.parse(out) as { status: number; body: string; headers: Record<string, string> }
    },
    close
  }
}
