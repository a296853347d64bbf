/** The kiosk's languages: German, English and Leichte Sprache (German, so `lang="de"`). */
import { de, type Dict } from "./de.ts"
import { en } from "./en.ts"
import { ls } from "./ls.ts"

export type { Dict, Msg } from "./de.ts"
export type Lang = "de" | "en" | "ls"
export const langs: ReadonlyArray<Lang> = ["de", "en", "ls"]
export const dicts: Record<Lang, Dict> = { de, en, ls }

/** The language's own name, shown on its switch whatever language the screen is in. */
export const langNames: Record<Lang, string> = { de: "Deutsch", en: "English", ls: "Leichte Sprache" }

/** The `lang` attribute: Leichte Sprache is German. */
export const htmlLang = (lang: Lang): string => (lang === "en" ? "en" : "de")

/** The voice's language for the Web Speech API. */
export const speechLang = (lang: Lang): string => (lang === "en" ? "en-GB" : "de-DE")

/** A catalogue text ({de, en, ls}) in the screen's language. */
export const pick = (text: { readonly de: string; readonly en: string; readonly ls: string }, lang: Lang): string => text[lang]
