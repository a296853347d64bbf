/**
 * The page that disappears: the kiosk reloaded at every step of a pickup and
 * of an application, the back office reloaded in the middle of a load. The
 * server owns the doors, so whatever the browser does, the document taken is
 * collected, the one left inside is ready again, a load settles when its door
 * is shut — and the reloaded page shows the door it finds open.
 */
import { expect, type Page, test } from "@playwright/test"
import { checkScreen } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { enterPickupNumber, staffPage, startSession, tapDigits, title } from "./support/kiosk.ts"
import { api, codeFor, type LoadedOrder, loadOrder, newPhone, order, staffToken } from "./support/terminal.ts"

requireChromium()

const events = async (type: string) =>
  api<ReadonlyArray<{ event: Record<string, unknown> }>>("GET", `/api/staff/events?type=${type}&limit=10000`, undefined, await staffToken())

const lastOf = async (type: string) => (await events(type)).at(-1)?.event

const reloadShowsWelcome = async (page: Page) => {
  await page.reload()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect((await lastOf("CardSessionEnded"))?.["reason"]).toBe("reload")
}

/** From the welcome screen to the code screen, code typed and confirmed. */
const throughCode = async (page: Page, loaded: LoadedOrder) => {
  await startSession(page)
  await enterPickupNumber(page, loaded.pickupNumber)
  await tapDigits(page, await codeFor(loaded.phone))
  await page.locator("#code-submit").click()
}

test("reloaded before any door opened (services, number, code): the session ends as 'reload', the order stays ready", async ({ page }) => {
  const loaded = await loadOrder({ requiresOldDocument: false })
  await startSession(page)
  await reloadShowsWelcome(page)

  await startSession(page)
  await page.locator("#svc-pickup").click()
  await tapDigits(page, loaded.pickupNumber.slice(0, 4))
  await reloadShowsWelcome(page)

  await startSession(page)
  await enterPickupNumber(page, loaded.pickupNumber)
  await reloadShowsWelcome(page)
  expect(await lastOf("PickupAbandoned")).toMatchObject({ step: "code", reason: "page-reloaded" })
  expect((await order(loaded.id)).status).toBe("loaded")
})

test("reloaded while the flap is open: the page asks for the flap to be shut, nothing else opens", async ({ page }) => {
  const loaded = await loadOrder({ requiresOldDocument: true })
  await throughCode(page, loaded)
  await expect(title(page)).toHaveText("Alten Ausweis einlegen")
  await page.reload()
  await expect(title(page)).toHaveText("Bitte schließen Sie die Klappe")
  await api("POST", "/api/twin/slots/intake/put")
  await api("POST", "/api/twin/slots/intake/close")
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  const state = await api<{ locks: ReadonlyArray<{ slot: number | string; doorOpen: boolean }> }>("GET", "/api/twin/state")
  expect(state.locks.find((l) => l.slot === loaded.compartmentId)?.doorOpen).toBe(false)
  expect((await order(loaded.id)).status).toBe("loaded")
})

test("reloaded with the compartment open: the page shows it, the document taken is collected", async ({ page }) => {
  const loaded = await loadOrder({ requiresOldDocument: false })
  await throughCode(page, loaded)
  await expect(title(page)).toHaveText(`Fach ${loaded.compartmentId} ist offen`)
  await page.reload()
  await expect(title(page)).toHaveText(`Fach ${loaded.compartmentId} ist offen`)
  await expect(page.locator("main")).toContainText("Bitte nehmen Sie Ihr Dokument heraus")
  await checkScreen(page, "a reloaded page showing the open compartment", "de")
  await api("POST", `/api/twin/slots/${loaded.compartmentId}/take`)
  await expect(title(page)).toHaveText(`Bitte schließen Sie Fach ${loaded.compartmentId}`)
  // and once more in the last phase: the page still knows the door
  await page.reload()
  await expect(title(page)).toHaveText(`Bitte schließen Sie Fach ${loaded.compartmentId}`)
  await api("POST", `/api/twin/slots/${loaded.compartmentId}/close`)
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect((await order(loaded.id)).status).toBe("collected")
  expect(await lastOf("PickupCompleted")).toMatchObject({ orderId: loaded.id })
})

