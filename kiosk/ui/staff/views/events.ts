/** The event-log viewer: newest first, filter by type, older pages on demand, live additions. */
import { h } from "../../shared/dom.ts"
import { nameOf, type StaffCtx, time } from "../model.ts"
import { eventName } from "../wording.ts"

const PAGE = 100

export const loadEvents = (ctx: StaffCtx, before: number) => {
  const { m, api } = ctx
  const from = Math.max(0, before - PAGE)
  ctx.run(api.events(from, before - from + (m.eventsFrom === null ? PAGE : 0)), (page) => {
    const known = new Set(m.events.map((e) => e.seq))
    m.events.push(...page.filter((e) => !known.has(e.seq)))
    m.events.sort((a, b) => a.seq - b.seq)
    m.eventsFrom = from
    ctx.draw()
  })
}

/** The event's fields; a staff member's id shown as their name. */
const summary = (ctx: StaffCtx, event: object) =>
  Object.entries(event).filter(([k]) => k !== "_tag").map(([k, v]) => {
    const shown = (k === "by" || k === "staffId") && typeof v === "string"
      ? nameOf(ctx.m, v, ctx.t.unknownStaff)
      : typeof v === "string"
      ? v
      : JSON.stringify(v)
    return `${k}=${shown}`
  }).join(" ")

export const eventsView = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const types = [...new Set(m.events.map((e) => e.event._tag))].sort()
  const shown = m.events.filter((e) => m.eventType === "" || e.event._tag === m.eventType).slice().reverse()
  const c = t.eventCols
  return [
    h(
      "div",
      { class: "row" },
      h(
        "div",
        { class: "pick" },
        h("label", { for: "event-type" }, t.eventType),
        h(
          "select",
          { id: "event-type", onchange: (e: Event) => (m.eventType = (e.target as HTMLSelectElement).value, ctx.draw()) },
          h("option", { value: "" }, t.all),
          types.map((x) => h("option", { value: x, selected: x === m.eventType }, eventName(m.lang, x)))
        )
      ),
      m.eventsFrom !== null && m.eventsFrom > 0 &&
        h("button", { type: "button", id: "events-older", class: "btn secondary", onclick: () => loadEvents(ctx, m.eventsFrom ?? 0) }, t.older)
    ),
    shown.length === 0 ?
      h("p", null, t.empty)
      : h(
        "table",
        { id: "events" },
        h("thead", null, h("tr", null, [c.seq, c.at, c.type, c.data].map((x) => h("th", { scope: "col" }, x)))),
        h(
          "tbody",
          null,
          shown.slice(0, 300).map((e) =>
            h(
              "tr",
              { "data-type": e.event._tag },
              h("td", { class: "mono" }, String(e.seq)),
              h("td", null, time(e.at, m.lang)),
              h("td", null, eventName(m.lang, e.event._tag)),
              h("td", { class: "data" }, summary(ctx, e.event))
            )
          )
        )
      )
  ]
}
