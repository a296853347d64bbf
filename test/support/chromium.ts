/**
 * Debian's chromium, never a downloaded browser: where it is and how it is
 * started, for the Playwright suite (test/ui) and the report pages' check in
 * vitest (test/analytics/browser.test.ts) alike.
 */
import { existsSync } from "node:fs"

export const CHROMIUM = process.env["AMTOMAT_CHROMIUM"] ?? "/usr/bin/chromium"
export const hasChromium = existsSync(CHROMIUM)
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic"
]
export const SKIP_MESSAGE = `The browser tests are skipped: no chromium at ${CHROMIUM}. Install Debian's chromium with ` +
  "`sudo apt-get install -y chromium` (as .ci/run does), or point AMTOMAT_CHROMIUM at a chromium binary."
