/**
 * The back office as a clerk's first week would try it: a phone number typed
 * the German way, a landline and a number one digit short (a sentence at the
 * field, nothing created); the old-document box following the document kind;
 * a load called off; a locked pickup released and its alarm acknowledged only
 * after a confirmation with a note, shown with names, not ids; German event
 * names; and a supervisor managing accounts — a disabled colleague's open
 * browser is signed out at once.
 */
import { type Browser, expect, type Page, test } from "@playwright/test"
import { checkScreen } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { staffPage } from "./support/kiosk.ts"
import { api, loadOrder, newPhone } from "./support/terminal.ts"

requireChromium()

/** "+4915112345678" as a clerk writes it: "0151 1234 5678". */
const national = (e164: string) => `0${e164.slice(3, 6)} ${e164.slice(6, 10)} ${e164.slice(10)}`

const signInAs = async (browser: Browser, username: string, password: string): Promise<Page> => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
  await page.goto("/staff")
  await page.locator("#username").fill(username)
  await page.locator("#password").fill(password)
  await page.locator("#sign-in").click()
  await expect(page.locator("#live")).toHaveText("Live")
  return page
}

test("a phone number typed the German way is taken; a landline or a short number gets a sentence at the field and creates nothing", async ({ browser }) => {
  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  const rows = staff.locator("#orders tbody tr")
  await expect(rows.first()).toBeVisible()
  const before = await rows.count()

  await staff.locator("#draft-phone").fill("02651 12345")
  await staff.locator("#draft-create").click()
  await expect(staff.locator("#draft-phone-error")).toHaveText(/Festnetznummer/)
  await expect(staff.locator("#draft-phone")).toHaveAttribute("aria-invalid", "true")
  await expect(staff.locator("#draft-phone")).toBeFocused()
  await checkScreen(staff, "staff orders, phone error", "de")
  await staff.locator("#draft-phone").fill("0151 2345678")
  await staff.locator("#draft-create").click()
  await expect(staff.locator("#draft-phone-error")).toHaveText(/gibt es so nicht/)
  await expect(staff.locator("#notice")).toHaveCount(0)
  expect(await rows.count()).toBe(before)

  // in English, the same field says it in English
  await staff.locator("#lang-en").click()
  await staff.locator("#draft-create").click()
  await expect(staff.locator("#draft-phone-error")).toHaveText(/does not exist as written/)
  await staff.locator("#lang-de").click()

  const phone = newPhone()
  await staff.locator("#draft-phone").fill(national(phone))
  await staff.locator("#draft-create").click()
  await expect(staff.locator("#notice")).toContainText("Auftrag angelegt, Abholnummer")
  await expect(staff.locator("#draft-phone-error")).toHaveCount(0)
  const pickupNumber = /Abholnummer (\d{8})/.exec((await staff.locator("#notice").textContent()) ?? "")![1]!
  const token = (await api<{ token: string }>("POST", "/api/staff/login", { username: "demo", password: "amtomat-demo" })).token
  const made = await api<ReadonlyArray<{ pickupNumber: string; phone: string }>>("GET", `/api/staff/orders?search=${pickupNumber}`, undefined, token)
  expect(made.map((o) => o.phone)).toEqual([phone])
})

test("the old-document box follows the document kind until staff set it themselves", async ({ browser }) => {
  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  const box = staff.locator("#draft-old")
  await expect(box).toBeChecked()
  await expect(staff.locator("label[for=draft-old]")).toHaveText("Der alte Personalausweis muss am Terminal abgegeben werden")
  await staff.locator("#draft-kind").selectOption("passport")
  await expect(box).not.toBeChecked()
  await expect(staff.locator("label[for=draft-old]")).toHaveText("Der alte Reisepass muss am Terminal abgegeben werden")
  await staff.locator("#draft-kind").selectOption("id-card")
  await expect(box).toBeChecked()
  await box.uncheck()
  await staff.locator("#draft-kind").selectOption("passport")
  await staff.locator("#draft-kind").selectOption("id-card")
  await expect(box).not.toBeChecked()
})

test("a load called off with the door open ends when the door is shut empty; the order waits", async ({ browser }) => {
  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  await staff.locator("#draft-kind").selectOption("passport")
  await staff.locator("#draft-phone").fill(national(newPhone()))
  await staff.locator("#draft-create").click()
  const pickupNumber = /Abholnummer (\d{8})/.exec((await staff.locator("#notice").textContent()) ?? "")![1]!
  await staff.locator(`#load-${pickupNumber}`).click()
  await expect(staff.locator("#flow-text")).toContainText("ist offen. Legen Sie den Reisepass hinein")
  const compartment = Number(/Fach (\d+)/.exec((await staff.locator("#flow-text").textContent()) ?? "")![1])
  await staff.locator("#flow-cancel").click()
  await expect(staff.locator("#flow-text")).toContainText(`Einlegen wird abgebrochen`)
  await checkScreen(staff, "staff load called off", "de")
  await api("POST", `/api/twin/slots/${compartment}/close`)
  await expect(staff.locator("#flow-text")).toHaveText("Einlegen abgebrochen. Das Fach ist wieder frei, der Auftrag wartet weiter.")
  await expect(staff.locator(`#order-${pickupNumber}`)).toContainText("angekündigt")
})

