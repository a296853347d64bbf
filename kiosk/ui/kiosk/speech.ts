/**
 * Read-aloud through the Web Speech API, in the screen's language. Only the
 * screen's own texts are spoken (each screen lists them); the code never is,
 * only how many digits were entered.
 */
import { type Lang, speechLang } from "../i18n/index.ts"

const synth = (): SpeechSynthesis | undefined => ("speechSynthesis" in window ? window.speechSynthesis : undefined)

export const speak = (texts: ReadonlyArray<string>, lang: Lang): void => {
  const s = synth()
  if (!s || typeof SpeechSynthesisUtterance === "undefined") return
  s.cancel()
  const text = texts.filter((x) => x.trim().length > 0).join(" ")
  if (text.length === 0) return
  const utterance = new SpeechSynthesisUtterance(text)
  utterance.lang = speechLang(lang)
  const voice = s.getVoices().find((v) => v.lang.toLowerCase().startsWith(utterance.lang.slice(0, 2).toLowerCase()))
  if (voice) utterance.voice = voice
  s.speak(utterance)
}

export const silence = (): void => {
  synth()?.cancel()
}
