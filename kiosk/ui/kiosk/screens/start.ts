/** The first screens: attract, card prompt, choice of service. */
import { pick } from "../../i18n/index.ts"
import { h } from "../../shared/dom.ts"
import { icon } from "../../shared/icons.ts"
import { kioskApi } from "../api.ts"
import type { Ctx, Screen } from "../app.ts"
import { initialState } from "../state.ts"
import { lead, note, waiting } from "./common.ts"

/** How often the start screen asks which services work (a device may have come back). */
const STATUS_MS = 15_000

/** The services a device fault takes away right now, as calm notices. */
const unavailable = (ctx: Ctx) => {
  const services = ctx.state.terminal?.services
  const t = ctx.t.unavailable
  const lines = [
    services?.pickup.available === false ? t.pickup : null,
    services?.applications.available === false ? t.applications : null
  ].filter((x): x is string => x !== null)
  // role=status, not alert: the start screen redraws it on every refresh and must not shout each time
  return lines.length === 0
    ? []
    : [h(
      "div",
      { id: "unavailable", class: "unavailable" },
      lines.map((l, i) => h("p", { class: "notice", role: "status", id: `unavailable-${i}` }, l)),
      note(t.hint)
    )]
}

const refreshStatus = (ctx: Ctx) => {
  const signal = ctx.signal
  const route = ctx.state.route.name
  void kioskApi.status(signal).then((r) => {
    if (signal.aborted || !r.ok || !Array.isArray(r.value?.doors) || ctx.state.route.name !== route) return
    ctx.state.terminal = r.value
    ctx.render()
  })
}

export const attract: Screen = {
  view: (ctx) => {
    const t = ctx.t.attract
    const off = unavailable(ctx)
    const nothing = ctx.state.terminal?.services.pickup.available === false && ctx.state.terminal.services.applications.available === false
    return {
      title: t.title,
      body: [
        lead(t.lead),
        off,
        h("button", { id: "start", type: "button", class: "button primary huge", disabled: nothing, onclick: () => ctx.go("card") }, t.start),
        note(t.hint)
      ],
      say: [t.lead, ...(off.length > 0 ? [ctx.t.unavailable.hint] : []), t.hint, t.start],
      idle: false,
      cancel: false
    }
  },
  enter: (ctx) => {
    refreshStatus(ctx)
    const signal = ctx.signal
    const timer = setInterval(() => {
      if (signal.aborted || ctx.state.route.name !== "attract") return clearInterval(timer)
      refreshStatus(ctx)
    }, STATUS_MS)
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
    const pickupOff = state.terminal?.services.pickup.available === false
    const applicationsOff = state.terminal?.services.applications.available === false
    return {
      title: t.title,
      body: [
        unavailable(ctx),
        h(
          "button",
          {
            id: "svc-pickup",
            type: "button",
            class: "button primary tile",
            disabled: pickupOff,
            onclick: () => {
              state.pickup = initialState().pickup
              state.feedbackContext = "pickup"
              ctx.go("number")
            }
          },
          h("span", { class: "tile-title" }, t.pickup),
          h("span", { class: "tile-hint" }, t.pickupHint)
        ),
        h("h2", null, t.applications),
        list === null
          ? waiting(t.loading)
          : h(
            "ul",
            { class: "tiles" },
            list.map((service) =>
              h(
                "li",
                null,
                h("button", {
                  id: `svc-${service.id}`,
                  type: "button",
                  class: "button secondary tile",
                  disabled: applicationsOff,
                  onclick: () => {
                    state.form = { serviceId: service.id, values: {}, errors: {}, scans: {}, scanNotice: null }
                    state.feedbackContext = "application"
                    ctx.go("form")
                  }
                }, pick(service.title, state.lang))
              )
            )
          )
      ],
      say: [t.pickup, t.pickupHint, t.applications, ...(list ?? []).map((s) => pick(s.title, state.lang))]
    }
  },
  enter: (ctx) => {
    refreshStatus(ctx)
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
