/** Orders: search, announce, and per order the next step (load, take back, release, counter). */
import { readPhone } from "../../../../core/domain/phone.ts"
import { h } from "../../shared/dom.ts"
import type { OrderT } from "../api.ts"
import { emptyDraft, maskPhone, oldDocumentByDefault, type StaffCtx, time } from "../model.ts"
import { confirmPanel } from "./confirm.ts"
import { flowPanel, startFlow } from "./flow.ts"

const actionsFor = (ctx: StaffCtx, o: OrderT) => {
  const { t, api, m } = ctx
  const busy = m.flow !== null && m.flow.phase !== "done" && m.flow.phase !== "failed"
  const b = (id: string, label: string, run: () => void) =>
    h("button", { type: "button", id: `${id}-${o.pickupNumber}`, class: "btn secondary", disabled: busy, onclick: run }, label)
  const after = (text: string) => () => {
    m.notice = { ok: true, text }
    ctx.refreshOrders()
  }
  switch (o.status) {
    case "announced":
      return [b("load", t.load, () => startFlow(ctx, "load", o)), b("counter", t.counter, () => ctx.run(api.counter(o.id), after(t.counter)))]
    case "locked":
      return [
        b("release", t.release, () => {
          m.confirm = { action: "release", id: o.id, note: "" }
          ctx.draw()
          document.getElementById("confirm-note")?.focus()
        }),
        b("return", t.returnOrder, () => startFlow(ctx, "return", o))
      ]
    case "expired":
      return [b("return", t.returnOrder, () => startFlow(ctx, "return", o))]
    case "loaded":
    case "reminded":
      // still ready for its citizen: only a supervisor may take it back, saying why (the server checks too)
      return m.me.role === "supervisor" ? [b("return", t.returnEarly, () => startFlow(ctx, "return", o))] : []
    default:
      return []
  }
}

const announceForm = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const d = m.draft
  const set = (key: "documentKind" | "phone" | "size" | "preferBand") => (e: Event) => {
    d[key] = (e.target as HTMLInputElement | HTMLSelectElement).value
    if (key === "documentKind" && !d.oldTouched) {
      d.requiresOldDocument = oldDocumentByDefault(d.documentKind)
      ctx.draw()
    }
  }
  const kindName = t.kinds[d.documentKind] ?? d.documentKind
  const select = (id: string, label: string, value: string, options: ReadonlyArray<readonly [string, string]>, onchange: (e: Event) => void) =>
    h(
      "div",
      { class: "pick" },
      h("label", { for: id }, label),
      h("select", { id, onchange }, options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)))
    )
  return h(
    "form",
    {
      class: "panel announce",
      id: "announce",
      "aria-labelledby": "announce-title",
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault()
        // the same reading as the server's: a wrong number is a sentence at the field, nothing sent
        const read = readPhone(d.phone, "sms")
        if (!read.ok) {
          d.phoneError = t.phoneProblems[read.problem] ?? read.problem
          ctx.draw()
          document.getElementById("draft-phone")?.focus()
          return
        }
        d.phoneError = null
        ctx.run(
          api.announce({
            documentKind: d.documentKind,
            phone: d.phone,
            requiresOldDocument: d.requiresOldDocument,
            size: d.size,
            preferBand: d.preferBand === "none" ? null : d.preferBand
          }),
          (order) => {
            m.draft = emptyDraft()
            m.notice = { ok: true, text: t.created(order.pickupNumber) }
            m.search = ""
            ctx.refreshOrders()
          },
          (why) => {
            // the server's sentence for the phone field goes to the field; anything else to the notice
            if (why.startsWith("phone:")) d.phoneError = t.phoneProblems["invalid"] ?? why
            else m.notice = { ok: false, text: t.failed, detail: why }
            ctx.draw()
          }
        )
      }
    },
    h("h2", { id: "announce-title" }, t.announce),
    h(
      "div",
      { class: "row wide" },
      select("draft-kind", t.kind, d.documentKind, Object.entries(t.kinds), set("documentKind")),
      h(
        "div",
        { class: "pick" },
        h("label", { for: "draft-phone" }, t.phone),
        h("span", { class: "hint", id: "draft-phone-hint" }, t.phoneHint),
        h("input", {
          id: "draft-phone",
          type: "tel",
          value: d.phone,
          autocomplete: "off",
          required: true,
          "aria-invalid": d.phoneError === null ? undefined : "true",
          "aria-describedby": d.phoneError === null ? "draft-phone-hint" : "draft-phone-hint draft-phone-error",
          oninput: set("phone")
        }),
        d.phoneError !== null && h("span", { class: "field-error", id: "draft-phone-error" }, d.phoneError)
      ),
      select("draft-size", t.size, d.size, [["S", "S"], ["M", "M"], ["L", "L"]], set("size")),
      select("draft-band", t.band, d.preferBand, Object.entries(t.bands), set("preferBand"))
    ),
    h(
      "div",
      { class: "row" },
      h("input", {
        type: "checkbox",
        id: "draft-old",
        checked: d.requiresOldDocument,
        onchange: (e: Event) => {
          d.requiresOldDocument = (e.target as HTMLInputElement).checked
          d.oldTouched = true
        }
      }),
      h("label", { for: "draft-old" }, t.oldDocument(kindName))
    ),
    h("button", { type: "submit", id: "draft-create", class: "btn primary" }, t.create)
  )
}

