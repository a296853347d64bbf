/**
 * The idle warning as a modal dialog: the countdown by sight, a chime by sound
 * (and spoken when read-aloud is on), "more time" with one tap.
 */
import type { Dict } from "../i18n/index.ts"
import { h } from "../shared/dom.ts"
import { idleTimer } from "./idle.ts"
import { tone } from "./tone.ts"

export interface IdleDialogOptions {
  readonly t: () => Dict
  /** Made inert while the dialog shows. */
  readonly inertTarget: HTMLElement
  readonly onMore: () => void
  readonly onEnd: () => void
  readonly onReset: () => void
  readonly speak: (text: string) => void
}

export const idleDialog = (o: IdleDialogOptions) => {
  const title = h("h2", { id: "idle-title" })
  const text = h("p", { id: "idle-text" })
  const more = h("button", { id: "idle-more", type: "button", class: "button primary" })
  const end = h("button", { id: "idle-end", type: "button", class: "button secondary" })
  const element = h("div", {
    id: "idle-dialog",
    class: "overlay",
    role: "alertdialog",
    "aria-modal": "true",
    "aria-labelledby": "idle-title",
    "aria-describedby": "idle-text",
    hidden: true
  }, h("div", { class: "dialog" }, title, text, h("div", { class: "actions" }, more, end)))
  let restore: HTMLElement | null = null

  const hide = () => {
    element.hidden = true
    o.inertTarget.inert = false
    restore?.focus()
    restore = null
  }

  const timer = idleTimer({
    onWarn: (s) => {
      const t = o.t()
      title.textContent = t.idle.title
      text.textContent = t.idle.text(s)
      more.textContent = t.idle.more
      end.textContent = t.idle.end
      restore = document.activeElement instanceof HTMLElement ? document.activeElement : null
      o.inertTarget.inert = true
      element.hidden = false
      more.focus()
      tone("warning")
      o.speak(`${t.idle.title} ${t.idle.text(s)}`)
    },
    onTick: (s) => {
      text.textContent = o.t().idle.text(s)
      if (s === 10) tone("warning")
    },
    onReset: () => {
      hide()
      o.onReset()
    }
  })

  more.addEventListener("click", () => {
    hide()
    timer.more()
    o.onMore()
  })
  end.addEventListener("click", () => {
    hide()
    timer.stop()
    o.onEnd()
  })

  return {
    element,
    arm: (on: boolean, sessionSeconds: number) => {
      if (!element.hidden) hide()
      timer.arm(on, sessionSeconds)
    },
    activity: () => timer.activity(),
    stop: () => {
      timer.stop()
      if (!element.hidden) hide()
    },
    get open() {
      return !element.hidden
    }
  }
}
