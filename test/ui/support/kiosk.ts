/**
 * Driving the kiosk like a citizen: taps on the screen only. Speech and tones
 * are recorded in the page (`window.__spoken`, `window.__tones`).
 */
import { type Browser, expect, type Page } from "@playwright/test"
import { insertCard } from "./terminal.ts"

declare global {
  interface Window {
    __spoken: Array<{ text: string; lang: string }>
    __tones: Array<string>
  }
}

/** Records what read-aloud speaks and which tones sound, instead of a loudspeaker. */
export const recordSpeech = (page: Page) =>
  page.addInitScript(() => {
    window.__spoken = []
    window.__tones = []
    window.addEventListener("amtomat:tone", (e) => window.__tones.push(String((e as CustomEvent).detail)))
    const synth = window.speechSynthesis
    if (synth) {
      synth.speak = (u: SpeechSynthesisUtterance) => {
        window.__spoken.push({ text: u.text, lang: u.lang })
      }
      synth.cancel = () => undefined
    }
  })

export const title = (page: Page) => page.locator("h1#title")

/** Taps digits on the on-screen pad. */
export const tapDigits = async (page: Page, digits: string) => {
  for (const d of digits) await page.locator(".pad").getByRole("button", { name: d, exact: true }).click()
}

/** Attract -> card prompt -> (the twin inserts a card) -> choice of service. */
export const startSession = async (page: Page, card: () => Promise<unknown> = () => insertCard()) => {
  await page.goto("/")
  await page.locator("#start").click()
  await expect(page.locator("main[data-screen=card]")).toBeVisible()
  await card()
  await expect(page.locator("main[data-screen=services]")).toBeVisible()
}

/** From the choice of service to the code screen. */
export const enterPickupNumber = async (page: Page, pickupNumber: string) => {
  await page.locator("#svc-pickup").click()
  await expect(page.locator("main[data-screen=number]")).toBeVisible()
  await tapDigits(page, pickupNumber)
  await page.locator("#pickup-number-submit").click()
  await expect(page.locator("main[data-screen=code]")).toBeVisible()
}

/** The back office in its own window (a desktop screen), signed in as the demo supervisor. */
export const staffPage = async (browser: Browser): Promise<Page> => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  await page.goto("/staff")
  await expect(page.locator("h1")).toHaveText("Amt-O-Mat – Backoffice")
  await page.locator("#username").fill("demo")
  await page.locator("#password").fill("amtomat-demo")
  await page.locator("#sign-in").click()
  await expect(page.locator("#live")).toHaveText("Live")
  return page
}
