/**
 * The idle timeout under page.clock: a warning at least 20 s before the reset,
 * by sight (a dialog) and by sound (a tone); "more time" with one tap, ten
 * times and more; the reset wipes what was entered and the browser storage.
 */
import { expect, test } from "@playwright/test"
import { checkScreen } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"
import { recordSpeech, startSession, title } from "./support/kiosk.ts"

requireChromium()

test("idle timeout: warning, more time ten times, reset wipes the data", async ({ page }) => {
  await recordSpeech(page)
  await page.clock.install()
  await startSession(page)
  await page.locator("#svc-dog-registration").click()
  await page.locator("#field-fullName").fill("Max Mustermann")
  await page.locator("#field-dogName").fill("Bello")
  await page.evaluate(() => {
    sessionStorage.setItem("left-behind", "something")
    localStorage.setItem("left-behind", "something")
  })
  const dialog = page.locator("#idle-dialog")

  for (let round = 1; round <= 10; round++) {
    await page.clock.fastForward(59_000)
    await expect(dialog).toBeHidden()
    await page.clock.fastForward(2_000)
    await expect(dialog).toBeVisible()
    const seconds = Number(/(\d+) Sekunden/.exec((await page.locator("#idle-text").textContent()) ?? "")?.[1])
    expect(seconds).toBeGreaterThanOrEqual(20)
    await expect(page.locator("#idle-more")).toBeFocused()
    if (round === 1) await checkScreen(page, "idle warning", "de")
    await page.locator("#idle-more").click()
    await expect(dialog).toBeHidden()
  }
  expect(await page.evaluate(() => window.__tones.filter((t) => t === "warning").length)).toBeGreaterThanOrEqual(10)
  await expect(page.locator("#field-fullName")).toHaveValue("Max Mustermann")

  // Left alone: the warning, the countdown, then the reset.
  await page.clock.fastForward(61_000)
  await expect(dialog).toBeVisible()
  await page.clock.fastForward(15_000)
  await expect(page.locator("#idle-text")).toContainText("15 Sekunden")
  await page.clock.fastForward(16_000)
  await expect(dialog).toBeHidden()
  await expect(title(page)).toHaveText("Willkommen am Amt-O-Mat")
  expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0])

  // The next citizen finds nothing of the last one's entries.
  await page.clock.resume()
  await startSession(page)
  await page.locator("#svc-dog-registration").click()
  await expect(page.locator("#field-fullName")).toHaveValue("")
  await expect(page.locator("#field-dogName")).toHaveValue("")
})

test("screens that wait for the citizen's hands do not time out; the start screen never does", async ({ page }) => {
  await page.clock.install()
  await page.goto("/")
  await page.clock.fastForward(10 * 60_000)
  await expect(page.locator("#idle-dialog")).toBeHidden()
  await page.locator("#start").click()
  await expect(page.locator("main[data-screen=card]")).toBeVisible()
  await page.clock.fastForward(5 * 60_000)
  await expect(page.locator("#idle-dialog")).toBeHidden()
  await page.locator("#cancel").click()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
})
