/**
 * Debian's chromium, never a downloaded browser. Without it the browser
 * tests are skipped with a message saying how to install it.
 */
import { test } from "@playwright/test"
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

/** Call at the top of every spec file. */
export const requireChromium = () => test.skip(!hasChromium, SKIP_MESSAGE)
