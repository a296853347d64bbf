/**
 * Server-sent events over fetch, so the staff stream can carry the bearer
 * token in a header (EventSource cannot). Reconnects after a second when the
 * connection drops; refused for too many open streams (429), it waits longer
 * each time, up to a minute. `onStatus` tells the screen whether it is live.
 */
export interface SseOptions {
  readonly token?: string
  readonly onEvent: (event: string, data: unknown) => void
  readonly onStatus: (live: boolean) => void
  /** Called once on 401: the token is no longer valid. */
  readonly onUnauthorized?: () => void
}

export const subscribe = (path: string, options: SseOptions): () => void => {
  let stopped = false
  let controller = new AbortController()
  let wait = 1000
  const run = async (): Promise<void> => {
    while (!stopped) {
      controller = new AbortController()
      try {
        const response = await fetch(path, {
          headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
          signal: controller.signal
        })
        if (response.status === 401) {
          options.onStatus(false)
          options.onUnauthorized?.()
          return
        }
        wait = response.status === 429 ? Math.min(wait * 2, 60_000) : 1000
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`)
        options.onStatus(true)
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ""
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buffer += value
          let end = buffer.indexOf("\n\n")
          while (end >= 0) {
            dispatch(buffer.slice(0, end), options.onEvent)
            buffer = buffer.slice(end + 2)
            end = buffer.indexOf("\n\n")
          }
        }
      } catch {
        // dropped or aborted: reconnect below unless stopped
      }
      if (stopped) return
      options.onStatus(false)
      await new Promise((r) => setTimeout(r, wait))
    }
  }
  void run()
  return () => {
    stopped = true
    controller.abort()
  }
}

const dispatch = (block: string, onEvent: SseOptions["onEvent"]) => {
  let event = "message"
  const data: Array<string> = []
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue
    if (line.startsWith("event: ")) event = line.slice(7)
    else if (line.startsWith("data: ")) data.push(line.slice(6))
  }
  if (data.length === 0) return
  try {
    onEvent(event, JSON.parse(data.join("\n")))
  } catch {
    // a malformed frame is skipped
  }
}
