/**
 * A pickup at the kiosk, played in the browser: the kiosk on one page, the
 * twin panel (the citizen's hands) on the other.
 */
import { expect, test } from "@playwright/test"
import { codeIn } from "../../core/domain/rules.ts"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { enterPickupNumber, recordSpeech, startSession, tapDigits, title } from "./support/kiosk.ts"
import { codeFor, loadOrder, openAlarms, order } from "./support/terminal.ts"

requireChromium()

test("a full pickup through the kiosk screens with the twin panel", async ({ page, browser }) => {
  const loaded = await loadOrder({ requiresOldDocument: true })
  // Its own window, so neither page is a hidden background tab.
  const twin = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage()
  await twin.goto("/twin")
  await expect(twin.locator("#live")).toHaveText("Live")

  await page.goto("/")
  await expect(title(page)).toHaveText("Willkommen am Amt-O-Mat")
  await screenshot(page, "kiosk-1-attract")
  await page.locator("#start").click()
  await expect(title(page)).toHaveText("Bitte stecken Sie Ihre Bankkarte ein")
  await twin.locator("#card-label").fill("alice")
  await twin.locator("#card-insert").click()
  await expect(page.locator("main[data-screen=services]")).toBeVisible()
  await screenshot(page, "kiosk-2-services")

  await page.locator("#svc-pickup").click()
  await tapDigits(page, loaded.pickupNumber)
  await expect(page.locator("#pickup-number-status")).toHaveText("8 von 8 Ziffern")
  await page.locator("#pickup-number-submit").click()
  await expect(title(page)).toHaveText("Code aus der SMS eingeben")
  await expect(page.locator("main")).toContainText(loaded.phone.slice(-2))
  await expect(page.locator("main")).not.toContainText(loaded.phone)

  // The citizen reads the code on the phone: the twin panel's SMS inbox.
  await twin.locator("#phone-number").selectOption(loaded.phone)
  await expect(twin.locator("#inbox li").first()).toContainText("Code:")
  const sms = await twin.locator("#inbox li").first().locator(".sms-text").textContent()
  const code = codeIn(sms ?? "")!
  await tapDigits(page, code)
  await expect(page.locator("#code-status")).toHaveText("6 von 6 Ziffern eingegeben")
  expect(await page.locator("#app").innerText()).not.toContain(code)
  await expect(page.locator("#code .box.filled")).toHaveText(Array(6).fill("●"))
  await screenshot(page, "kiosk-3-code")
  await page.locator("#code-submit").click()

  await expect(title(page)).toHaveText("Alten Ausweis einlegen")
  await screenshot(page, "kiosk-4-old-document")
  // The flap's sensor sees the document arrive; the compartment opens only once the citizen pushed the flap shut.
  await twin.locator("#slot-intake-put").click()
  await expect(title(page)).toHaveText("Alten Ausweis einlegen")
  await twin.locator("#slot-intake-close").click()
  await expect(title(page)).toHaveText(`Fach ${loaded.compartmentId} ist offen`)
  await screenshot(page, "kiosk-5-compartment-open")
  await expect(twin.locator(`#slot-${loaded.compartmentId}`)).toContainText("open")
  await screenshot(twin, "twin-panel")
  await twin.locator(`#slot-${loaded.compartmentId}-take`).click()
  await twin.locator(`#slot-${loaded.compartmentId}-close`).click()

  await expect(title(page)).toHaveText("Fertig – vielen Dank!")
  await page.locator("#to-feedback").click()
  await page.locator("#rating-5").click()
  await page.locator("#recommend-yes").click()
  await screenshot(page, "kiosk-6-feedback")
  await page.locator("#feedback-send").click()
  await expect(title(page)).toHaveText("Danke für Ihre Rückmeldung!")
  await page.locator("#finish").click()
  await expect(title(page)).toHaveText("Willkommen am Amt-O-Mat")
  expect((await order(loaded.id)).status).toBe("collected")
})

test("three wrong codes lock the pickup: a calm message, staff alerted", async ({ page }) => {
  const loaded = await loadOrder({ requiresOldDocument: false, documentKind: "passport" })
  await startSession(page)
  await enterPickupNumber(page, loaded.pickupNumber)
  const code = await codeFor(loaded.phone)
  const wrong = code === "000000" ? "111111" : "000000"

  await tapDigits(page, wrong)
  await page.locator("#code-submit").click()
  await expect(page.locator("#notice")).toHaveText("Der Code stimmt nicht. Sie haben noch 2 Versuche. Bitte prüfen Sie die SMS.")
  await expect(page.locator("#code-status")).toHaveText("0 von 6 Ziffern eingegeben")
  await tapDigits(page, wrong)
  await page.locator("#code-submit").click()
  await expect(page.locator("#notice")).toHaveText("Der Code stimmt nicht. Sie haben noch 1 Versuch. Bitte prüfen Sie die SMS.")
  await checkScreen(page, "code with a wrong-code notice", "de")
  await tapDigits(page, wrong)
  await page.locator("#code-submit").click()

  await expect(title(page)).toHaveText("Die Abholung ist gesperrt")
  await expect(page.locator("#message-text")).toContainText("Personal")
  await expect(page.locator("#action-callStaff")).toBeVisible()
  await screenshot(page, "kiosk-7-locked")
  await page.locator("#action-callStaff").click()
  await expect(title(page)).toHaveText("So erreichen Sie das Personal")
  expect((await order(loaded.id)).status).toBe("locked")
  expect((await openAlarms()).some((a) => a.kind === "order_locked")).toBe(true)
  await page.locator("#message-back").click()
  await page.locator("#action-finish").click()
  await expect(title(page)).toHaveText("Willkommen am Amt-O-Mat")
})

test("read-aloud speaks the screen in its language, never the code; masked digits give a tone", async ({ page }) => {
  await recordSpeech(page)
  const loaded = await loadOrder({ requiresOldDocument: false, documentKind: "passport" })
  await startSession(page)
  await page.locator("#opt-read").click()
  let spoken = await page.evaluate(() => window.__spoken)
  expect(spoken.at(-1)).toMatchObject({ lang: "de-DE" })
  expect(spoken.at(-1)!.text).toContain("Was möchten Sie tun?")

  await enterPickupNumber(page, loaded.pickupNumber)
  const code = await codeFor(loaded.phone)
  await tapDigits(page, code.slice(0, 4))
  expect(await page.evaluate(() => window.__tones.filter((t) => t === "key").length)).toBe(4)
  await page.locator("#lang-en").click()
  await expect(page.locator("html")).toHaveAttribute("lang", "en")
  await expect(title(page)).toHaveText("Enter the code from your text message")
  spoken = await page.evaluate(() => window.__spoken)
  expect(spoken.at(-1)!.lang).toBe("en-GB")
  expect(spoken.at(-1)!.text).toContain("Code: 4 of 6 digits entered.")
  await page.locator("#lang-ls").click()
  await expect(page.locator("html")).toHaveAttribute("lang", "de")
  spoken = await page.evaluate(() => window.__spoken)
  expect(spoken.at(-1)!.text).toContain("Code: 4 von 6 Ziffern eingegeben.")
  for (const utterance of spoken) {
    expect(utterance.text).not.toContain(code)
    expect(utterance.text).not.toContain(code.slice(0, 4))
  }
  await page.locator("#cancel").click()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect((await order(loaded.id)).status).toBe("loaded")
})
