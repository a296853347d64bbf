/**
 * A page that loads while the server still watches a door — the kiosk was
 * reloaded, crashed or lost its network in the middle of a pickup — shows
 * that door instead of the welcome screen: "compartment 6 is open, take your
 * document", "please close compartment 6", "please close the flap". It asks
 * the server every two seconds and goes back to the start once every door is
 * shut. The server settles the pickup by itself; this screen only tells.
 */
import { h } from "../../shared/dom.ts"
import { icon } from "../../shared/icons.ts"
import { kioskApi } from "../api.ts"
import type { Ctx, Screen } from "../app.ts"
import { lead, waiting } from "./common.ts"

const POLL_MS = 2000

const doorOf = (ctx: Ctx) => ctx.state.terminal?.doors[0]

export const resume: Screen = {
  view: (ctx) => {
    const t = ctx.t.resume
    const door = doorOf(ctx)
    const n = door?.compartmentId ?? 0
    const [title, text] = door === undefined
      ? [t.closeTitle(n), t.closeLead]
      : door.compartmentId === null
      ? [t.flapTitle, t.flapLead]
      : door.purpose === "load" || door.purpose === "return" || door.purpose === "override"
      ? [t.staffTitle(n), t.staffLead]
      : door.phase === "hands" && door.purpose === "pickup"
      ? [t.pickupTitle(n), t.pickupLead]
      : [t.closeTitle(n), t.closeLead]
    return {
      title,
      body: [
        door?.compartmentId != null
          ? h("p", { class: "compartment-number", "aria-hidden": "true" }, String(n))
          : h("div", { class: "illustration" }, icon("door")),
        lead(text),
        waiting(t.waiting)
      ],
      say: [text],
      idle: false,
      cancel: false
    }
  },
  enter: (ctx) => {
    const signal = ctx.signal
    const again = () =>
      setTimeout(() => {
        if (signal.aborted || ctx.state.route.name !== "resume") return
        void kioskApi.status(signal).then((r) => {
          if (signal.aborted || ctx.state.route.name !== "resume") return
          if (r.ok) {
            ctx.state.terminal = r.value
            if (r.value.doors.length === 0) return ctx.go("attract")
            ctx.render()
          }
          again()
        })
      }, POLL_MS)
    again()
  }
}
