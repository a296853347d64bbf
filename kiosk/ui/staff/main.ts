/**
 * The staff back office (/staff). The bearer token lives in this tab's
 * sessionStorage only: closing the tab signs the browser out.
 */
import { byId } from "../shared/dom.ts"
import { staffApi, type StaffInfo } from "./api.ts"
import { startApp } from "./app.ts"
import type { StaffLang } from "./i18n.ts"
import { showLogin } from "./login.ts"

const KEY = "amtomat.staff.token"
const root = byId("app")!
const lang: StaffLang = sessionStorage.getItem("amtomat.staff.lang") === "en" ? "en" : "de"
let stop: (() => void) | undefined

/** Where a page that needs a sign-in (the dashboard) sent the browser from: back there afterwards. */
const returnTo = new URLSearchParams(location.search).get("next") === "/dashboard" ? "/dashboard" : null

const signedIn = (token: string, me: StaffInfo) => {
  sessionStorage.setItem(KEY, token)
  if (returnTo !== null) return location.replace(returnTo)
  stop = startApp(root, token, me, lang, signOut)
}

const signOut = (expired: boolean) => {
  stop?.()
  stop = undefined
  sessionStorage.removeItem(KEY)
  const current = sessionStorage.getItem("amtomat.staff.lang") === "en" ? "en" : "de"
  showLogin(root, current, expired ? "expired" : null, signedIn)
}

const token = sessionStorage.getItem(KEY)
if (token) {
  void staffApi(token).me().then((r) => (r.ok ? signedIn(token, r.value) : signOut(false)))
} else {
  showLogin(root, lang, null, signedIn)
}
