/**
 * A kiosk screen on another machine is opened once with `/?key=…`: the key
 * leaves the address bar at once, stays in the tab across reloads, and goes
 * with every kiosk call as `x-kiosk-key` — never in a URL. (The server's side
 * of the rule is tested from another host in test/security/network.test.ts.)
 */
import { expect, test } from "@playwright/test"
import { requireChromium } from "./support/chromium.ts"

requireChromium()

test("the kiosk key moves from the address bar into every kiosk call's header, and survives a reload", async ({ page }) => {
  const seen: Array<{ url: string; key: string | undefined }> = []
  page.on("request", (r) => {
    if (r.url().includes("/api/")) seen.push({ url: r.url(), key: r.headers()["x-kiosk-key"] })
  })
  const key = "k".repeat(16) + "0123456789abcdefABCDEF"
  await page.goto(`/?key=${key}`)
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect(new URL(page.url()).search).toBe("")
  await page.reload()
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  const kiosk = seen.filter((r) => r.url.includes("/api/kiosk/"))
  expect(kiosk.length).toBeGreaterThanOrEqual(2)
  for (const r of kiosk) {
    expect(r.key, r.url).toBe(key)
    expect(r.url).not.toContain(key)
  }
})

test("a screen opened without a key sends none", async ({ page }) => {
  const keys: Array<string | undefined> = []
  page.on("request", (r) => {
    if (r.url().includes("/api/kiosk/")) keys.push(r.headers()["x-kiosk-key"])
  })
  await page.goto("/")
  await expect(page.locator("main[data-screen=attract]")).toBeVisible()
  expect(keys.length).toBeGreaterThan(0)
  expect(keys.every((k) => k === undefined)).toBe(true)
})
