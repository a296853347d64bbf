/**
 * Every screen of the back office and the twin panel: axe-core finds no WCAG
 * 2.x A/AA violation, every control is at least 44 × 44 px, `lang` is right.
 */
import { expect, test } from "@playwright/test"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"

requireChromium()

test.use({ viewport: { width: 1280, height: 900 } })

test("back office: sign-in, compartments, orders, alarms, outbox, event log, in German and English", async ({ page }) => {
  await page.goto("/staff")
  await checkScreen(page, "staff sign-in", "de")
  await page.locator("#username").fill("demo")
  await page.locator("#password").fill("wrong password")
  await page.locator("#sign-in").click()
  await expect(page.locator("#login-error")).toContainText("Anmeldung fehlgeschlagen")
  await checkScreen(page, "staff sign-in failed", "de")
  await page.locator("#password").fill("amtomat-demo")
  await page.locator("#sign-in").click()
  await expect(page.locator("#live")).toHaveText("Live")
  await expect(page.locator("#grid li")).toHaveCount(12)
  await checkScreen(page, "staff compartments", "de")
  await page.locator("#cell-3").click()
  await expect(page.locator("#compartment-details")).toBeVisible()
  await page.locator("#out-of-service").click()
  await expect(page.locator("#notice")).toHaveText("Bitte geben Sie einen Grund mit mindestens 10 Zeichen an.")
  await checkScreen(page, "staff compartment details", "de")
  await page.locator("#cell-12").click()
  await page.locator("#reason").fill("Scharnier locker, Techniker bestellt")
  await page.locator("#out-of-service").click()
  await expect(page.locator("#cell-12")).toHaveAttribute("data-state", "out_of_service")
  await page.locator("#in-service").click()
  await expect(page.locator("#cell-12")).toHaveAttribute("data-state", "free")

  await page.locator("#tab-orders").click()
  await expect(page.locator("#orders")).toBeVisible()
  await screenshot(page, "staff-4-orders")
  await checkScreen(page, "staff orders", "de")
  await page.locator("#tab-alarms").click()
  await expect(page.locator("h1")).toHaveText("Alarme")
  await checkScreen(page, "staff alarms", "de")
  await page.locator("#tab-outbox").click()
  await expect(page.locator("h1")).toHaveText("Postausgang")
  await expect(page.locator("main")).not.toContainText("…")
  await checkScreen(page, "staff outbox", "de")
  await page.locator("#tab-events").click()
  await expect(page.locator("#events tbody tr").first()).toBeVisible()
  await screenshot(page, "staff-5-events")
  await checkScreen(page, "staff events", "de")
  await page.locator("#event-type").selectOption("OrderLoaded")
  await expect(page.locator("#events tbody tr").first()).toHaveAttribute("data-type", "OrderLoaded")

  await page.locator("#lang-en").click()
  await expect(page.locator("h1")).toHaveText("Event log")
  await checkScreen(page, "staff events (en)", "en")
  await page.locator("#tab-compartments").click()
  await expect(page.locator("h1")).toHaveText("Compartments")
  await checkScreen(page, "staff compartments (en)", "en")

  // An override needs a reason; a short one is refused before anything opens.
  await page.locator("#cell-2").click()
  await page.locator("#reason").fill("test")
  await page.locator("#override-open").click()
  await expect(page.locator("#notice")).toHaveText("Please give a reason of at least 10 characters.")
  await page.locator("#sign-out").click()
  await expect(page.locator("#sign-in")).toBeVisible()
})

test("twin panel, alone and with the kiosk beside it", async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 1100 })
  await page.goto("/twin")
  await expect(page.locator("#live")).toHaveText("Live")
  await checkScreen(page, "twin panel", "en")
  await page.locator("#slot-1 summary").click()
  await checkScreen(page, "twin panel with a fault menu open", "en")
  await page.goto("/twin?kiosk=1")
  await expect(page.frameLocator("iframe").locator("h1")).toHaveText("Willkommen am Amt-O-Mat")
  await expect(page.locator("#live")).toHaveText("Live")
  await screenshot(page, "twin-kiosk-beside")
  await checkScreen(page, "twin panel with the kiosk", "en")
})
