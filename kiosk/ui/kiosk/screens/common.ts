/** Building blocks shared by the screens. */
import { type Child, h } from "../../shared/dom.ts"

export const lead = (text: string, id?: string) => h("p", { class: "lead", id }, text)
export const note = (text: string) => h("p", { class: "note" }, text)

/** A line that tells what the terminal is doing, announced politely. */
export const waiting = (text: string) =>
  h("p", { class: "waiting", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", null, text))

/** A calm notice (wrong code, typo …), announced at once. */
export const notice = (text: string, id = "notice") => h("p", { class: "notice", role: "alert", id }, text)

export const button = (id: string, label: Child, onclick: () => void, kind: "primary" | "secondary" = "primary", disabled = false) =>
  h("button", { id, type: "button", class: `button ${kind}`, disabled, onclick }, label)

export const actions = (...children: ReadonlyArray<Child>) => h("div", { class: "actions" }, children)
