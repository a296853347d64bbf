/**
 * The fleet back office: county staff sign in and see every terminal they may
 * see (county staff all, a clerk their site's) with device health, last
 * contact, replication lag and compartment grid; acknowledge alarms; announce
 * and cancel orders from the citizens' office; and read the county-wide report
 * (the analytics' own sections and charts). German and English. Everything
 * refreshes itself every REFRESH_SECONDS; nothing here opens a door.
 */
import Chart from "chart.js/auto"
import { drawCharts } from "../../../analytics/html/browser.ts"
import { type Alarm, api, ApiFailure, type Member, type Order, type Terminal, token } from "./api.ts"
import { el, fill, type Kid, when } from "./dom.ts"
import { initialLang, type Lang, type Texts, texts } from "./i18n.ts"
;(globalThis as { Chart?: unknown }).Chart = Chart

const REFRESH_SECONDS = 10
const LANG_KEY = "amtomat.county.lang"
type Tab = "terminals" | "alarms" | "orders" | "report"

const state = {
  lang: initialLang(localStorage.getItem(LANG_KEY), navigator.language) as Lang,
  member: null as Member | null,
  tab: "terminals" as Tab,
  terminals: [] as ReadonlyArray<Terminal>,
  alarms: [] as ReadonlyArray<Alarm>,
  orders: [] as ReadonlyArray<Order>,
  notice: "",
  problem: "",
  stale: false,
  /** Something typed into the order form and not yet sent: the list waits. */
  drafting: false,
  updatedAt: null as string | null
}
let charts: Array<{ destroy(): void }> = []

const t = (): Texts => texts[state.lang]
const app = document.getElementById("app")!

/** A modal yes/no question; resolves with the answer. */
const confirm = (question: string) =>
  new Promise<boolean>((resolve) => {
    const dialog = el("dialog", { id: "confirm", "aria-labelledby": "confirm-question" })
    const done = (answer: boolean) => {
      dialog.close()
      dialog.remove()
      resolve(answer)
    }
    fill(
      dialog,
      el("p", { id: "confirm-question" }, question),
      el(
        "div",
        { class: "actions" },
        el("button", { type: "button", id: "confirm-yes", class: "primary", onclick: () => done(true) }, t().yes),
        el("button", { type: "button", id: "confirm-no", onclick: () => done(false) }, t().no)
      )
    )
    dialog.addEventListener("cancel", () => done(false))
    document.body.appendChild(dialog)
    dialog.showModal()
    ;(dialog.querySelector("#confirm-no") as HTMLButtonElement).focus()
  })

const failed = (e: unknown) => {
  if (e instanceof ApiFailure && e.signedOut) {
    token.set(null)
    state.member = null
    state.problem = ""
  } else {
    state.problem = t().failed(e instanceof Error ? e.message : String(e))
  }
  render()
}

/** Loads what the current tab shows; a county out of reach keeps the last view, marked stale. */
const refresh = async () => {
  if (state.member === null) return
  try {
    if (state.tab === "terminals") state.terminals = await api.terminals()
    if (state.tab === "alarms" || state.tab === "terminals") state.alarms = await api.alarms()
    if (state.tab === "orders") {
      state.orders = await api.orders()
      if (state.terminals.length === 0) state.terminals = await api.terminals()
    }
    state.stale = false
    state.updatedAt = new Date().toISOString()
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 0) state.stale = true
    else return failed(e)
  }
  if (state.tab === "report") return renderReport()
  render()
}

const act = async (work: () => Promise<string>) => {
  state.notice = ""
  state.problem = ""
  try {
    state.notice = await work()
  } catch (e) {
    return failed(e)
  }
  await refresh()
}

const loginView = () => {
  const problem = state.problem
  return el(
    "form",
    {
      id: "login",
      onsubmit: (event: Event) => {
        event.preventDefault()
        const form = event.target as HTMLFormElement
        const username = (form.querySelector("#username") as HTMLInputElement).value
        const password = (form.querySelector("#password") as HTMLInputElement).value
        api.login(username, password).then(
          (answer) => {
            token.set(answer.token)
            state.member = answer.staff
            state.problem = ""
            void refresh()
          },
          (e: unknown) => {
            state.problem = t().failed(e instanceof Error ? e.message : String(e))
            render()
          }
        )
      }
    },
    el("h2", {}, t().signInTitle),
    el("label", { for: "username" }, t().username),
    el("input", { id: "username", name: "username", autocomplete: "username", required: true }),
    el("label", { for: "password" }, t().password),
    el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    problem === "" ? null : el("p", { class: "problem", role: "alert", id: "login-problem" }, problem),
    el("button", { type: "submit", class: "primary", id: "sign-in" }, t().signIn)
  )
}

