/** Small pieces of the twin panel: a labelled select, a button, a section. */
import { type Child, h } from "../shared/dom.ts"

export const section = (id: string, title: string, ...children: ReadonlyArray<Child>) =>
  h("section", { class: "card", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), children)

export const btn = (id: string, label: string, onclick: () => void, disabled = false, kind: "primary" | "secondary" | "danger" = "secondary") =>
  h("button", { id, type: "button", class: `btn ${kind}`, disabled, onclick }, label)

export const choice = (id: string, label: string, value: string, options: ReadonlyArray<readonly [string, string]>, onchange: (v: string) => void) =>
  h(
    "div",
    { class: "pick" },
    h("label", { for: id }, label),
    h(
      "select",
      { id, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) },
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))
    )
  )

export const fact = (label: string, value: Child, tone: "ok" | "warn" | "plain" = "plain") =>
  h("p", { class: `fact ${tone}` }, h("span", { class: "fact-label" }, `${label}: `), h("strong", null, value))
