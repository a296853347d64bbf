/** Steps 2 and 3 of an application: scanned attachments, the review, and the receipt. */
import type { DeviceFailureReason } from "../../../../core/domain/errors.ts"
import { pick } from "../../i18n/index.ts"
import { h } from "../../shared/dom.ts"
import { kioskApi } from "../api.ts"
import type { Ctx, Screen } from "../app.ts"
import { filledValues } from "../validate.ts"
import { actions, button, lead, notice, waiting } from "./common.ts"
import { serviceOf, stepsOf } from "./form.ts"

const scanOne = (ctx: Ctx, name: string) => {
  const { state } = ctx
  if (state.sessionId === null || state.form === null) return ctx.startOver()
  const form = state.form
  state.busy = true
  form.scanNotice = null
  ctx.render()
  const signal = ctx.signal
  void kioskApi.scan(state.sessionId, signal).then((r) => {
    if (signal.aborted) return
    state.busy = false
    if (r.ok) {
      form.scans[name] = { attachmentId: r.value.attachmentId, pages: r.value.pages }
      return ctx.render()
    }
    if (r.failure.tag === "DeviceUnavailable") {
      form.scanNotice = (r.failure.body["reason"] as DeviceFailureReason | undefined) === "NoPaper" ? "noPaper" : "down"
      return ctx.render()
    }
    ctx.fail(r.failure, "scan")
  })
}

export const scan: Screen = {
  view: (ctx) => {
    const t = ctx.t.scan
    const service = serviceOf(ctx)
    const form = ctx.state.form
    if (!service || !form) return { title: ctx.t.wait, body: [], say: [] }
    const label = (name: string) => pick(service.attachments.find((a) => a.name === name)?.label ?? { de: name, en: name, ls: name }, ctx.state.lang)
    const shown = form.scanNotice === null ?
      null
      : form.scanNotice === "noPaper" ?
      t.noPaper
      : form.scanNotice === "down" ?
      t.down
      : t.missing(label(form.scanNotice.slice(8)))
    const next = () => {
      const missing = service.attachments.find((a) => a.required && !form.scans[a.name])
      if (missing) {
        form.scanNotice = `missing:${missing.name}`
        return ctx.render()
      }
      form.scanNotice = null
      ctx.go("review")
    }
    return {
      title: t.title,
      body: [
        h("p", { class: "step" }, ctx.t.form.step(2, stepsOf(service))),
        lead(t.lead),
        shown !== null && notice(shown),
        ctx.state.busy && waiting(t.scanning),
        h(
          "ul",
          { class: "scans" },
          service.attachments.map((a) => {
            const done = form.scans[a.name]
            const name = pick(a.label, ctx.state.lang)
            return h(
              "li",
              { class: "scan-row" },
              h(
                "div",
                null,
                h("p", { class: "scan-label" }, name, !a.required && ` (${t.optional})`),
                h("p", { class: "scan-status" }, done ? t.scanned(done.pages) : t.notYet)
              ),
              button(`scan-${a.name}`, done ? t.again(name) : t.scan(name), () => scanOne(ctx, a.name), done ? "secondary" : "primary", ctx.state.busy)
            )
          })
        ),
        actions(button("scan-back", ctx.t.back, () => ctx.go("form"), "secondary"), button("scan-next", ctx.t.next, next, "primary", ctx.state.busy))
      ],
      say: [t.lead, ...service.attachments.map((a) => pick(a.label, ctx.state.lang)), ...(shown !== null ? [shown] : [])]
    }
  }
}

const submit = (ctx: Ctx) => {
  const { state } = ctx
  const service = serviceOf(ctx)
  const form = state.form
  if (state.sessionId === null || !service || !form) return ctx.startOver()
  state.busy = true
  ctx.render()
  const signal = ctx.signal
  const attachments = Object.entries(form.scans).map(([name, s]) => ({ name, attachmentId: s.attachmentId }))
  void kioskApi.submit({ sessionId: state.sessionId, serviceId: service.id, fields: filledValues(service.fields, form.values), attachments }, signal).then(
    (r) => {
      if (signal.aborted) return
      if (r.ok) {
        state.receipt = r.value
        return ctx.go("receipt")
      }
      const field = String(r.failure.body["field"] ?? "")
      if (r.failure.tag === "InvalidInput" && field.startsWith("fields.")) {
        form.errors = { [field.slice(7)]: "server" }
        return ctx.go("form")
      }
      if (r.failure.tag === "InvalidInput" && field.startsWith("attachments")) return ctx.go("scan")
      ctx.fail(r.failure, "review")
    }
  )
}

export const review: Screen = {
  view: (ctx) => {
    const t = ctx.t.review
    const service = serviceOf(ctx)
    const form = ctx.state.form
    if (!service || !form) return { title: ctx.t.wait, body: [], say: [] }
    const lang = ctx.state.lang
    const shownValue = (name: string) => {
      const field = service.fields.find((f) => f.name === name)!
      const v = (form.values[name] ?? "").trim()
      if (v === "") return t.empty
      const option = field.options?.find((o) => o.value === v)
      return option ? pick(option.label, lang) : v
    }
    const scans = service.attachments.filter((a) => form.scans[a.name])
    const rows = service.fields.map((f) => [pick(f.label, lang), shownValue(f.name)] as const)
    return {
      title: t.title,
      body: [
        h("p", { class: "step" }, ctx.t.form.step(stepsOf(service), stepsOf(service))),
        h("h2", null, pick(service.title, lang)),
        h(
          "dl",
          { class: "review" },
          rows.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
          service.attachments.length > 0 && [
            h("dt", null, t.attachments),
            h(
              "dd",
              null,
              scans.length === 0 ? t.none : scans.map((a) => `${pick(a.label, lang)} (${ctx.t.scan.scanned(form.scans[a.name]!.pages)})`).join(", ")
            )
          ]
        ),
        ctx.state.busy && waiting(t.sending),
        actions(
          button("review-change", t.change, () => ctx.go("form"), "secondary", ctx.state.busy),
          button("review-send", t.send, () => submit(ctx), "primary", ctx.state.busy)
        )
      ],
      say: [pick(service.title, lang), ...rows.map(([k, v]) => `${k}: ${v}.`)]
    }
  }
}

export const receipt: Screen = {
  view: (ctx) => {
    const t = ctx.t.receipt
    const r = ctx.state.receipt
    const office = ctx.t.offices[r?.office ?? "other"] ?? ctx.t.offices["other"]!
    return {
      title: t.title,
      body: [
        h("p", { class: "reference-label", id: "reference-label" }, t.reference),
        h("p", { class: "reference", id: "reference", "aria-describedby": "reference-label" }, r?.reference ?? ""),
        lead(t.lead(office)),
        actions(button("to-feedback", ctx.t.done.feedback, () => ctx.go("feedback")), button("finish", ctx.t.done.finish, () => ctx.finish(), "secondary"))
      ],
      say: [t.reference, (r?.reference ?? "").split("").join(" "), t.lead(office)],
      cancel: false
    }
  }
}
