/**
 * Loading and taking back, step by step, with the door and the item sensor
 * live from the stream: open -> put in / take out -> shut -> confirmed.
 */
import { h } from "../../shared/dom.ts"
import type { OrderT } from "../api.ts"
import type { StaffCtx } from "../model.ts"

export const startFlow = (ctx: StaffCtx, kind: "load" | "return", order: OrderT) => {
  const { m, api } = ctx
  const flow = { kind, order, compartmentId: null as number | null, phase: "opening" as "opening" | "open" | "done" | "failed", message: null as string | null }
  m.flow = flow
  m.notice = null
  ctx.draw()
  const fail = (why: string) => {
    flow.phase = "failed"
    flow.message = why
    ctx.draw()
  }
  ctx.run(kind === "load" ? api.startLoad(order.id) : api.startReturn(order.id), (c) => {
    flow.compartmentId = c.id
    flow.phase = "open"
    ctx.draw()
    document.getElementById("flow-title")?.focus()
    ctx.run(kind === "load" ? api.confirmLoad(order.id) : api.confirmReturn(order.id), () => {
      flow.phase = "done"
      ctx.draw()
      ctx.refreshOrders()
    }, fail)
  }, fail)
}

export const flowPanel = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const flow = m.flow
  if (!flow) return null
  const c = m.snapshot?.compartments.find((x) => x.id === flow.compartmentId)
  const kind = t.kinds[flow.order.documentKind] ?? flow.order.documentKind
  const text = flow.phase === "opening" ? t.opening
    : flow.phase === "done" ? (flow.kind === "load" ? t.loaded : t.returned)
    : flow.phase === "failed" ? t.failed
    : flow.kind === "load" ? t.loadOpen(flow.compartmentId ?? 0, kind) : t.returnOpen(flow.compartmentId ?? 0)
  return h("section", { class: `panel flow ${flow.phase}`, id: "flow", "aria-labelledby": "flow-title" },
    h("h2", { id: "flow-title", tabindex: "-1" }, `${flow.kind === "load" ? t.flowLoad : t.flowReturn}: ${flow.order.pickupNumber}`),
    h("p", { id: "flow-text", role: flow.phase === "failed" ? "alert" : "status" }, text,
      flow.phase === "failed" && [" ", h("span", { lang: "en" }, flow.message ?? "")]),
    c && flow.phase !== "opening" && h("p", { class: "sensors", id: "flow-sensors", "aria-live": "polite" },
      `${t.compartment(c.id)} – ${t.sensors}: `, h("strong", { id: "flow-door" }, t.doors[c.door]), ", ", h("strong", { id: "flow-item" }, t.item(c.item))),
    flow.phase === "open" && h("p", { class: "waiting" }, t.waitingDoor),
    (flow.phase === "done" || flow.phase === "failed") && h("button", {
      type: "button", id: "flow-close", class: "btn secondary",
      onclick: () => {
        m.flow = null
        ctx.draw()
      }
    }, t.close))
}
