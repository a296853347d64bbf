/** An application at the kiosk: a guided form, a scanned attachment, a receipt; delivered to the office. */
import { expect, test } from "@playwright/test"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { startSession, title } from "./support/kiosk.ts"
import { api, staffToken } from "./support/terminal.ts"

requireChromium()

test("an application with a scanned attachment gets a reference and reaches the office", async ({ page }) => {
  await startSession(page)
  await page.locator("#svc-grave-monument").click()
  await expect(title(page)).toHaveText("Genehmigung eines Grabmals")
  await expect(page.locator(".step")).toHaveText("Schritt 1 von 3")

  // Nothing filled in: every required field says what is missing, next to the field.
  await page.locator("#form-next").click()
  await expect(page.locator("#form-summary")).toContainText("Bitte prüfen Sie 6 Angaben.")
  await expect(page.locator("#field-fullName")).toHaveAttribute("aria-invalid", "true")
  await expect(page.locator("#error-fullName")).toHaveText("Bitte füllen Sie dieses Feld aus.")
  await checkScreen(page, "form with errors", "de")

  await page.locator("#field-fullName").fill("Erika Mustermann")
  await page.locator("#field-street").fill("Bahnhofstraße 9")
  await page.locator("#field-postcode").fill("5606")
  await page.locator("#field-cemetery").fill("Hauptfriedhof")
  await page.locator("#field-graveNumber").fill("B-12-3")
  await page.locator("#field-material").selectOption("granite")
  await page.locator("#form-next").click()
  await expect(page.locator("#error-postcode")).toHaveText("Bitte geben Sie 5 Ziffern ein, zum Beispiel 56068.")
  await screenshot(page, "kiosk-8-form")
  // Corrected and straight to "Weiter": the one tap counts. (The field's change fires as the finger
  // goes down; had the error and the summary line been removed then, the button would have moved away.)
  await page.locator("#field-postcode").fill("56068")
  await page.locator("#form-next").click()

  // The scan: first with nothing on the scanner, then with the drawing laid on it.
  await expect(title(page)).toHaveText("Unterlagen scannen")
  await page.locator("#scan-next").click()
  await expect(page.locator("#notice")).toHaveText("Bitte scannen Sie noch: Zeichnung des Grabmals.")
  await page.locator("#scan-drawing").click()
  await expect(page.locator("#notice")).toContainText("Auf dem Scanner liegt kein Blatt.")
  await api("POST", "/api/twin/scanner/place", { pages: 2 })
  await page.locator("#scan-drawing").click()
  await expect(page.locator(".scan-status")).toHaveText("Gescannt: 2 Seiten")
  await screenshot(page, "kiosk-9-scan")
  await page.locator("#scan-next").click()

  await expect(title(page)).toHaveText("Bitte prüfen Sie Ihre Angaben")
  await expect(page.locator(".review")).toContainText("Granit")
  await expect(page.locator(".review")).toContainText("Zeichnung des Grabmals (Gescannt: 2 Seiten)")
  await page.locator("#review-send").click()

  await expect(title(page)).toHaveText("Ihr Antrag ist eingegangen")
  const reference = (await page.locator("#reference").textContent()) ?? ""
  expect(reference).toMatch(/^\d{4}-[A-Z2-9]{6}$/)
  await expect(page.locator("main")).toContainText("die Friedhofsverwaltung")
  await screenshot(page, "kiosk-10-receipt")
  await checkScreen(page, "receipt", "de")
  await page.locator("#finish").click()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()

  // The outbox delivers it to the office (the job runs every 5 s).
  const token = await staffToken()
  await expect.poll(async () => {
    const outbox = await api<ReadonlyArray<{ reference: string; status: string }>>("GET", "/api/staff/outbox", undefined, token)
    return outbox.find((e) => e.reference === reference)?.status
  }, { timeout: 15_000 }).toBe("delivered")
})
