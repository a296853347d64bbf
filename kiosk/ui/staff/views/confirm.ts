/**
 * "Are you sure?" for a step that changes what a citizen or a colleague can
 * do (release a pickup, acknowledge an alarm, disable an account): the
 * question, a note that is logged with the step, yes and cancel.
 */
import { h } from "../../shared/dom.ts"
import type { StaffCtx } from "../model.ts"

export const confirmPanel = (ctx: StaffCtx, question: string, yes: () => void, options: { readonly note?: boolean } = {}) => {
  const { m, t } = ctx
  const c = m.confirm
  if (c === null) return null
  const cancel = () => {
    m.confirm = null
    ctx.draw()
  }
  return h(
    "form",
    {
      class: "panel confirm",
      id: "confirm",
      role: "alertdialog",
      "aria-labelledby": "confirm-question",
      onsubmit: (e: Event) => {
        e.preventDefault()
        yes()
      },
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === "Escape") cancel()
      }
    },
    h("p", { id: "confirm-question", class: "question" }, question),
    options.note !== false &&
      h(
        "div",
        { class: "pick grow" },
        h("label", { for: "confirm-note" }, t.note),
        h("input", { id: "confirm-note", value: c.note, maxlength: 500, oninput: (e: Event) => (c.note = (e.target as HTMLInputElement).value) })
      ),
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit", id: "confirm-yes", class: "btn primary" }, t.confirm),
      h("button", { type: "button", id: "confirm-no", class: "btn secondary", onclick: cancel }, t.cancel)
    )
  )
}
