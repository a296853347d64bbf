/**
 * A tiny view layer: `h` builds DOM elements. Attributes are set as given,
 * `on…` functions become event listeners, `false`/`null`/`undefined` leave an
 * attribute out, and `value`/`checked` are set as properties.
 */
export type Child = Node | string | number | false | null | undefined | ReadonlyArray<Child>
export type Attrs = Readonly<Record<string, unknown>>

const append = (parent: Node, child: Child): void => {
  if (child === false || child === null || child === undefined) return
  if (Array.isArray(child)) {
    for (const c of child as ReadonlyArray<Child>) append(parent, c)
    return
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)))
}

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs | null = null,
  ...children: ReadonlyArray<Child>
): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener)
    } else if (key === "value" || key === "checked") {
      Reflect.set(el, key, value)
    } else {
      el.setAttribute(key === "className" ? "class" : key, value === true ? "" : String(value))
    }
  }
  append(el, children)
  return el
}

export const replace = (parent: Element, ...children: ReadonlyArray<Child>): void => {
  parent.replaceChildren()
  append(parent, children)
}

/** A unique id for label/description pairs. */
let counter = 0
export const uid = (prefix: string): string => `${prefix}-${++counter}`

export const byId = <E extends HTMLElement = HTMLElement>(id: string): E | null => document.getElementById(id) as E | null
