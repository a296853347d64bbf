/** Building the fleet screens' DOM: `el(tag, props, ...children)`; `on…` props become listeners. */

export type Kid = Node | string | number | null | undefined | false | ReadonlyArray<Kid>

const add = (parent: Node, kid: Kid): void => {
  if (kid === null || kid === undefined || kid === false) return
  if (Array.isArray(kid)) return (kid as ReadonlyArray<Kid>).forEach((k) => add(parent, k))
  parent.appendChild(kid instanceof Node ? kid : document.createTextNode(String(kid)))
}

export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Readonly<Record<string, unknown>> = {},
  ...kids: ReadonlyArray<Kid>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value as EventListener)
    else if (name === "value" || name === "checked") Reflect.set(node, name, value)
    else node.setAttribute(name, value === true ? "" : String(value))
  }
  kids.forEach((k) => add(node, k))
  return node
}

export const fill = (parent: Element, ...kids: ReadonlyArray<Kid>) => {
  parent.replaceChildren()
  kids.forEach((k) => add(parent, k))
}

/** Local date and time of an ISO instant, in the screen's language. */
export const when = (iso: string | null, lang: string, never: string) =>
  iso === null ? never : new Date(iso).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "short", timeStyle: "medium" })
