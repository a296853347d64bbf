/**
 * The bar on every screen: the three languages (each named in its own
 * language, with its own `lang`), large text, high contrast and read aloud.
 */
import { htmlLang, langNames, langs } from "../i18n/index.ts"
import { h } from "../shared/dom.ts"
import { icon } from "../shared/icons.ts"
import type { Ctx } from "./app.ts"

export type Change = "lang" | "large" | "contrast" | "read"

export const header = (ctx: Ctx, changed: (what: Change) => void) => {
  const { state, t } = ctx
  const toggle = (id: string, pressed: boolean, label: string, glyph: ReturnType<typeof icon>, what: Change, flip: () => void) =>
    h(
      "button",
      {
        id,
        type: "button",
        class: "toggle",
        "aria-pressed": pressed ? "true" : "false",
        onclick: () => {
          flip()
          changed(what)
        }
      },
      glyph,
      h("span", null, label)
    )
  return h(
    "header",
    { class: "bar" },
    h(
      "nav",
      { class: "langs", "aria-label": t.languages },
      langs.map((lang) =>
        h("button", {
          id: `lang-${lang}`,
          type: "button",
          class: "toggle",
          lang: htmlLang(lang),
          "aria-pressed": state.lang === lang ? "true" : "false",
          onclick: () => {
            if (state.lang === lang) return
            state.lang = lang
            changed("lang")
          }
        }, langNames[lang])
      )
    ),
    h(
      "div",
      { class: "options", role: "group", "aria-label": t.display },
      toggle("opt-large", state.large, t.largeText, icon("text"), "large", () => (state.large = !state.large)),
      toggle("opt-contrast", state.contrast, t.contrast, icon("contrast"), "contrast", () => (state.contrast = !state.contrast)),
      toggle("opt-read", state.readAloud, t.readAloud, icon("speaker"), "read", () => (state.readAloud = !state.readAloud))
    )
  )
}
