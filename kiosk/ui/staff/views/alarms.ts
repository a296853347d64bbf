/** Alarms with acknowledge, and the applications outbox with its delivery status. */
import { h } from "../../shared/dom.ts"
import type { AlarmT } from "../api.ts"
import { nameOf, type StaffCtx, time } from "../model.ts"
import { alarmName, alarmTodo, officeName } from "../wording.ts"
import { confirmPanel } from "./confirm.ts"

/** An alarm's heading: its name in the screen's language, and its compartment. */
const heading = (ctx: StaffCtx, a: AlarmT) => [alarmName(ctx.m.lang, a.kind), a.compartmentId !== null ? ` – ${ctx.t.compartment(a.compartmentId)}` : ""]

export const alarmsView = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const open = m.snapshot?.alarms ?? []
  const recent = (m.recentAlarms ?? []).filter((a) => a.acknowledgedAt !== null).slice(0, 20)
  const confirming = m.confirm?.action === "acknowledge" ? open.find((a) => a.id === m.confirm?.id) : undefined
  return [
    h("h2", null, t.openAlarms),
    confirming !== undefined &&
    confirmPanel(ctx, t.ackAsk(alarmName(m.lang, confirming.kind)), () =>
      ctx.run(api.acknowledge(confirming.id, m.confirm?.note ?? ""), () => {
        m.confirm = null
        m.notice = { ok: true, text: `${t.acknowledge}: ${alarmName(m.lang, confirming.kind)}` }
        ctx.run(api.alarms(false), (all) => (m.recentAlarms = all, ctx.draw()))
      })),
    open.length === 0 ?
      h("p", { id: "no-alarms" }, t.noAlarms)
      : h(
        "ul",
        { class: "alarms", id: "open-alarms" },
        open.map((a) =>
          h(
            "li",
            { class: "alarm", id: `alarm-${a.id}`, "data-kind": a.kind },
            h(
              "div",
              null,
              h("p", { class: "alarm-kind" }, heading(ctx, a)),
              alarmTodo(m.lang, a.kind) !== undefined && h("p", { class: "alarm-todo" }, alarmTodo(m.lang, a.kind)),
              h("p", { class: "hint" }, `${t.raised}: ${time(a.raisedAt, m.lang)}`),
              h("p", { class: "hint technical" }, `${t.technical}: `, h("span", { lang: "en" }, a.detail))
            ),
            h("button", {
              type: "button",
              id: `ack-${a.id}`,
              class: "btn primary",
              disabled: confirming !== undefined,
              onclick: () => {
                m.confirm = { action: "acknowledge", id: a.id, note: "" }
                ctx.draw()
                document.getElementById("confirm-note")?.focus()
              }
            }, t.acknowledge)
          )
        )
      ),
    h("h2", null, t.recentAlarms),
    recent.length === 0 ?
      h("p", null, t.empty)
      : h(
        "ul",
        { class: "alarms done", id: "recent-alarms" },
        recent.map((a) =>
          h(
            "li",
            { class: "alarm" },
            h(
              "div",
              null,
              h("p", { class: "alarm-kind" }, heading(ctx, a)),
              h("p", { class: "hint" }, t.acknowledged(nameOf(m, a.acknowledgedBy, t.unknownStaff), time(a.acknowledgedAt ?? a.raisedAt, m.lang))),
              a.acknowledgedNote !== null && h("p", { class: "hint" }, `${t.noteWas}: ${a.acknowledgedNote}`)
            )
          )
        )
      )
  ]
}

export const outboxView = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const c = t.outboxCols
  if (m.outbox === null) return [h("p", { role: "status" }, "…")]
  if (m.outbox.length === 0) return [h("p", null, t.empty)]
  return [
    h(
      "table",
      { id: "outbox" },
      h(
        "thead",
        null,
        h("tr", null, [c.reference, c.service, c.office, c.created, c.status, c.attempts, c.next, c.answer, ""].map((x) => h("th", { scope: "col" }, x)))
      ),
      h(
        "tbody",
        null,
        m.outbox.map((e) =>
          h(
            "tr",
            { id: `outbox-${e.reference}` },
            h("td", { class: "mono" }, e.reference),
            h("td", null, m.services.get(e.serviceId)?.[m.lang] ?? e.serviceId),
            h("td", null, officeName(m.lang, e.office)),
            h("td", null, time(e.createdAt, m.lang)),
            h("td", null, h("span", { class: `chip d-${e.status}` }, t.outboxStates[e.status] ?? e.status)),
            h("td", null, String(e.attempts)),
            h("td", null, e.status === "pending" ? time(e.nextAttemptAt, m.lang) : "–"),
            h("td", null, e.authorityReference ?? e.lastError ?? "–"),
            h(
              "td",
              null,
              e.status === "failed" && h("button", {
                type: "button",
                id: `retry-${e.reference}`,
                class: "btn secondary",
                onclick: () => ctx.run(api.retry(e.id), () => ctx.run(api.outbox(), (o) => (m.outbox = o, ctx.draw())))
              }, t.retry)
            )
          )
        )
      )
    )
  ]
}
