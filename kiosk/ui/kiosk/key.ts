/**
 * The kiosk key: a kiosk screen on another machine than the terminal is
 * opened once with `/?key=…` (the key in kiosk.key beside the database). The
 * key moves into this tab's sessionStorage, leaves the address bar, and goes
 * with every kiosk call as `x-kiosk-key`. A screen on the terminal itself
 * needs none: the server trusts callers on its own machine.
 */
const STORE = "amtomat.kiosk.key"

let cached: string | null | undefined

export const kioskKey = (): string | null => {
  if (cached !== undefined) return cached
  if (typeof location === "undefined" || typeof sessionStorage === "undefined") return (cached = null)
  const url = new URL(location.href)
  const fromUrl = url.searchParams.get("key")
  if (fromUrl !== null && fromUrl.length > 0) {
    sessionStorage.setItem(STORE, fromUrl)
    url.searchParams.delete("key")
    history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`)
  }
  return (cached = sessionStorage.getItem(STORE))
}

export const kioskHeaders = (): Record<string, string> => {
  const key = kioskKey()
  return key === null ? {} : { "x-kiosk-key": key }
}
