/**
 * Every kiosk screen, every failure message, in German, English and Leichte
 * Sprache, with large text and high contrast: axe-core finds no WCAG 2.x A/AA
 * violation, every control is at least 44 × 44 px, `lang` is always right.
 * The kiosk API is stood in for (support/mockKiosk.ts); the catalogue is real.
 */
import { expect, type Page, test } from "@playwright/test"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { tapDigits, title } from "./support/kiosk.ts"
import { mockKiosk, ok, pickupFailed, withCheckDigit } from "./support/mockKiosk.ts"

requireChromium()

const NUMBER = withCheckDigit("1234567")
const screen = (page: Page, name: string) => expect(page.locator(`main[data-screen=${name}]`)).toBeVisible()

const toServices = async (page: Page) => {
  await page.goto("/")
  await page.locator("#start").click()
  await screen(page, "services")
  await expect(page.locator("#svc-grave-monument")).toBeVisible()
}
const toNumber = async (page: Page) => {
  await toServices(page)
  await page.locator("#svc-pickup").click()
  await tapDigits(page, NUMBER)
}

test("the pickup screens, one by one", async ({ page }) => {
  const mock = await mockKiosk(page)
  await page.goto("/")
  await checkScreen(page, "attract", "de")
  mock.hold("session")
  await page.locator("#start").click()
  await screen(page, "card")
  await checkScreen(page, "card prompt", "de")
  await mock.release("session")
  await screen(page, "services")
  await checkScreen(page, "services", "de")

  await page.locator("#svc-pickup").click()
  await tapDigits(page, "12345678")
  await page.locator("#pickup-number-submit").click()
  await expect(page.locator("#notice")).toHaveText("Diese Nummer stimmt nicht. Bitte prüfen Sie die Ziffern in der SMS.")
  await checkScreen(page, "pickup number with a typo", "de")
  await page.locator("#number-back").click()
  await screen(page, "services")
  await page.locator("#svc-pickup").click()
  await expect(page.locator("#pickup-number-status")).toHaveText("0 von 8 Ziffern")
  await page.locator("#pickup-number-clear").click()
  await tapDigits(page, NUMBER)
  // grouped as the SMS writes it: 4 + 4
  await expect(page.locator("#pickup-number .box-group")).toHaveCount(2)
  await expect(page.locator("#pickup-number .box-group").first().locator(".box")).toHaveText(NUMBER.slice(0, 4).split(""))
  await page.locator("#pickup-number-submit").click()
  await screen(page, "code")
  await checkScreen(page, "code", "de")
  // back to the number, kept for correcting, and forward again
  await page.locator("#code-back").click()
  await screen(page, "number")
  await expect(page.locator("#pickup-number-status")).toHaveText("8 von 8 Ziffern")
  await checkScreen(page, "pickup number, back from the code", "de")
  await page.locator("#pickup-number-submit").click()
  await screen(page, "code")
  // the code may be shown to check it, and hidden again; read-aloud never says it (kiosk.key.spec)
  await tapDigits(page, "4711")
  await expect(page.locator("#code .box.filled")).toHaveText(Array(4).fill("●"))
  await page.locator("#code-reveal").click()
  await expect(page.locator("#code-reveal")).toHaveAttribute("aria-pressed", "true")
  await expect(page.locator("#code .box.filled")).toHaveText(["4", "7", "1", "1"])
  await checkScreen(page, "code shown", "de")
  await page.locator("#code-reveal").click()
  await expect(page.locator("#code .box.filled")).toHaveText(Array(4).fill("●"))
  await page.locator("#code-clear").click()
  // no text message: what to do instead, and back to the code
  await page.locator("#no-sms").click()
  await screen(page, "message")
  await expect(title(page)).toHaveText("Keine SMS bekommen?")
  await expect(page.locator("#message-text")).toContainText("im Bürgerbüro")
  await expect(page.locator("#action-newCode")).toBeVisible()
  await checkScreen(page, "no text message", "de")
  await page.locator("#message-back").click()
  await screen(page, "code")

  mock.reply("pickup/verify", pickupFailed("WrongCode", { attemptsLeft: 2 }))
  await tapDigits(page, "123456")
  await page.locator("#code-submit").click()
  await expect(page.locator("#notice")).toContainText("2 Versuche")
  mock.reply("pickup/verify", ok({ requiresOldDocument: true }))
  mock.hold("pickup/old-document")
  await tapDigits(page, "654321")
  await page.locator("#code-submit").click()
  await screen(page, "old")
  await checkScreen(page, "old document", "de")
  mock.hold("pickup/complete")
  await mock.release("pickup/old-document")
  await expect(title(page)).toHaveText("Fach 7 ist offen")
  await checkScreen(page, "compartment open", "de")
  // the door stays listed as watched while it is open; once it is not, the screen moves on by itself
  const watched = { services: { pickup: { available: true, missing: [] }, applications: { available: true, missing: [] } } }
  mock.reply("status", ok({ ...watched, doors: [{ compartmentId: 7, purpose: "pickup", phase: "close", since: 0 }] }))
  await mock.release("pickup/complete", ok({ collected: true, doorClosed: false }))
  await screen(page, "closeDoor")
  await checkScreen(page, "close the door", "de")
  // a poll that finds the door still open changes nothing
  await page.waitForResponse(/\/api\/kiosk\/status$/)
  await screen(page, "closeDoor")
  mock.reply("status", ok({ ...watched, doors: [] }))
  await screen(page, "done")
  await checkScreen(page, "done", "de")
  await page.locator("#to-feedback").click()
  await page.locator("#rating-4").click()
  await page.locator("#recommend-unsure").click()
  await checkScreen(page, "feedback", "de")
  await page.locator("#feedback-send").click()
  await screen(page, "thanks")
  await checkScreen(page, "thanks", "de")
})