const deviceList = (terminal: Terminal) =>
  terminal.devices.length === 0
    ? el("p", { class: "muted" }, t().noDevices)
    : el(
      "ul",
      { class: "devices" },
      terminal.devices.map((d) =>
        el(
          "li",
          { class: d.online ? "ok" : "bad", id: `device-${terminal.terminal}-${d.device}` },
          `${t().deviceNames[d.device] ?? d.device}: ${d.online ? t().online : t().offlineDevice}`,
          d.online || d.detail === "" ? null : el("span", { class: "detail" }, ` (${d.detail})`)
        )
      )
    )

const grid = (terminal: Terminal) =>
  terminal.compartments.length === 0
    ? el("p", { class: "muted" }, t().noGrid)
    : el(
      "ul",
      { class: "grid", "aria-label": t().compartments },
      terminal.compartments.map((c) => {
        const stateName = t().compartmentStates[c.state] ?? c.state
        return el(
          "li",
          { class: `cell ${c.state}${c.door === "open" ? " door-open" : ""}`, title: t().compartmentLabel(c.id, stateName, c.door, c.item) },
          el("span", { "aria-hidden": "true" }, String(c.id)),
          el("span", { class: "visually-hidden" }, t().compartmentLabel(c.id, stateName, c.door, c.item))
        )
      })
    )

/** A terminal not heard from for this long is marked (its sync's heartbeat is every 30 s). */
const SILENT_MILLIS = 15 * 60_000

const silent = (terminal: Terminal) => terminal.lastContact === null || Date.now() - Date.parse(terminal.lastContact) > SILENT_MILLIS

const legend = () =>
  el(
    "ul",
    { class: "legend", "aria-label": t().legend },
    ["free", "loaded", "reserved", "open", "out_of_service"].map((s) =>
      el("li", {}, el("span", { class: `cell ${s}`, "aria-hidden": "true" }), t().compartmentStates[s])
    )
  )

const terminalsView = () =>
  state.terminals.length === 0 ? el("p", {}, t().noTerminals) : el(
    "div",
    { class: "cards" },
    state.terminals.map((terminal) =>
      el(
        "section",
        {
          class: `card${
            terminal.openAlarms > 0 || terminal.lastRefusal !== null || silent(terminal) || terminal.devices.some((d) => !d.online) ? " attention" : ""
          }`,
          id: `terminal-${terminal.terminal}`
        },
        el("h2", {}, `${terminal.terminal} · ${terminal.site}`),
        silent(terminal) ? el("p", { class: "problem silent" }, t().silent) : null,
        el(
          "dl",
          {},
          el("dt", {}, t().lastContact),
          el("dd", { class: "contact" }, when(terminal.lastContact, state.lang, t().never)),
          el("dt", {}, t().lag),
          el("dd", { class: "lag" }, t().lagEvents(terminal.lag)),
          terminal.lastRefusal === null ? null : [el("dt", {}, t().refusal), el("dd", { class: "refusal" }, terminal.lastRefusal)]
        ),
        el("p", { class: terminal.openAlarms > 0 ? "alarms bad" : "alarms" }, t().openAlarms(terminal.openAlarms)),
        el("h3", {}, t().devices),
        deviceList(terminal),
        el(
          "h3",
          {},
          t().compartments,
          terminal.compartmentsAt === null ? null : el("small", {}, ` ${t().compartmentsAt(when(terminal.compartmentsAt, state.lang, ""))}`)
        ),
        grid(terminal)
      )
    ),
    state.terminals.some((x) => x.compartments.length > 0) ? legend() : null
  )

const table = (caption: string, heads: ReadonlyArray<string>, rows: ReadonlyArray<HTMLTableRowElement>, id: string) =>
  el(
    "table",
    { id },
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, heads.map((x) => el("th", { scope: "col" }, x)))),
    el("tbody", {}, rows)
  )

