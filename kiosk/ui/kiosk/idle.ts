/**
 * The idle timeout: after `warnAfter` without a touch a warning appears (by
 * sight: a dialog with a countdown; by sound: a chime) at least 20 s before the
 * reset. One tap on "more time" starts the wait afresh, as often as needed.
 */
export const WARN_AFTER_MS = 60_000
export const COUNTDOWN_MS = 30_000

export interface IdleHandlers {
  readonly onWarn: (secondsLeft: number) => void
  readonly onTick: (secondsLeft: number) => void
  readonly onReset: () => void
}

export const idleTimer = (handlers: IdleHandlers) => {
  let armed = false
  let warning = false
  let warnTimer: ReturnType<typeof setTimeout> | undefined
  let tickTimer: ReturnType<typeof setInterval> | undefined
  let deadline = 0

  const clear = () => {
    if (warnTimer !== undefined) clearTimeout(warnTimer)
    if (tickTimer !== undefined) clearInterval(tickTimer)
    warnTimer = undefined
    tickTimer = undefined
    warning = false
  }
  const left = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000))

  const warn = () => {
    warning = true
    deadline = Date.now() + COUNTDOWN_MS
    handlers.onWarn(left())
    tickTimer = setInterval(() => {
      const s = left()
      if (s <= 0) {
        clear()
        armed = false
        handlers.onReset()
      } else handlers.onTick(s)
    }, 1000)
  }

  let warnAfter = WARN_AFTER_MS
  const start = () => {
    clear()
    if (armed) warnTimer = setTimeout(warn, warnAfter)
  }

  return {
    /**
     * Screens that wait for the citizen's hands (card, flap, door) do not time out here.
     * `sessionSeconds`: the server's idle limit; the reset comes well before it.
     */
    arm: (on: boolean, sessionSeconds: number) => {
      armed = on
      warnAfter = Math.max(10_000, Math.min(WARN_AFTER_MS, sessionSeconds * 1000 - COUNTDOWN_MS - 5_000))
      start()
    },
    /** A touch: starts the wait afresh, unless the warning is showing (then only "more time" counts). */
    activity: () => {
      if (armed && !warning) start()
    },
    more: () => start(),
    get warning() {
      return warning
    },
    stop: () => {
      armed = false
      clear()
    }
  }
}
