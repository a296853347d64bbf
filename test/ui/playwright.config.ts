/**
 * The browser suite: the three screens in Debian's chromium (never a
 * downloaded browser), against `amtomat serve --demo` on a free port with a
 * fresh database and a test policy (short door alarm); the fleet screens
 * (fleet.spec.ts) start their own county on a throwaway PostgreSQL. One worker: the
 * terminal has one card slot and one citizen at a time.
 */
import { defineConfig } from "@playwright/test"
import { existsSync, mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { CHROMIUM, chromiumArgs, hasChromium, SKIP_MESSAGE } from "./support/chromium.ts"

const root = resolve(import.meta.dirname, "..", "..")
// Chosen once in the runner; the workers inherit them through the environment.
process.env["AMTOMAT_UI_PORT"] ??= String(18_000 + Math.floor(Math.random() * 2_000))
process.env["AMTOMAT_UI_DIR"] ??= mkdtempSync(join(tmpdir(), "amtomat-ui-"))
const port = Number(process.env["AMTOMAT_UI_PORT"])
const dir = process.env["AMTOMAT_UI_DIR"]
const base = `http://127.0.0.1:${port}`
process.env["AMTOMAT_UI_BASE"] = base

if (!hasChromium && !process.env["AMTOMAT_UI_WARNED"]) {
  process.env["AMTOMAT_UI_WARNED"] = "1"
  console.warn(`\n${SKIP_MESSAGE}\n`)
}

const vite = join(root, "node_modules", "vite", "bin", "vite.js")
const build = existsSync(vite) ? `node ${vite} build --config kiosk/ui/vite.config.ts && node ${vite} build --config county/ui/vite.config.ts && ` : ""

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: join(root, "test-results", "ui"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: base,
    browserName: "chromium",
    headless: true,
    viewport: { width: 1080, height: 1920 },
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    launchOptions: { executablePath: CHROMIUM, args: chromiumArgs },
    trace: "off",
    screenshot: "only-on-failure"
  },
  ...(hasChromium
    ? {
      webServer: {
        command: `${build}node bin/amtomat.js serve --demo --host 127.0.0.1 --port ${port} --db ${join(dir, "ui.db")} --policy test/ui/policy.json`,
        cwd: root,
        url: `${base}/health`,
        timeout: 120_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe"
      }
    }
    : {})
})