test("every failure gives a calm message with the next step", async ({ page }) => {
  const mock = await mockKiosk(page)
  const cases = [
    ["pickup/identify", pickupFailed("UnknownPickupNumber"), "Abholnummer nicht gefunden", "#action-tryAgain"],
    ["pickup/identify", pickupFailed("NotReady"), "Dieses Dokument liegt nicht im Amt-O-Mat", "#action-finish"],
    ["pickup/identify", pickupFailed("OrderLocked"), "Die Abholung ist gesperrt", "#action-callStaff"],
    ["pickup/identify", pickupFailed("Throttled", { retryAfterSeconds: 40 }), "Bitte warten Sie kurz", "#action-tryAgain"],
    ["pickup/identify", pickupFailed("SmsNotSent"), "Der Code konnte nicht gesendet werden", "#action-tryAgain"],
    ["pickup/identify", pickupFailed("SessionExpired"), "Ihre Sitzung ist abgelaufen", "#action-startOver"],
    [
      "pickup/identify",
      { status: 503, body: { _tag: "ServiceUnavailable", message: "storage" } },
      "Der Automat kann gerade nichts speichern",
      "#action-tryAgain"
    ],
    ["pickup/verify", pickupFailed("CodeExpired"), "Der Code ist abgelaufen", "#action-newCode"],
    ["pickup/old-document", pickupFailed("NoOldDocument"), "Wir haben keinen alten Ausweis erkannt", "#action-tryAgain"],
    ["pickup/old-document", pickupFailed("IntakeLeftOpen"), "Bitte schließen Sie die Klappe", "#action-flapClosed"],
    ["pickup/old-document", pickupFailed("IntakeUnavailable"), "Der Einwurf für den alten Ausweis ist gestört", "#action-callStaff"],
    ["pickup/open", pickupFailed("DoorDidNotOpen"), "Das Fach ließ sich nicht öffnen", "#action-callStaff"],
    ["pickup/open", pickupFailed("DeviceError"), "Eine technische Störung", "#action-callStaff"],
    ["pickup/complete", pickupFailed("DocumentNotTaken"), "Das Dokument wurde nicht entnommen", "#action-tryAgain"]
  ] as const
  for (const [endpoint, reply, heading, next] of cases) {
    mock.reset()
    mock.reply(endpoint, reply)
    await toNumber(page)
    await page.locator("#pickup-number-submit").click()
    if (endpoint !== "pickup/identify") {
      await screen(page, "code")
      await tapDigits(page, "123456")
      await page.locator("#code-submit").click()
    }
    await expect(title(page)).toHaveText(heading)
    await expect(page.locator(next)).toBeVisible()
    await checkScreen(page, `message: ${heading}`, "de")
  }
  await expect(page.locator("#message-text")).toContainText("Sie können die Abholung noch einmal beginnen.")
  await page.locator("#action-finish").click()

  for (
    const [reason, heading] of [["Timeout", "Keine Karte erkannt"], ["Unreadable", "Die Karte konnte nicht gelesen werden"], [
      "Offline",
      "Der Kartenleser funktioniert gerade nicht"
    ]] as const
  ) {
    mock.reply("session", { status: 422, body: { _tag: "CardNotRead", reason, message: reason } })
    await page.goto("/")
    await page.locator("#start").click()
    await expect(title(page)).toHaveText(heading)
    await checkScreen(page, `card: ${reason}`, "de")
  }
  await page.locator("#action-startOver").click()
  await screen(page, "attract")
})

