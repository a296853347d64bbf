/**
 * Debian's chromium, never a downloaded browser. Without it the browser
 * tests are skipped with a message saying how to install it.
 */
import { test } from "@playwright/test"

import { hasChromium, SKIP_MESSAGE } from "../../support/chromium.ts"

export { CHROMIUM, chromiumArgs, hasChromium, SKIP_MESSAGE } from "../../support/chromium.ts"

/** Call at the top of every spec file. */
export const requireChromium = () => test.skip(!hasChromium, SKIP_MESSAGE)