const alarmsView = () =>
  state.alarms.length === 0 ? el("p", { id: "no-alarms" }, t().noAlarms) : table(
    t().alarmsTitle,
    Object.values(t().alarmCols),
    state.alarms.map((a) =>
      el(
        "tr",
        { id: `alarm-${a.id}` },
        el("td", {}, `${a.terminal} (${a.site})`),
        el("td", {}, t().alarmKinds[a.kind] ?? a.kind),
        el("td", {}, a.message),
        el("td", {}, when(a.raisedAt, state.lang, "")),
        el(
          "td",
          {},
          el("button", {
            type: "button",
            class: "acknowledge",
            onclick: async () => {
              if (await confirm(t().confirmAcknowledge(a.terminal))) await act(async () => (await api.acknowledge(a.id), t().acknowledged))
            }
          }, t().acknowledge)
        )
      )
    ),
    "alarms"
  )

const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
  el("div", { class: "field" }, el("label", { for: id }, label), hint === undefined ? null : el("small", { id: `${id}-hint` }, hint), control)

const announceForm = () => {
  const sites = [...new Set(state.terminals.map((x) => x.site)), ...(state.member?.site ? [state.member.site] : [])]
  return el(
    "form",
    {
      id: "announce",
      oninput: () => (state.drafting = true),
      onsubmit: (event: Event) => {
        event.preventDefault()
        const form = event.target as HTMLFormElement
        const value = (id: string) => (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value
        const [kind, where] = value("order-to").split(":", 2) as [string, string]
        void act(async () => {
          await api.announce({
            to: kind === "terminal" ? { terminal: where } : { counter: where },
            documentKind: value("order-kind"),
            phone: value("order-phone").replace(/[\s/-]/g, ""),
            requiresOldDocument: (form.querySelector("#order-old") as HTMLInputElement).checked,
            size: value("order-size")
          })
          form.reset()
          state.drafting = false
          return t().announced
        })
      }
    },
    el("h2", {}, t().announce),
    field(
      "order-to",
      t().to,
      el(
        "select",
        { id: "order-to", required: true },
        state.terminals.map((x) => el("option", { value: `terminal:${x.terminal}` }, t().toTerminal(x.terminal, x.site))),
        [...new Set(sites)].map((s) => el("option", { value: `counter:${s}` }, t().toCounter(s)))
      )
    ),
    field("order-kind", t().documentKind, el("select", { id: "order-kind" }, Object.entries(t().kinds).map(([k, v]) => el("option", { value: k }, v)))),
    field(
      "order-phone",
      t().phone,
      el("input", { id: "order-phone", type: "tel", required: true, autocomplete: "off", "aria-describedby": "order-phone-hint" }),
      t().phoneHint
    ),
    el("div", { class: "check" }, el("input", { id: "order-old", type: "checkbox", checked: true }), el("label", { for: "order-old" }, t().requiresOld)),
    field("order-size", t().size, el("select", { id: "order-size" }, ["S", "M", "L"].map((s) => el("option", { value: s }, s)))),
    el("button", { type: "submit", class: "primary", id: "order-submit" }, t().announce)
  )
}

const orderActions = (o: Order): Kid => {
  const buttons: Array<HTMLButtonElement> = []
  if (o.status === "queued" || o.status === "taken" || o.status === "counter") {
    buttons.push(el("button", {
      type: "button",
      class: "cancel",
      onclick: async () => {
        if (await confirm(t().confirmCancel)) await act(async () => (await api.cancel(o.id), t().cancelledNotice))
      }
    }, t().cancel))
  }
  if (o.status === "counter") {
    buttons.push(el("button", {
      type: "button",
      class: "hand-over",
      onclick: async () => {
        if (await confirm(t().confirmHandOver)) await act(async () => (await api.handOver(o.id), t().handedOverNotice))
      }
    }, t().handOver))
  }
  return buttons
}

const ordersView = () => [
  announceForm(),
  el("h2", {}, t().ordersTitle),
  state.orders.length === 0 ? el("p", {}, t().noOrders) : table(
    t().ordersTitle,
    Object.values(t().orderCols),
    state.orders.map((o) =>
      el(
        "tr",
        { id: `order-${o.id}` },
        el("td", {}, when(o.createdAt, state.lang, "")),
        el("td", {}, o.terminal === null ? t().toCounter(o.site) : t().toTerminal(o.terminal, o.site)),
        el("td", {}, t().kinds[o.documentKind] ?? o.documentKind),
        el("td", {}, o.phone ?? "–"),
        el("td", { class: "status" }, t().queueStates[o.status] ?? o.status),
        el("td", { class: "progress" }, o.progress === null ? "–" : t().progress[o.progress] ?? o.progress),
        el("td", {}, o.note ?? ""),
        el("td", {}, orderActions(o))
      )
    ),
    "orders"
  )
]

const renderReport = async () => {
  render()
  const target = document.getElementById("report")
  if (target === null) return
  try {
    const view = await api.dashboard()
    charts.forEach((c) => c.destroy())
    target.innerHTML = view.body // the analytics' own HTML, escaped there
    charts = drawCharts(view.specs)
  } catch (e) {
    failed(e)
  }
}

const header = () =>
  el(
    "header",
    {},
    el("h1", {}, t().title),
    el(
      "div",
      { class: "who" },
      state.member === null ? null : el("span", { id: "who" }, t().signedInAs(state.member.displayName, state.member.site ?? t().allSites)),
      el("button", {
        type: "button",
        id: "lang",
        lang: t().other.code,
        onclick: () => {
          state.lang = t().other.code as Lang
          localStorage.setItem(LANG_KEY, state.lang)
          if (state.tab === "report") void renderReport()
          else render()
        }
      }, t().other.label),
      state.member === null ? null : el("button", {
        type: "button",
        id: "sign-out",
        onclick: async () => {
          await api.logout().catch(() => undefined)
          token.set(null)
          state.member = null
          render()
        }
      }, t().signOut)
    )
  )

const tabs = () =>
  el(
    "nav",
    { "aria-label": t().title },
    (Object.keys(t().tabs) as Array<Tab>).map((tab) =>
      el("button", {
        type: "button",
        id: `tab-${tab}`,
        "aria-current": state.tab === tab ? "page" : undefined,
        onclick: () => {
          state.tab = tab
          state.drafting = false
          state.notice = ""
          state.problem = ""
          void refresh()
        }
      }, t().tabs[tab])
    )
  )

function render() {
  document.documentElement.lang = state.lang
  document.title = t().title
  const focused = document.activeElement?.id
  if (state.member === null) {
    fill(app, header(), el("main", {}, loginView()))
  } else {
    const body: Kid = state.tab === "terminals"
      ? terminalsView()
      : state.tab === "alarms"
      ? alarmsView()
      : state.tab === "orders"
      ? ordersView()
      : [el("p", {}, t().reportNote), el("div", { id: "report", class: "report" }, t().loading)]
    fill(
      app,
      header(),
      tabs(),
      el(
        "main",
        {},
        el("h2", { class: "visually-hidden" }, t().tabs[state.tab]),
        el(
          "p",
          { id: "status", role: "status", class: state.stale ? "problem" : "muted" },
          state.stale ? t().offline : state.updatedAt === null ? "" : t().updated(when(state.updatedAt, state.lang, ""))
        ),
        state.notice === "" ? null : el("p", { id: "notice", role: "status", class: "notice" }, state.notice),
        state.problem === "" ? null : el("p", { id: "problem", role: "alert", class: "problem" }, state.problem),
        body
      )
    )
  }
  if (focused) document.getElementById(focused)?.focus()
}

const start = async () => {
  render()
  if (token.get() !== null) {
    try {
      state.member = await api.me()
    } catch (e) {
      if (!(e instanceof ApiFailure && e.signedOut)) state.problem = t().failed(e instanceof Error ? e.message : String(e))
      token.set(null)
    }
  }
  await refresh()
  render()
  let ticks = 0
  setInterval(() => {
    ticks++
    // a form being filled in or a question open is never redrawn under the user's hands; the report every minute
    if (document.querySelector("dialog[open]") !== null) return
    if (state.tab === "report" && ticks % 6 !== 0) return
    if (state.tab === "orders" && state.drafting) return
    void refresh()
  }, REFRESH_SECONDS * 1000)
}

void start()
