/**
 * Loading and taking back, step by step, with the door and the item sensor
 * live from the stream: open -> put in / take out -> shut -> confirmed.
 */
import { h } from "../../shared/dom.ts"
import type { OrderT } from "../api.ts"
import type { Flow, StaffCtx } from "../model.ts"

/** Still ready for its citizen: taking it back needs a supervisor and a reason. */
const early = (order: OrderT) => order.status === "loaded" || order.status === "reminded"

export const startFlow = (ctx: StaffCtx, kind: "load" | "return", order: OrderT) => {
  const { m } = ctx
  const flow: Flow = {
    kind,
    order,
    compartmentId: null,
    phase: kind === "return" && early(order) ? "reason" : "opening",
    message: null,
    reason: "",
    cancelling: false
  }
  m.flow = flow
  m.notice = null
  ctx.draw()
  if (flow.phase === "reason") {
    document.getElementById("return-reason")?.focus()
    return
  }
  openFlow(ctx, flow)
}

const openFlow = (ctx: StaffCtx, flow: Flow) => {
  const { api } = ctx
  const { kind, order } = flow
  flow.phase = "opening"
  ctx.draw()
  const fail = (why: string) => {
    flow.phase = "failed"
    flow.message = why
    ctx.draw()
  }
  const reason = early(order) ? flow.reason.trim() : undefined
  ctx.run(kind === "load" ? api.startLoad(order.id) : api.startReturn(order.id, reason), (c) => {
    flow.compartmentId = c.id
    flow.phase = "open"
    ctx.draw()
    document.getElementById("flow-title")?.focus()
    ctx.run(kind === "load" ? api.confirmLoad(order.id) : api.confirmReturn(order.id), () => {
      flow.phase = "done"
      ctx.draw()
      ctx.refreshOrders()
    }, (why) => {
      // a load whose door was shut without a document is called off: the order waits as before
      if (kind !== "load") return fail(why)
      ctx.run(api.order(order.id), (now) => {
        // called off: announced again and no compartment any more (a door still open keeps its compartment)
        if (now.status !== "announced" || now.compartmentId !== null) return fail(why)
        flow.phase = "done"
        flow.cancelling = true
        ctx.draw()
        ctx.refreshOrders()
      }, () => fail(why))
    })
  }, fail)
}

export const flowPanel = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const flow = m.flow
  if (!flow) return null
  const c = m.snapshot?.compartments.find((x) => x.id === flow.compartmentId)
  const kind = t.kinds[flow.order.documentKind] ?? flow.order.documentKind
  if (flow.phase === "reason") return reasonStep(ctx, flow)
  const text = flow.phase === "opening" ?
    t.opening
    : flow.phase === "done" ?
    (flow.kind === "load" ? (flow.cancelling ? t.loadCancelled : t.loaded) : t.returned)
    : flow.phase === "failed" ?
    t.failed
    : flow.kind === "load"
    ? (flow.cancelling ? t.loadCancelling(flow.compartmentId ?? 0) : t.loadOpen(flow.compartmentId ?? 0, kind))
    : t.returnOpen(flow.compartmentId ?? 0)
  return h(
    "section",
    { class: `panel flow ${flow.phase}`, id: "flow", "aria-labelledby": "flow-title" },
    h("h2", { id: "flow-title", tabindex: "-1" }, `${flow.kind === "load" ? t.flowLoad : t.flowReturn}: ${flow.order.pickupNumber}`),
    h(
      "p",
      { id: "flow-text", role: flow.phase === "failed" ? "alert" : "status" },
      text,
      flow.phase === "failed" && [" ", h("span", { lang: "en" }, flow.message ?? "")]
    ),
    c && flow.phase !== "opening" &&
      h(
        "p",
        { class: "sensors", id: "flow-sensors", "aria-live": "polite" },
        `${t.compartment(c.id)} – ${t.sensors}: `,
        h("strong", { id: "flow-door" }, t.doors[c.door]),
        ", ",
        h("strong", { id: "flow-item" }, t.item(c.item))
      ),
    flow.phase === "open" && h("p", { class: "waiting" }, t.waitingDoor),
    // the server settles the load when the door shuts: empty, it is called off; with the document inside, loaded
    flow.phase === "open" && flow.kind === "load" && !flow.cancelling && h("button", {
      type: "button",
      id: "flow-cancel",
      class: "btn secondary",
      onclick: () => {
        flow.cancelling = true
        ctx.draw()
        document.getElementById("flow-text")?.focus()
      }
    }, t.loadCancel),
    (flow.phase === "done" || flow.phase === "failed") && h("button", {
      type: "button",
      id: "flow-close",
      class: "btn secondary",
      onclick: () => {
        m.flow = null
        ctx.draw()
      }
    }, t.close)
  )
}

/** A return before expiry: the supervisor says why before the door opens. */
const reasonStep = (ctx: StaffCtx, flow: Flow) => {
  const { m, t } = ctx
  const ok = () => flow.reason.trim().length >= 10
  return h(
    "section",
    { class: "panel flow reason", id: "flow", "aria-labelledby": "flow-title" },
    h("h2", { id: "flow-title", tabindex: "-1" }, `${t.flowReturn}: ${flow.order.pickupNumber}`),
    h("p", { id: "flow-text", role: "status" }, t.returnReasonAsk),
    h(
      "form",
      {
        class: "row",
        onsubmit: (e: Event) => {
          e.preventDefault()
          if (!ok()) {
            m.notice = { ok: false, text: t.reasonMissing }
            ctx.draw()
            return
          }
          openFlow(ctx, flow)
        }
      },
      h(
        "div",
        { class: "pick grow" },
        h("label", { for: "return-reason" }, t.returnReasonLabel),
        h("input", {
          id: "return-reason",
          value: flow.reason,
          maxlength: 500,
          required: true,
          oninput: (e: Event) => (flow.reason = (e.target as HTMLInputElement).value)
        })
      ),
      h("button", { type: "submit", id: "return-confirm", class: "btn primary" }, t.returnConfirm),
      h("button", {
        type: "button",
        id: "return-cancel",
        class: "btn secondary",
        onclick: () => {
          m.flow = null
          ctx.draw()
        }
      }, t.cancel)
    )
  )
}
