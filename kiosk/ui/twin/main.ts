/**
 * The twin panel (/twin): with it a newcomer plays a whole pickup in the
 * browser, the kiosk on one side, the twin on the other (`/twin?kiosk=1`
 * shows both on one page). Live from /api/twin/stream.
 */
import { byId, h, replace } from "../shared/dom.ts"
import type { Result } from "../shared/http.ts"
import { subscribe } from "../shared/sse.ts"
import { type SmsT, twinApi, type TwinStateT } from "./api.ts"
import { panel, type PanelModel } from "./panel.ts"

const root = byId("app")!
const withKiosk = new URLSearchParams(location.search).get("kiosk") === "1"
const model: PanelModel = { state: null, inbox: [], phone: "", cardLabel: "alice", pages: 1, error: null, live: false }
const body = h("div", { id: "panel" })
const liveBadge = h("p", { class: "live", role: "status", id: "live" })
let lastState = ""

const draw = () => {
  const focused = document.activeElement
  const active = focused instanceof HTMLElement ? focused.id : ""
  const selection = focused instanceof HTMLInputElement ? [focused.selectionStart, focused.selectionEnd] as const : null
  liveBadge.textContent = model.live ? "Live" : "Reconnecting …"
  liveBadge.className = `live ${model.live ? "on" : "off"}`
  replace(body, panel(model, act, () => draw()))
  const again = active ? byId(active) : null
  again?.focus()
  if (selection && again instanceof HTMLInputElement) again.setSelectionRange(selection[0], selection[1])
}

const act = (run: () => Promise<Result<void>>) => {
  void run().then(async (r) => {
    model.error = r.ok ? null : String(r.failure.body["message"] ?? `the twin refused (${r.failure.status})`)
    const fresh = await twinApi.state()
    if (fresh.ok) model.state = fresh.value
    const inbox = await twinApi.inbox()
    if (inbox.ok) model.inbox = inbox.value
    draw()
  })
}

replace(
  root,
  h(
    "header",
    { class: "top" },
    h("h1", null, "Amt-O-Mat twin panel"),
    h("p", { class: "intro" }, "The citizen's hands and the hardware's insides. Insert a card here, then use the kiosk."),
    h(
      "nav",
      { "aria-label": "Screens" },
      h("a", { href: "/", class: "btn secondary", target: withKiosk ? undefined : "_blank" }, "Open the kiosk"),
      h("a", { href: withKiosk ? "/twin" : "/twin?kiosk=1", class: "btn secondary" }, withKiosk ? "Panel only" : "Kiosk beside the panel"),
      h("a", { href: "/staff", class: "btn secondary" }, "Back office")
    ),
    liveBadge
  ),
  h(
    "div",
    { class: withKiosk ? "split" : "single" },
    withKiosk && h("div", { class: "kiosk-frame" }, h("iframe", { src: "/", title: "Citizen kiosk" })),
    h("main", null, body)
  )
)
draw()

subscribe("/api/twin/stream", {
  onStatus: (live) => {
    if (model.live !== live) {
      model.live = live
      draw()
    }
  },
  onEvent: (event, data) => {
    if (event !== "state") return
    const next = data as { state: TwinStateT; inbox: ReadonlyArray<SmsT> }
    const key = JSON.stringify(next)
    if (key === lastState) return
    lastState = key
    model.state = next.state
    model.inbox = next.inbox
    draw()
  }
})
