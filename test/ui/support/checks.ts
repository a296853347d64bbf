/**
 * Checks run on every screen: axe-core with the WCAG 2.0/2.1/2.2 A and AA
 * tags (zero violations), every visible control at least 44 × 44 CSS px, and
 * `<html lang>` set.
 */
import { AxeBuilder } from "@axe-core/playwright"
import { expect, type Page } from "@playwright/test"
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"

export const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

export const expectNoAxeViolations = async (page: Page, screen: string) => {
  const results = await new AxeBuilder({ page }).withTags(axeTags).analyze()
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`)
  expect(found, `axe on ${screen}`).toEqual([])
}

const CONTROLS = "button, a[href], input, select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex='-1'])"

/** Every visible control is at least 44 × 44 CSS px (WCAG 2.2 2.5.5). */
export const expectTargetSizes = async (page: Page, screen: string) => {
  const small = await page.evaluate((selector) => {
    const out: Array<string> = []
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
      if (el.closest("[hidden], [inert]")) continue
      const r = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || style.display === "none") continue
      if (r.width < 44 || r.height < 44) {
        out.push(`${el.tagName.toLowerCase()}#${el.id || "?"} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`)
      }
    }
    return out
  }, CONTROLS)
  expect(small, `controls smaller than 44 x 44 on ${screen}`).toEqual([])
}

export const expectLang = async (page: Page, lang: string) => {
  await expect(page.locator("html")).toHaveAttribute("lang", lang)
}

/** All three checks. */
export const checkScreen = async (page: Page, screen: string, lang?: string) => {
  if (lang) await expectLang(page, lang)
  else expect(await page.locator("html").getAttribute("lang"), `lang on ${screen}`).toMatch(/^(de|en)$/)
  await expectTargetSizes(page, screen)
  await expectNoAxeViolations(page, screen)
}

const shots = resolve(import.meta.dirname, "..", "..", "..", "docs", "screenshots")

/** Saves a screenshot of a main screen for the README. */
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(shots, { recursive: true })
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(shots, `${name}.png`), animations: "disabled", caret: "hide" })
}