test("an application: form, scan notices, review, receipt", async ({ page }) => {
  const mock = await mockKiosk(page)
  await toServices(page)
  await page.locator("#svc-grave-monument").click()
  await checkScreen(page, "form", "de")
  for (
    const [field, value] of [["fullName", "Erika Mustermann"], ["street", "Bahnhofstraße 9"], ["postcode", "56068"], ["cemetery", "Hauptfriedhof"], [
      "graveNumber",
      "B-12-3"
    ]]
  ) {
    await page.locator(`#field-${field}`).fill(value!)
  }
  await page.locator("#field-material").selectOption("sandstone")
  await page.locator("#form-next").click()
  await screen(page, "scan")
  await checkScreen(page, "scan", "de")
  mock.reply("applications/scan", { status: 503, body: { _tag: "DeviceUnavailable", device: "scanner", message: "scanner offline" } })
  await page.locator("#scan-drawing").click()
  await expect(page.locator("#notice")).toContainText("Der Scanner funktioniert gerade nicht.")
  await checkScreen(page, "scan: scanner down", "de")
  mock.reset()
  await page.locator("#scan-drawing").click()
  await expect(page.locator(".scan-status")).toHaveText("Gescannt: 1 Seite")
  await page.locator("#scan-next").click()
  await screen(page, "review")
  await checkScreen(page, "review", "de")
  mock.reply("applications", { status: 400, body: { _tag: "InvalidInput", field: "fields.graveNumber", problem: "unknown grave", message: "" } })
  await page.locator("#review-send").click()
  await expect(page.locator("#error-graveNumber")).toHaveText("Diese Angabe wurde nicht angenommen. Bitte prüfen Sie sie.")
  mock.reset()
  await page.locator("#form-next").click()
  await page.locator("#scan-next").click()
  await page.locator("#review-send").click()
  await expect(page.locator("#reference")).toHaveText("2026-KXM4PQ")
  await checkScreen(page, "receipt", "de")
})

test("English, Leichte Sprache, large text and high contrast on every kind of screen", async ({ page }) => {
  const mock = await mockKiosk(page)
  await page.goto("/")
  await page.locator("#lang-en").click()
  await expect(title(page)).toHaveText("Welcome to the Amt-O-Mat")
  await expect(page.locator("#lang-de")).toHaveAttribute("lang", "de")
  await checkScreen(page, "attract (en)", "en")
  await page.locator("#lang-ls").click()
  await expect(title(page)).toHaveText("Willkommen beim Amt-O-Mat")
  await expect(page.locator("#lang-en")).toHaveAttribute("lang", "en")
  await checkScreen(page, "attract (ls)", "de")
  await page.locator("#start").click()
  await screen(page, "services")
  await expect(page.locator("#svc-dog-registration")).toHaveText("Hund anmelden")
  await screenshot(page, "kiosk-12-leichte-sprache")
  await checkScreen(page, "services (ls)", "de")
  await page.locator("#svc-pickup").click()
  await tapDigits(page, NUMBER)
  await page.locator("#pickup-number-submit").click()
  await expect(title(page)).toHaveText("Geben Sie den Code ein.")
  await checkScreen(page, "code (ls)", "de")
  await page.locator("#lang-en").click()
  await page.locator("#opt-large").click()
  await page.locator("#opt-contrast").click()
  await expect(page.locator("html")).toHaveClass(/large/)
  await expect(page.locator("html")).toHaveClass(/contrast/)
  await expect(page.locator("#opt-contrast")).toHaveAttribute("aria-pressed", "true")
  await screenshot(page, "kiosk-13-large-contrast")
  await checkScreen(page, "code (en, large, contrast)", "en")
  mock.reply("pickup/verify", pickupFailed("OrderLocked"))
  await tapDigits(page, "123456")
  await page.locator("#code-submit").click()
  await expect(title(page)).toHaveText("The pickup is locked")
  await checkScreen(page, "message (en, large, contrast)", "en")
  await page.locator("#lang-de").click()
  await expect(title(page)).toHaveText("Die Abholung ist gesperrt")
  await checkScreen(page, "message (de, large, contrast)", "de")
  await page.locator("#action-finish").click()
  await expect(page.locator("html")).not.toHaveClass(/contrast/)
  await page.locator("#start").click()
  await page.locator("#opt-contrast").click()
  await page.locator("#svc-parking-permit").click()
  await page.locator("#form-next").click()
  await checkScreen(page, "form with errors (contrast)", "de")
})
