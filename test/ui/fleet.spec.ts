/**
 * The fleet back office in the browser, against real processes: `amtomat county serve` on a
 * throwaway PostgreSQL, terminal T1 (Mayen) running `serve --demo --county …`, T2 (Andernach)
 * registered but never started. County staff see both, a clerk of Andernach only T2; an order
 * announced in the browser reaches T1 and is cancelled there; a forged push raises an alarm
 * that is acknowledged after a confirmation; the county report is drawn. Axe and target sizes
 * in German and English.
 */
import { expect, type Page, test } from "@playwright/test"
import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { startPostgresCluster } from "../../county/harness/postgresCluster.ts"
import { run, serve, serveCommand, type Served } from "../../kiosk/harness/process.ts"
import { tempDb } from "../../kiosk/harness/twinTerminal.ts"
import { checkScreen, screenshot } from "./support/checks.ts"
import { requireChromium } from "./support/chromium.ts"

requireChromium()
test.describe.configure({ mode: "serial" })

const PASSWORD = "fleet test password"
let stopPostgres: () => void = () => undefined
let county: Served
let t1: Served
const credentials: Record<string, string> = {}

test.beforeAll(async () => {
  test.setTimeout(180_000)
  const cluster = await startPostgresCluster({ durable: false })
  test.skip(cluster === undefined, "no PostgreSQL server binaries (Debian package postgresql)")
  stopPostgres = cluster!.stop
  const pg = cluster!.url
  const dir = dirname(tempDb())
  for (const [terminal, site] of [["T1", "Mayen"], ["T2", "Andernach"]] as const) {
    const file = join(dir, `${terminal}.county`)
    const added = await run(["county", "terminal", "add", "--pg", pg, "--terminal", terminal, "--site", site, "--out", file])
    expect(added.code, added.stderr).toBe(0)
    credentials[terminal] = file
  }
  process.env["AMTOMAT_STAFF_PASSWORD"] = PASSWORD
  try {
    for (
      const args of [["--username", "chief", "--name", "Kreisverwaltung", "--role", "county"], [
        "--username",
        "andernach",
        "--name",
        "Bürgerbüro Andernach",
        "--role",
        "clerk",
        "--site",
        "Andernach"
      ]]
    ) {
      const added = await run(["county", "staff", "add", "--pg", pg, ...args])
      expect(added.code, added.stderr).toBe(0)
    }
  } finally {
    delete process.env["AMTOMAT_STAFF_PASSWORD"]
  }
  county = await serveCommand(["county", "serve"], ["--pg", pg])
  const policy = join(dir, "T1.policy.json")
  writeFileSync(policy, JSON.stringify({ terminalId: "T1" }))
  t1 = await serve([
    "--db",
    join(dir, "T1.db"),
    "--demo",
    "--site",
    "Mayen",
    "--policy",
    policy,
    "--county",
    county.base,
    "--county-credential",
    credentials["T1"]!
  ])
})

test.afterAll(async () => {
  if (process.env["FLEET_DEBUG"]) console.log(t1?.output(), county?.output())
  await t1?.stop()
  await county?.stop()
  stopPostgres()
})

const signIn = async (page: Page, username: string) => {
  await page.goto(`${county.base}/`)
  await expect(page).toHaveURL(/\/fleet$/)
  await page.locator("#username").fill(username)
  await page.locator("#password").fill(PASSWORD)
  await page.locator("#sign-in").click()
  await expect(page.locator("#who")).toBeVisible()
}

