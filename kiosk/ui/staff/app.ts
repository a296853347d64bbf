/**
 * The back office shell: header, tabs, notices, the current view, and the
 * live stream (/api/staff/stream) that keeps the compartments and alarms current.
 */
import { byId, h, replace } from "../shared/dom.ts"
import { subscribe } from "../shared/sse.ts"
import { type EventT, type Snapshot, staffApi, type StaffInfo } from "./api.ts"
import { staffDicts, type StaffLang } from "./i18n.ts"
import { emptyAccountDraft, emptyDraft, type StaffCtx, type StaffModel, type Tab, tabsFor } from "./model.ts"
import { accountsView, loadAccounts } from "./views/accounts.ts"
import { alarmsView, outboxView } from "./views/alarms.ts"
import { eventsView, loadEvents } from "./views/events.ts"
import { gridView } from "./views/grid.ts"
import { ordersView } from "./views/orders.ts"

const orderEvents = new Set([
  "OrderAnnounced",
  "OrderLoaded",
  "OrderReturned",
  "OrderReleased",
  "OrderLocked",
  "PickupCompleted",
  "CounterHandover",
  "OrderExpired",
  "OrderReminded"
])
const outboxEvents = new Set(["ApplicationSubmitted", "ApplicationDelivered", "ApplicationDeliveryAttempted", "ApplicationDeliveryFailed"])

