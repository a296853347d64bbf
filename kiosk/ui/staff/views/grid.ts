/**
 * The compartment grid, live: free, reserved, loaded, open, out of service,
 * alarm — by colour, shape and word. A compartment's details: out of service
 * on and off, override open with a mandatory reason.
 */
import { h } from "../../shared/dom.ts"
import type { CompartmentT } from "../api.ts"
import type { StaffCtx } from "../model.ts"
import { alarmName, alarmTodo } from "../wording.ts"
import { flowPanel } from "./flow.ts"

export const stateOf = (ctx: StaffCtx, c: CompartmentT) => (ctx.m.snapshot?.alarms ?? []).some((a) => a.compartmentId === c.id) ? "alarm" : c.state

const cellLabel = (ctx: StaffCtx, c: CompartmentT) => {
  const t = ctx.t
  return [t.compartment(c.id), t.states[stateOf(ctx, c)], t.doors[c.door], t.item(c.item)].join(", ")
}

/** The order in a compartment by its pickup number (grouped 4+4 as the SMS writes it), fetched once; "…" until then. */
const pickupNumberOf = (ctx: StaffCtx, orderId: string) => {
  const known = ctx.m.pickupNumbers.get(orderId)
  if (known !== undefined) return known
  ctx.m.pickupNumbers.set(orderId, "…")
  ctx.run(ctx.api.order(orderId), (o) => {
    ctx.m.pickupNumbers.set(orderId, `${o.pickupNumber.slice(0, 4)} ${o.pickupNumber.slice(4)} (${ctx.t.kinds[o.documentKind] ?? o.documentKind})`)
    ctx.draw()
  }, () => {
    // not fetched again on every redraw: the order stays unnamed until the compartment is selected anew
    ctx.m.pickupNumbers.set(orderId, "–")
    ctx.draw()
  })
  return "…"
}

const details = (ctx: StaffCtx, c: CompartmentT) => {
  const { m, t, api } = ctx
  const mayOverride = m.me.role === "supervisor" || m.me.role === "technician"
  const reasonOk = () => m.reason.trim().length >= 10
  const withReason = (run: () => void) => () => {
    if (!reasonOk()) {
      m.notice = { ok: false, text: t.reasonMissing }
      return ctx.draw()
    }
    run()
  }
  const done = (text: string) => () => {
    m.reason = ""
    m.notice = { ok: true, text }
    ctx.draw()
  }
  const alarms = (m.snapshot?.alarms ?? []).filter((a) => a.compartmentId === c.id)
  return h(
    "section",
    { class: "panel", id: "compartment-details", "aria-labelledby": "details-title" },
    h("h2", { id: "details-title" }, `${t.details}: ${t.compartment(c.id)}`),
    h(
      "ul",
      { class: "facts" },
      h("li", null, `${t.status}: ${t.states[c.state]}`),
      h("li", null, `${t.sensors}: ${t.doors[c.door]}, ${t.item(c.item)}`),
      h("li", null, `${t.size}: ${c.size}, ${t.band}: ${t.bands[c.band]}`),
      c.orderId && h("li", null, `${t.order}: ${pickupNumberOf(ctx, c.orderId)}`),
      c.outOfServiceReason && h("li", null, `${t.states["out_of_service"]}: ${c.outOfServiceReason}`),
      alarms.map((a) =>
        h("li", { class: "alarm-line" }, `${t.states["alarm"]}: ${alarmName(m.lang, a.kind)}`, alarmTodo(m.lang, a.kind) && ` – ${alarmTodo(m.lang, a.kind)}`)
      )
    ),
    h(
      "div",
      { class: "pick" },
      h("label", { for: "reason" }, t.reason),
      h("input", { id: "reason", value: m.reason, maxlength: 500, oninput: (e: Event) => (m.reason = (e.target as HTMLInputElement).value) })
    ),
    h(
      "div",
      { class: "row" },
      c.state === "out_of_service"
        ? h("button", {
          type: "button",
          id: "in-service",
          class: "btn secondary",
          onclick: () => ctx.run(api.inService(c.id), done(t.backInService))
        }, t.backInService)
        : h("button", {
          type: "button",
          id: "out-of-service",
          class: "btn secondary",
          onclick: withReason(() => ctx.run(api.outOfService(c.id, m.reason.trim()), done(t.outOfService)))
        }, t.outOfService),
      h("button", {
        type: "button",
        id: "override-open",
        class: "btn danger",
        disabled: !mayOverride,
        "aria-describedby": mayOverride ? undefined : "override-role",
        onclick: withReason(() => ctx.run(api.overrideOpen(c.id, m.reason.trim()), done(t.overrideDone(c.id))))
      }, t.overrideOpen)
    ),
    !mayOverride && h("p", { id: "override-role", class: "hint" }, t.overrideRole)
  )
}

export const gridView = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const compartments = m.snapshot?.compartments ?? []
  const selected = compartments.find((c) => c.id === m.selected)
  return [
    m.flow && flowPanel(ctx),
    h(
      "div",
      { class: "legend", "aria-label": t.legend, role: "group" },
      ["free", "reserved", "loaded", "open", "out_of_service", "alarm"].map((s) => h("span", { class: `chip s-${s}` }, t.states[s]))
    ),
    h(
      "ul",
      { class: "grid", id: "grid" },
      compartments.map((c) => {
        const s = stateOf(ctx, c)
        return h(
          "li",
          null,
          h(
            "button",
            {
              type: "button",
              id: `cell-${c.id}`,
              class: `cell s-${s}${c.door === "open" ? " door-open" : ""}`,
              "aria-pressed": m.selected === c.id ? "true" : "false",
              "aria-label": cellLabel(ctx, c),
              "data-state": s,
              onclick: () => {
                m.selected = m.selected === c.id ? null : c.id
                m.reason = ""
                ctx.draw()
              }
            },
            h("span", { class: "cell-number" }, String(c.id)),
            h("span", { class: "cell-state" }, t.states[s]),
            h("span", { class: "cell-door" }, t.doors[c.door]),
            h("span", { class: "cell-item" }, t.item(c.item))
          )
        )
      })
    ),
    selected && details(ctx, selected)
  ]
}
