/** The first screens: attract, card prompt, choice of service. */
import { pick } from "../../i18n/index.ts"
import { h } from "../../shared/dom.ts"
import { icon } from "../../shared/icons.ts"
import { kioskApi } from "../api.ts"
import type { Screen } from "../app.ts"
import { lead, note, waiting } from "./common.ts"

export const attract: Screen = {
  view: (ctx) => {
    const t = ctx.t.attract
    return {
      title: t.title,
      body: [
        lead(t.lead),
        h("button", { id: "start", type: "button", class: "button primary huge", onclick: () => ctx.go("card") }, t.start),
        note(t.hint)
      ],
      say: [t.lead, t.hint, t.start],
      idle: false,
      cancel: false
    }
  }
}

export const card: Screen = {
  view: (ctx) => {
    const t = ctx.t.card
    return {
      title: t.title,
      body: [lead(t.lead), h("div", { class: "illustration" }, icon("card")), note(t.where), waiting(t.waiting)],
      say: [t.lead, t.where],
      idle: false
    }
  },
  enter: (ctx) => {
    const signal = ctx.signal
    void kioskApi.startSession(signal).then((r) => {
      if (signal.aborted || ctx.state.route.name !== "card") return
      if (!r.ok) return ctx.fail(r.failure, "card")
      ctx.state.sessionId = r.value.sessionId
      ctx.state.idleSeconds = r.value.idleSeconds
      ctx.touch()
      ctx.go("services")
    })
  }
}

export const services: Screen = {
  view: (ctx) => {
    const { state } = ctx
    const t = ctx.t.services
    const list = state.catalogue
    return {
      title: t.title,
      body: [
        h("button", {
          id: "svc-pickup",
          type: "button",
          class: "button primary tile",
          onclick: () => {
            state.pickup = { number: "", code: "", identified: null, compartmentId: null, notice: null, attemptsLeft: null }
            state.feedbackContext = "pickup"
            ctx.go("number")
          }
        }, h("span", { class: "tile-title" }, t.pickup), h("span", { class: "tile-hint" }, t.pickupHint)),
        h("h2", null, t.applications),
        list === null
          ? waiting(t.loading)
          : h("ul", { class: "tiles" }, list.map((service) =>
            h("li", null, h("button", {
              id: `svc-${service.id}`,
              type: "button",
              class: "button secondary tile",
              onclick: () => {
                state.form = { serviceId: service.id, values: {}, errors: {}, scans: {}, scanNotice: null }
                state.feedbackContext = "application"
                ctx.go("form")
              }
            }, pick(service.title, state.lang)))))
      ],
      say: [t.pickup, t.pickupHint, t.applications, ...(list ?? []).map((s) => pick(s.title, state.lang))]
    }
  },
  enter: (ctx) => {
    if (ctx.state.catalogue !== null) return
    const signal = ctx.signal
    void kioskApi.services(signal).then((r) => {
      if (signal.aborted) return
      if (!r.ok) return ctx.fail(r.failure, "services")
      ctx.state.catalogue = r.value
      if (ctx.state.route.name === "services") ctx.render()
    })
  }
}
