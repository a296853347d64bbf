/**
 * The numeric pad: big keys, the entry shown as boxes (in groups, as the SMS
 * writes the number: 4 + 4). A masked entry (the code) shows only dots, says
 * only how many digits are in, and gives a tone per key — never the digit; the
 * citizen may show it on the screen to check it (read-aloud still never says it).
 */
import type { Dict } from "../i18n/index.ts"
import { h } from "../shared/dom.ts"
import { icon } from "../shared/icons.ts"
import { tone } from "./tone.ts"

export interface PadOptions {
  readonly t: Dict
  readonly id: string
  readonly label: string
  readonly length: number
  readonly masked: boolean
  readonly disabled: boolean
  readonly value: () => string
  readonly set: (value: string) => void
  readonly describe: (entered: number, total: number) => string
  readonly submitLabel: string
  readonly onSubmit: () => void
  /** boxes per group (the pickup number: 4) */
  readonly group?: number
  /** a masked entry may be shown: the button's labels, and where the choice is kept */
  readonly reveal?: { readonly show: string; readonly hide: string; readonly get: () => boolean; readonly set: (shown: boolean) => void }
}

export const keypad = (o: PadOptions) => {
  const boxes = h("div", { class: `boxes${o.masked && !(o.reveal?.get() ?? false) ? " masked" : ""}`, "aria-hidden": "true" })
  const status = h("p", { id: `${o.id}-status`, class: "entry-status", "aria-live": "polite" })
  const submit = h("button", { id: `${o.id}-submit`, type: "button", class: "button primary wide", onclick: () => o.onSubmit() }, o.submitLabel)

  const hidden = () => o.masked && !(o.reveal?.get() ?? false)
  const reveal = o.reveal === undefined ? null : h("button", {
    type: "button",
    id: `${o.id}-reveal`,
    class: "button secondary",
    "aria-pressed": o.reveal.get() ? "true" : "false",
    onclick: () => {
      o.reveal!.set(!o.reveal!.get())
      reveal!.setAttribute("aria-pressed", o.reveal!.get() ? "true" : "false")
      reveal!.textContent = o.reveal!.get() ? o.reveal!.hide : o.reveal!.show
      boxes.classList.toggle("masked", hidden())
      update()
    }
  }, o.reveal.get() ? o.reveal.hide : o.reveal.show)

  const update = () => {
    const value = o.value()
    const box = (i: number) => {
      const filled = i < value.length
      return h("span", { class: `box${filled ? " filled" : ""}${i === value.length ? " next" : ""}` }, filled ? (hidden() ? "●" : value[i]!) : "")
    }
    const all = Array.from({ length: o.length }, (_, i) => box(i))
    const size = o.group
    boxes.replaceChildren(
      ...(size === undefined
        ? all
        : Array.from({ length: Math.ceil(o.length / size) }, (_, g) => h("span", { class: "box-group" }, all.slice(g * size, (g + 1) * size))))
    )
    status.textContent = o.describe(value.length, o.length)
    submit.disabled = o.disabled || value.length !== o.length
  }

  const press = (key: string) => {
    if (o.disabled) return
    const value = o.value()
    if (key === "delete") o.set(value.slice(0, -1))
    else if (key === "clear") o.set("")
    else if (value.length < o.length) o.set(value + key)
    else return
    if (o.masked) tone("key")
    update()
  }

  const key = (label: string, value: string, extra: Record<string, unknown> = {}) =>
    h("button", { type: "button", class: "key", disabled: o.disabled, onclick: () => press(value), ...extra }, label)

  const pad = h(
    "div",
    { class: "pad", role: "group", "aria-label": o.t.pad.label },
    ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => key(d, d)),
    h("button", { type: "button", class: "key small", id: `${o.id}-clear`, disabled: o.disabled, onclick: () => press("clear") }, o.t.pad.clear),
    key("0", "0"),
    h(
      "button",
      { type: "button", class: "key small", id: `${o.id}-delete`, disabled: o.disabled, onclick: () => press("delete") },
      icon("back"),
      h("span", null, o.t.pad.deleteShort)
    )
  )

  const display = h("div", { class: "entry", id: o.id, role: "group", "aria-label": o.label }, boxes, status)
  update()

  /** Digits, Backspace, Delete and Enter from a keyboard. */
  const onKey = (e: KeyboardEvent) => {
    if (/^[0-9]$/.test(e.key)) press(e.key)
    else if (e.key === "Backspace") press("delete")
    else if (e.key === "Delete" || e.key === "Escape") press("clear")
    else if (e.key === "Enter" && !submit.disabled) o.onSubmit()
    else return
    e.preventDefault()
  }

  return { display, pad, submit, onKey, reveal }
}