test("a locked pickup is released and its alarm acknowledged only after a confirmation with a note; names, not ids", async ({ browser }) => {
  const loaded = await loadOrder({ requiresOldDocument: false, documentKind: "passport" })
  await api("POST", "/api/twin/card/insert", { label: "release-card" })
  const { sessionId } = await api<{ sessionId: string }>("POST", "/api/kiosk/session")
  await api("POST", "/api/kiosk/pickup/identify", { sessionId, pickupNumber: loaded.pickupNumber })
  for (const code of ["000001", "000002", "000003"]) {
    await fetch(`${process.env["AMTOMAT_UI_BASE"]}/api/kiosk/pickup/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId, code })
    })
  }
  await api("POST", "/api/kiosk/session/end", { sessionId })

  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  const row = staff.locator(`#order-${loaded.pickupNumber}`)
  await expect(row).toContainText("gesperrt")
  await staff.locator(`#release-${loaded.pickupNumber}`).click()
  await expect(staff.locator("#confirm-question")).toContainText(`Abholung ${loaded.pickupNumber} wieder freigeben?`)
  await checkScreen(staff, "staff release confirmation", "de")
  // cancel changes nothing
  await staff.locator("#confirm-no").click()
  await expect(row).toContainText("gesperrt")
  await staff.locator(`#release-${loaded.pickupNumber}`).click()
  await staff.locator("#confirm-note").fill("Ausweis am Schalter geprüft")
  await staff.locator("#confirm-yes").click()
  await expect(staff.locator("#notice")).toHaveText(`Abholung ${loaded.pickupNumber} ist wieder freigegeben.`)
  await expect(row).toContainText("eingelegt")

  await staff.locator("#tab-alarms").click()
  const alarm = staff.locator("#open-alarms li[data-kind=order_locked]").filter({ hasText: `Fach ${loaded.compartmentId}` })
  await expect(alarm).toContainText("Abholung gesperrt")
  await expect(alarm).toContainText("die Person prüfen, dann unter Aufträge freigeben")
  await alarm.getByRole("button", { name: "Quittieren" }).click()
  await expect(staff.locator("#confirm-question")).toContainText("Alarm „Abholung gesperrt“ quittieren?")
  await staff.locator("#confirm-note").fill("freigegeben nach Prüfung")
  await staff.locator("#confirm-yes").click()
  await expect(alarm).toHaveCount(0)
  const done = staff.locator("#recent-alarms li").filter({ hasText: "Notiz: freigegeben nach Prüfung" })
  await expect(done).toContainText("von Demo")
  await expect(done).not.toContainText("stf_")

  await staff.locator("#tab-events").click()
  await expect(staff.locator("#events")).toContainText("Abholung freigegeben")
  await expect(staff.locator("#events")).toContainText("Alarm quittiert")
  await expect(staff.locator("#events tbody")).not.toContainText("stf_")
  await expect(staff.locator("#event-type option", { hasText: "Dokument eingelegt" })).toHaveCount(1)
})

test("a supervisor creates, disables and resets an account; the colleague's open back office is signed out at once", async ({ browser }) => {
  const boss = await staffPage(browser)
  await boss.locator("#tab-accounts").click()
  await expect(boss.locator("h1")).toHaveText("Konten")
  await boss.locator("#account-username").fill("Erika M")
  await boss.locator("#account-name").fill("E")
  await boss.locator("#account-submit").click()
  await expect(boss.locator("#account-username-error")).toContainText("Kleinbuchstaben")
  await expect(boss.locator("#account-name-error")).toHaveText("Der Name braucht 2 bis 80 Zeichen.")
  await checkScreen(boss, "staff accounts, errors", "de")
  const username = `erika${Date.now() % 100_000}`
  await boss.locator("#account-username").fill(username)
  await boss.locator("#account-name").fill("Erika Mustermann")
  await boss.locator("#account-submit").click()
  await expect(boss.locator("#notice")).toHaveText("Konto für Erika Mustermann angelegt.")
  const password = (await boss.locator("#temporary-password-value").textContent())!.trim()
  expect(password).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/)
  await expect(boss.locator(`#account-${username}`)).toContainText("Sachbearbeitung")

  const erika = await signInAs(browser, username, password)
  await expect(erika.locator("#tab-accounts")).toHaveCount(0)
  await expect(erika.locator(".who")).toContainText("Erika Mustermann (Sachbearbeitung)")

  await boss.locator(`#disable-${username}`).click()
  await expect(boss.locator("#confirm-question")).toContainText("Konto von Erika Mustermann sperren?")
  await checkScreen(boss, "staff accounts, confirm", "de")
  await boss.locator("#confirm-yes").click()
  await expect(boss.locator(`#account-${username}`)).toContainText("gesperrt durch Leitung")
  // her open browser: back to the sign-in, told the session ended
  await expect(erika.locator("#login-error")).toBeVisible({ timeout: 40_000 })
  await erika.locator("#username").fill(username)
  await erika.locator("#password").fill(password)
  await erika.locator("#sign-in").click()
  await expect(erika.locator("#login-error")).toContainText("Anmeldung fehlgeschlagen")

  await boss.locator(`#disable-${username}`).click()
  await boss.locator("#confirm-yes").click()
  await expect(boss.locator(`#account-${username}`)).toContainText("aktiv")
  await boss.locator(`#reset-${username}`).click()
  await boss.locator("#confirm-yes").click()
  const fresh = (await boss.locator("#temporary-password-value").textContent())!.trim()
  expect(fresh).not.toBe(password)
  await signInAs(browser, username, fresh)

  // oneself: no disable button, the role not changeable
  await expect(boss.locator("#disable-demo")).toHaveCount(0)
  await expect(boss.locator("#role-demo")).toHaveCount(0)
  await boss.locator("#lang-en").click()
  await expect(boss.locator("h1")).toHaveText("Accounts")
  await checkScreen(boss, "staff accounts (en)", "en")
})