test("county staff see every terminal: contact, lag, devices and the compartment grid; in German and English", async ({ page }) => {
  await signIn(page, "chief")
  const one = page.locator("#terminal-T1")
  await expect(one.locator("h2")).toHaveText("T1 · Mayen")
  await expect(one.locator(".lag")).toHaveText("keiner", { timeout: 30_000 })
  await expect(one.locator(".grid .cell.loaded").first()).toBeVisible({ timeout: 30_000 })
  await expect(one.locator(".grid .cell").first()).toHaveAttribute("title", /^Fach \d+: /)
  await expect(page.locator("#terminal-T2 .contact")).toHaveText("noch nie")
  await expect(page.locator("#terminal-T2 .silent")).toHaveText("Seit über 15 Minuten kein Kontakt")
  await expect(page.locator("#terminal-T1 .silent")).toHaveCount(0)
  await screenshot(page, "fleet-1-terminals")
  await checkScreen(page, "fleet terminals", "de")
  await page.locator("#lang").click()
  await expect(page.locator("#tab-terminals")).toHaveText("Terminals")
  await expect(page.locator("#terminal-T2 .contact")).toHaveText("never")
  await checkScreen(page, "fleet terminals", "en")
  await page.locator("#lang").click()
  // a device of T1 fails: its replicated status turns its card to attention
  const fault = await fetch(`${t1.base}/api/twin/scanner/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fault: "offline" })
  })
  expect(fault.status).toBeLessThan(300)
  await expect(one.locator("#device-T1-scanner")).toHaveText(/^Scanner: gestört/, { timeout: 45_000 })
  await expect(one).toHaveClass(/attention/)
  await fetch(`${t1.base}/api/twin/scanner/fault`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fault: "none" }) })
  await expect(one.locator("#device-T1-scanner")).toHaveText("Scanner: in Betrieb", { timeout: 45_000 })
})

test("a clerk sees only their site's terminal; a wrong password is one sentence", async ({ page }) => {
  await page.goto(`${county.base}/fleet`)
  await page.locator("#username").fill("andernach")
  await page.locator("#password").fill("not the password")
  await page.locator("#sign-in").click()
  await expect(page.locator("#login-problem")).toHaveText(/^Das hat nicht geklappt: [^{}]+$/)
  await checkScreen(page, "fleet sign-in", "de")
  await signIn(page, "andernach")
  await expect(page.locator("#terminal-T2")).toBeVisible()
  await expect(page.locator("#terminal-T1")).toHaveCount(0)
})

test("an order announced in the browser reaches T1, and a cancellation there is settled by T1", async ({ page }) => {
  await signIn(page, "andernach")
  await page.locator("#tab-orders").click()
  // a national number without the country code: the server's one sentence, nothing created
  await page.locator("#order-to").selectOption("terminal:T2")
  await page.locator("#order-phone").fill("0151 2345678")
  await page.locator("#order-submit").click()
  await expect(page.locator("#problem")).toContainText("phone")
  await expect(page.locator("#orders")).toHaveCount(0)
  await checkScreen(page, "fleet orders", "de")

  await page.goto(`${county.base}/fleet`)
  await page.locator("#sign-out").click()
  await signIn(page, "chief")
  await page.locator("#tab-orders").click()
  await page.locator("#order-to").selectOption("terminal:T1")
  await page.locator("#order-kind").selectOption("passport")
  await page.locator("#order-phone").fill("+49 151 7654 3210")
  await page.locator("#order-old").uncheck()
  await page.locator("#order-submit").click()
  await expect(page.locator("#notice")).toHaveText("Auftrag angekündigt. Das Terminal übernimmt ihn, sobald es erreichbar ist.")
  const row = page.locator("#orders tbody tr").first()
  await expect(row).toContainText("Reisepass")
  await expect(row).not.toContainText("76543210")
  await expect(row.locator(".status")).toHaveText("vom Terminal übernommen", { timeout: 45_000 })
  await expect(row.locator(".progress")).toHaveText("angekündigt")

  // at T1 it is an order like any other, with the number the clerk typed
  const login = await (await fetch(`${t1.base}/api/staff/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "demo", password: "amtomat-demo" })
  })).json() as { token: string }
  const there = await (await fetch(`${t1.base}/api/staff/orders?status=announced`, { headers: { authorization: `Bearer ${login.token}` } })).json() as Array<
    { phone: string; documentKind: string }
  >
  expect(there.filter((o) => o.phone === "+4915176543210")).toEqual([expect.objectContaining({ documentKind: "passport" })])

  await row.locator(".cancel").click()
  await expect(page.locator("#confirm-question")).toContainText("Auftrag stornieren?")
  await checkScreen(page, "fleet confirm", "de")
  await page.locator("#confirm-no").click()
  await expect(row.locator(".status")).toHaveText("vom Terminal übernommen")
  await row.locator(".cancel").click()
  await page.locator("#confirm-yes").click()
  await expect(page.locator("#notice")).toHaveText("Storno angenommen.")
  await expect(row.locator(".status")).toHaveText("storniert", { timeout: 45_000 })
  await screenshot(page, "fleet-2-orders")
})

test("a forged push raises an alarm; it is acknowledged after a confirmation; the report is drawn", async ({ page }) => {
  const credential = (JSON.parse((await import("node:fs")).readFileSync(credentials["T2"]!, "utf8")) as { credential: string }).credential
  const gap = await fetch(`${county.base}/api/v1/replication/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: JSON.stringify({
      rows: [{
        seq: 5,
        at: "2026-12-01T10:00:00.000Z",
        site: "Andernach",
        terminal: "T2",
        type: "TerminalStarted",
        data: "{}",
        prev_hash: "0".repeat(64),
        hash: "1".repeat(64)
      }],
      through: { seq: 5, hash: "1".repeat(64) }
    })
  })
  expect(gap.status).toBe(409)
  await signIn(page, "chief")
  await page.locator("#tab-alarms").click()
  const alarm = page.locator("#alarms tbody tr")
  await expect(alarm).toHaveCount(1)
  await expect(alarm).toContainText("Lücke im Protokoll")
  await checkScreen(page, "fleet alarms", "de")
  await alarm.locator(".acknowledge").click()
  await expect(page.locator("#confirm-question")).toContainText("Alarm von T2 quittieren?")
  await page.locator("#confirm-yes").click()
  await expect(page.locator("#notice")).toHaveText("Alarm quittiert.")
  await expect(page.locator("#no-alarms")).toHaveText("Keine offenen Alarme.")

  await page.locator("#tab-report").click()
  await expect(page.locator("body")).toHaveAttribute("data-charts-ready", /^[1-9]\d*$/, { timeout: 30_000 })
  await expect(page.locator("#report table").first()).toBeVisible()
  await screenshot(page, "fleet-3-report")
  await checkScreen(page, "fleet report", "de")
})