/** "Release pickup N?" with a note, before the order is ready again. */
const releaseConfirm = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const c = m.confirm
  if (c === null || c.action !== "release") return null
  const order = m.orders?.find((o) => o.id === c.id)
  if (order === undefined) return null
  return confirmPanel(ctx, t.releaseAsk(order.pickupNumber), () =>
    ctx.run(api.release(order.id, c.note), () => {
      m.confirm = null
      m.notice = { ok: true, text: t.releaseDone(order.pickupNumber) }
      ctx.refreshOrders()
    }))
}

export const ordersView = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const cols = t.columns
  return [
    flowPanel(ctx),
    releaseConfirm(ctx),
    h(
      "form",
      {
        class: "row search",
        role: "search",
        onsubmit: (e: Event) => {
          e.preventDefault()
          ctx.refreshOrders()
        }
      },
      h(
        "div",
        { class: "pick grow" },
        h("label", { for: "order-search" }, t.search),
        h("input", {
          id: "order-search",
          type: "search",
          value: m.search,
          maxlength: 40,
          oninput: (e: Event) => (m.search = (e.target as HTMLInputElement).value)
        })
      ),
      h(
        "div",
        { class: "pick" },
        h("label", { for: "order-status" }, t.status),
        h(
          "select",
          { id: "order-status", onchange: (e: Event) => (m.status = (e.target as HTMLSelectElement).value, ctx.refreshOrders()) },
          h("option", { value: "" }, t.all),
          Object.entries(t.orderStates).map(([v, label]) => h("option", { value: v, selected: v === m.status }, label))
        )
      ),
      h("button", { type: "submit", id: "order-find", class: "btn secondary" }, t.find)
    ),
    m.orders === null ?
      h("p", { role: "status" }, "…")
      : m.orders.length === 0 ?
      h("p", null, t.noOrders)
      : h(
        "table",
        { id: "orders" },
        h(
          "thead",
          null,
          h("tr", null, [cols.number, cols.kind, cols.status, cols.compartment, cols.phone, cols.loaded, cols.actions].map((c) => h("th", { scope: "col" }, c)))
        ),
        h(
          "tbody",
          null,
          m.orders.map((o) =>
            h(
              "tr",
              { id: `order-${o.pickupNumber}` },
              h("td", { class: "mono" }, o.pickupNumber),
              h("td", null, t.kinds[o.documentKind] ?? o.documentKind, o.requiresOldDocument && h("span", { class: "hint block" }, t.withOld)),
              h("td", null, h("span", { class: `chip o-${o.status}` }, t.orderStates[o.status] ?? o.status)),
              h("td", null, o.compartmentId === null ? "–" : String(o.compartmentId)),
              h("td", { class: "mono" }, maskPhone(o.phone)),
              h("td", null, o.loadedAt ? time(o.loadedAt, m.lang) : "–"),
              h("td", null, h("div", { class: "row" }, actionsFor(ctx, o)))
            )
          )
        )
      ),
    announceForm(ctx)
  ]
}