test("reloaded with the document left in the open door: ready again once the door is shut", async ({ page }) => {
  const loaded = await loadOrder({ requiresOldDocument: false })
  await throughCode(page, loaded)
  await expect(title(page)).toHaveText(`Fach ${loaded.compartmentId} ist offen`)
  await page.reload()
  await api("POST", `/api/twin/slots/${loaded.compartmentId}/close`)
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect((await order(loaded.id)).status).toBe("loaded")
  const compartments = await api<ReadonlyArray<{ id: number; state: string }>>("GET", "/api/staff/compartments", undefined, await staffToken())
  expect(compartments.find((c) => c.id === loaded.compartmentId)?.state).toBe("loaded")
})

test("an application reloaded mid-form, on its review and on its receipt: nothing half-submitted, nothing twice", async ({ page }) => {
  const outbox = async () => (await api<ReadonlyArray<unknown>>("GET", "/api/staff/outbox", undefined, await staffToken())).length
  const before = await outbox()
  const upToReview = async () => {
    await startSession(page)
    await page.locator("#svc-document-return").click()
    await page.locator("#field-fullName").fill("Erika Mustermann")
    await page.locator("#field-documentNumber").fill("L01X00T47")
    await page.locator("#form-next").click()
    await expect(page.locator("main[data-screen=scan], main[data-screen=review]")).toBeVisible()
    if (await page.locator("main[data-screen=scan]").isVisible()) await page.locator("#scan-next").click()
    await expect(page.locator("main[data-screen=review]")).toBeVisible()
  }
  await startSession(page)
  await page.locator("#svc-document-return").click()
  await page.locator("#field-fullName").fill("Erika Mustermann")
  await reloadShowsWelcome(page)
  expect(await outbox()).toBe(before)

  await upToReview()
  await reloadShowsWelcome(page)
  expect(await outbox()).toBe(before)

  await upToReview()
  await page.locator("#review-send").click()
  await expect(page.locator("#reference")).toBeVisible()
  await page.reload()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect(await outbox()).toBe(before + 1)
})

test("the back office reloaded in the middle of a load: the server settles it when the door is shut", async ({ browser }) => {
  const staff = await staffPage(browser)
  await staff.locator("#tab-orders").click()
  const phone = newPhone()
  await staff.locator("#draft-kind").selectOption("passport")
  await staff.locator("#draft-phone").fill(phone)
  await staff.locator("#draft-old").uncheck()
  await staff.locator("#draft-create").click()
  const pickupNumber = /Abholnummer (\d{8})/.exec((await staff.locator("#notice").textContent()) ?? "")![1]!
  await staff.locator(`#load-${pickupNumber}`).click()
  await expect(staff.locator("#flow-text")).toContainText("ist offen")
  const compartment = Number(/Fach (\d+)/.exec((await staff.locator("#flow-text").textContent()) ?? "")![1])
  await staff.reload()
  await api("POST", `/api/twin/slots/${compartment}/put`)
  await api("POST", `/api/twin/slots/${compartment}/close`)
  await expect.poll(async () => {
    const orders = await api<ReadonlyArray<{ pickupNumber: string; status: string }>>("GET", "/api/staff/orders", undefined, await staffToken())
    return orders.find((o) => o.pickupNumber === pickupNumber)?.status
  }).toBe("loaded")
  const inbox = await api<ReadonlyArray<{ text: string }>>("GET", `/api/twin/sms?to=${encodeURIComponent(phone)}`)
  expect(inbox.at(-1)?.text).toContain(`${pickupNumber.slice(0, 4)} ${pickupNumber.slice(4)}`)
})

test("a device away: the start screen and the choice of service say what is not possible", async ({ page }) => {
  await api("POST", "/api/twin/sms/fault", { fault: "network" })
  try {
    await page.goto("/")
    await expect(page.locator("#unavailable")).toContainText("Abholung zurzeit nicht möglich")
    await expect(page.locator("#unavailable")).not.toContainText("Anträge")
    await checkScreen(page, "start screen with a service unavailable", "de")
    await page.locator("#start").click()
    await api("POST", "/api/twin/card/insert", { label: "test-card" })
    await expect(page.locator("main[data-screen=services]")).toBeVisible()
    await expect(page.locator("#svc-pickup")).toBeDisabled()
    await expect(page.locator("#svc-dog-registration")).toBeEnabled()
  } finally {
    await api("POST", "/api/twin/sms/fault", { fault: "none" })
  }
  await page.goto("/")
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  await expect(page.locator("#unavailable")).toHaveCount(0)
})