export const startApp = (root: HTMLElement, token: string, me: StaffInfo, lang: StaffLang, signOut: (expired: boolean) => void) => {
  const tabs = tabsFor(me.role)
  const tabOf = (hash: string): Tab => (tabs as ReadonlyArray<string>).includes(hash.slice(1)) ? hash.slice(1) as Tab : "compartments"
  const m: StaffModel = {
    lang,
    token,
    me,
    tab: tabOf(location.hash),
    live: false,
    snapshot: null,
    selected: null,
    reason: "",
    orders: null,
    search: "",
    status: "",
    draft: emptyDraft(),
    flow: null,
    recentAlarms: null,
    outbox: null,
    events: [],
    eventsFrom: null,
    eventType: "",
    names: new Map(),
    services: new Map(),
    pickupNumbers: new Map(),
    confirm: null,
    accounts: null,
    accountDraft: emptyAccountDraft(),
    shownPassword: null,
    notice: null
  }
  const api = staffApi(token)
  let frame = 0

  let closed = false
  const draw = () => {
    if (closed) return
    const active = document.activeElement
    const id = active instanceof HTMLElement ? active.id : ""
    const selection = active instanceof HTMLInputElement ? [active.selectionStart, active.selectionEnd] as const : null
    const t = staffDicts[m.lang]
    document.documentElement.lang = m.lang
    document.title = `${t.tabs[m.tab]} – ${t.title}`
    const alarms = m.snapshot?.alarms.length ?? 0
    replace(
      root,
      h(
        "header",
        { class: "top" },
        h("p", { class: "brand" }, t.title),
        h("p", { class: `live ${m.live ? "on" : "off"}`, role: "status", id: "live" }, m.live ? t.live : t.offline),
        h("p", { class: "who" }, t.signedInAs(m.me.displayName, t.roles[m.me.role] ?? m.me.role)),
        h(
          "div",
          { class: "langs", role: "group", "aria-label": t.language },
          (["de", "en"] as const).map((l) =>
            h("button", {
              type: "button",
              id: `lang-${l}`,
              class: "btn secondary",
              lang: l,
              "aria-pressed": m.lang === l ? "true" : "false",
              onclick: () => {
                m.lang = l
                sessionStorage.setItem("amtomat.staff.lang", l)
                draw()
              }
            }, l === "de" ? "Deutsch" : "English")
          )
        ),
        h("a", { href: "/dashboard", id: "dashboard-link", class: "btn secondary" }, t.dashboard),
        h("button", { type: "button", id: "sign-out", class: "btn secondary", onclick: () => void api.logout().then(() => signOut(false)) }, t.signOut)
      ),
      h(
        "nav",
        { class: "tabs", "aria-label": t.title },
        h(
          "ul",
          null,
          tabs.map((tab) =>
            h(
              "li",
              null,
              h(
                "a",
                { href: `#${tab}`, id: `tab-${tab}`, "aria-current": m.tab === tab ? "page" : undefined },
                t.tabs[tab],
                tab === "alarms" && alarms > 0 && h("span", { class: "badge" }, ` ${alarms}`)
              )
            )
          )
        )
      ),
      h(
        "main",
        { id: "main" },
        h("h1", null, t.tabs[m.tab]),
        m.notice &&
          h(
            "p",
            { class: `notice ${m.notice.ok ? "ok" : "bad"}`, role: m.notice.ok ? "status" : "alert", id: "notice" },
            m.notice.text,
            m.notice.detail !== undefined && [" ", h("span", { lang: "en" }, m.notice.detail)]
          ),
        view()
      )
    )
    const again = id ? byId(id) : null
    again?.focus()
    if (selection && again instanceof HTMLInputElement) again.setSelectionRange(selection[0], selection[1])
  }
  const drawSoon = () => {
    if (frame === 0) {
      frame = requestAnimationFrame(() => {
        frame = 0
        draw()
      })
    }
  }

  const ctx: StaffCtx = {
    m,
    get t() {
      return staffDicts[m.lang]
    },
    api,
    draw,
    run: (call, ok, failed) => {
      void call.then((r) => {
        if (r.ok) return ok(r.value)
        if (r.failure.status === 401) return signOut(true)
        const why = String(r.failure.body["message"] ?? r.failure.tag)
        if (failed) failed(why)
        else m.notice = { ok: false, text: staffDicts[m.lang].failed, detail: why }
        draw()
      })
    },
    refreshOrders: () =>
      ctx.run(api.orders(m.status, m.search.trim()), (orders) => {
        m.orders = orders
        draw()
      }),
    loadNames: () => undefined
  }

  const view = () => {
    switch (m.tab) {
      case "compartments":
        return gridView(ctx)
      case "orders":
        return ordersView(ctx)
      case "alarms":
        return alarmsView(ctx)
      case "outbox":
        return outboxView(ctx)
      case "events":
        return eventsView(ctx)
      case "accounts":
        return accountsView(ctx)
    }
  }

  const enterTab = () => {
    m.notice = null
    m.confirm = null
    m.shownPassword = null
    if (m.tab === "accounts") loadAccounts(ctx)
    if (m.tab === "orders") ctx.refreshOrders()
    if (m.tab === "outbox") ctx.run(api.outbox(), (o) => (m.outbox = o, draw()))
    if (m.tab === "alarms") ctx.run(api.alarms(false), (a) => (m.recentAlarms = a, draw()))
    if (m.tab === "events" && m.eventsFrom === null && m.snapshot) loadEvents(ctx, m.snapshot.lastSeq)
  }
  window.addEventListener("hashchange", () => {
    m.tab = tabOf(location.hash)
    draw()
    enterTab()
    byId("main")?.querySelector("h1")?.focus()
  })

  let lastSnapshot = ""
  let ordersTimer: ReturnType<typeof setTimeout> | undefined
  const stop = subscribe("/api/staff/stream", {
    token,
    onUnauthorized: () => signOut(true),
    onStatus: (live) => {
      if (m.live !== live) {
        m.live = live
        drawSoon()
      }
    },
    onEvent: (kind, data) => {
      if (kind === "snapshot") {
        const key = JSON.stringify(data)
        if (key === lastSnapshot) return
        lastSnapshot = key
        const first = m.snapshot === null
        m.snapshot = data as Snapshot
        if (first && m.tab === "events") loadEvents(ctx, m.snapshot.lastSeq)
        return drawSoon()
      }
      if (kind !== "event") return
      const event = data as EventT
      if (m.eventsFrom !== null && !m.events.some((e) => e.seq === event.seq)) m.events.push(event)
      if (m.tab === "events") drawSoon()
      if (m.tab === "orders" && orderEvents.has(event.event._tag)) {
        clearTimeout(ordersTimer)
        ordersTimer = setTimeout(ctx.refreshOrders, 250)
      }
      if (m.tab === "outbox" && outboxEvents.has(event.event._tag)) ctx.run(api.outbox(), (o) => (m.outbox = o, drawSoon()))
      if (m.tab === "alarms" && event.event._tag === "AlarmAcknowledged") ctx.run(api.alarms(false), (a) => (m.recentAlarms = a, drawSoon()))
    }
  })

  // names for ids, titles for service ids: looked up once, the view shows ids as "unknown" until then
  const loadNames = () => ctx.run(api.names(), (all) => (m.names = new Map(all.map((n) => [n.id, n.displayName])), drawSoon()), () => undefined)
  loadNames()
  void api.services().then((r) => {
    if (r.ok) m.services = new Map(r.value.map((s) => [s.id, s.title]))
    drawSoon()
  })
  ctx.loadNames = loadNames

  draw()
  enterTab()
  return () => {
    closed = true
    stop()
  }
}
