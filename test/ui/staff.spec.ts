/** The back office: loading a document with live sensors, and a door left open that calls staff. */
import { expect, test } from "@playwright/test"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { enterPickupNumber, staffPage, startSession, tapDigits, title } from "./support/kiosk.ts"
import { api, codeFor, loadOrder, newPhone } from "./support/terminal.ts"

requireChromium()

test("staff load a document with the door and the sensor live, the citizen is texted; then take it back", async ({ browser }) => {
  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  await expect(staff.locator("h1")).toHaveText("Aufträge")
  const phone = newPhone()
  await staff.locator("#draft-kind").selectOption("passport")
  await staff.locator("#draft-phone").fill(phone)
  await staff.locator("#draft-old").uncheck()
  await staff.locator("#draft-create").click()
  await expect(staff.locator("#notice")).toContainText("Auftrag angelegt, Abholnummer")
  const pickupNumber = /Abholnummer (\d{8})/.exec((await staff.locator("#notice").textContent()) ?? "")![1]!
  const row = staff.locator(`#order-${pickupNumber}`)
  await expect(row).toContainText("angekündigt")
  await staff.locator("#order-search").fill(pickupNumber)
  await staff.locator("#order-find").click()
  await expect(staff.locator("#orders tbody tr")).toHaveCount(1)
  await expect(row).toContainText("Reisepass")
  await expect(row).not.toContainText("mit Abgabe des alten Ausweises")

  await staff.locator(`#load-${pickupNumber}`).click()
  await expect(staff.locator("#flow-text")).toContainText("ist offen. Legen Sie den Reisepass hinein")
  const compartment = Number(/Fach (\d+)/.exec((await staff.locator("#flow-text").textContent()) ?? "")![1])
  await expect(staff.locator("#flow-door")).toHaveText("Tür offen")
  await expect(staff.locator("#flow-item")).toHaveText("leer")
  await api("POST", `/api/twin/slots/${compartment}/put`)
  await expect(staff.locator("#flow-item")).toHaveText("Dokument drin")
  await screenshot(staff, "staff-2-load")
  await checkScreen(staff, "staff load flow", "de")
  await api("POST", `/api/twin/slots/${compartment}/close`)
  await expect(staff.locator("#flow-text")).toHaveText("Eingelegt. Die Bürgerin oder der Bürger wurde per SMS benachrichtigt.")
  await expect(staff.locator("#flow-door")).toHaveText("Tür zu")
  await expect(row).toContainText("eingelegt")
  const inbox = await api<ReadonlyArray<{ text: string }>>("GET", `/api/twin/sms?to=${encodeURIComponent(phone)}`)
  expect(inbox.at(-1)?.text).toContain(`${pickupNumber.slice(0, 4)} ${pickupNumber.slice(4)}`)

  await staff.locator("#tab-compartments").click()
  await expect(staff.locator(`#cell-${compartment}`)).toHaveAttribute("data-state", "loaded")

  // Not collected after all: staff take it back to the office.
  await staff.locator("#tab-orders").click()
  // still ready for its citizen: a supervisor takes it back early only with a reason
  await staff.locator(`#return-${pickupNumber}`).click()
  await expect(staff.locator("#flow-text")).toContainText("Nur die Leitung kann es vorher zurücknehmen")
  await staff.locator("#return-reason").fill("zu kurz")
  await staff.locator("#return-confirm").click()
  await expect(staff.locator("#flow-text")).toContainText("Nur die Leitung")
  await staff.locator("#return-reason").fill("Bürgerin holt ihn am Schalter ab")
  await staff.locator("#return-confirm").click()
  await expect(staff.locator("#flow-text")).toHaveText(`Fach ${compartment} ist offen. Nehmen Sie das Dokument heraus und schließen Sie die Tür.`)
  await api("POST", `/api/twin/slots/${compartment}/take`)
  await expect(staff.locator("#flow-item")).toHaveText("leer")
  await api("POST", `/api/twin/slots/${compartment}/close`)
  await expect(staff.locator("#flow-text")).toHaveText("Zurückgenommen. Das Fach ist wieder frei.")
  await expect(row).toContainText("zurückgenommen")
  await staff.locator("#flow-close").click()
  await staff.locator("#tab-compartments").click()
  await expect(staff.locator(`#cell-${compartment}`)).toHaveAttribute("data-state", "free")
})

test("a door left open after a pickup: staff alarm, live in the grid, acknowledged", async ({ page, browser }) => {
  const loaded = await loadOrder({ requiresOldDocument: false, documentKind: "passport" })
  const staff = await staffPage(browser)
  const cell = staff.locator(`#cell-${loaded.compartmentId}`)
  await expect(cell).toHaveAttribute("data-state", "loaded")

  await startSession(page)
  await enterPickupNumber(page, loaded.pickupNumber)
  await tapDigits(page, await codeFor(loaded.phone))
  await page.locator("#code-submit").click()
  await expect(title(page)).toHaveText(`Fach ${loaded.compartmentId} ist offen`)
  await expect(cell).toHaveAttribute("data-state", "open")
  await expect(cell).toContainText("Tür offen")

  // The citizen takes the passport and walks away from the open door.
  await api("POST", `/api/twin/slots/${loaded.compartmentId}/take`)
  await expect(title(page)).toHaveText("Bitte schließen Sie die Tür", { timeout: 15_000 })
  await screenshot(page, "kiosk-11-close-door")
  await expect(cell).toHaveAttribute("data-state", "alarm")
  await screenshot(staff, "staff-1-compartments")

  await staff.locator("#tab-alarms").click()
  const alarm = staff.locator("#open-alarms li[data-kind=door_left_open]").filter({ hasText: `Fach ${loaded.compartmentId}` })
  await expect(alarm).toContainText("Tür offen gelassen")
  await screenshot(staff, "staff-3-alarms")
  await checkScreen(staff, "staff alarms", "de")
  await alarm.getByRole("button", { name: "Quittieren" }).click()
  await staff.locator("#confirm-yes").click()
  await expect(alarm).toHaveCount(0)
  await expect(staff.locator("#recent-alarms")).toContainText(`Tür offen gelassen – Fach ${loaded.compartmentId}`)

  await api("POST", `/api/twin/slots/${loaded.compartmentId}/close`)
  await staff.locator("#tab-compartments").click()
  await expect(cell).toHaveAttribute("data-state", "free")
  // the kiosk saw the door shut and moved on by itself
  await expect(title(page)).toHaveText("Fertig – vielen Dank!")
})
