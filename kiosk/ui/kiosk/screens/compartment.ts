/**
 * After the code: the old document into the intake slot, the compartment
 * opens, the citizen takes the document and shuts the door. The long-poll
 * calls answer when the sensors say so.
 */
import { h } from "../../shared/dom.ts"
import { icon } from "../../shared/icons.ts"
import { kioskApi } from "../api.ts"
import type { Ctx, Screen } from "../app.ts"
import { tone } from "../tone.ts"
import { actions, button, lead, note, waiting } from "./common.ts"

const kindName = (ctx: Ctx) => {
  const kind = ctx.state.pickup.identified?.documentKind ?? "other"
  return ctx.t.kinds[kind] ?? ctx.t.kinds["other"]!
}

/** Runs one pickup step for the current citizen; drops the answer after a reset. */
const step = <A>(
  ctx: Ctx,
  run: (sessionId: string, signal: AbortSignal) => Promise<{ ok: true; value: A } | { ok: false; failure: Parameters<Ctx["fail"]>[0] }>,
  then: (a: A) => void
) => {
  const sessionId = ctx.state.sessionId
  if (sessionId === null) return ctx.startOver()
  const signal = ctx.signal
  void run(sessionId, signal).then((r) => {
    if (signal.aborted) return
    if (r.ok) then(r.value)
    else ctx.fail(r.failure, "number")
  })
}

export const old: Screen = {
  view: (ctx) => {
    const t = ctx.t.old
    return {
      title: t.title,
      body: [lead(t.lead), h("div", { class: "illustration" }, icon("door")), note(t.why), waiting(t.waiting)],
      say: [t.lead, t.why],
      idle: false
    }
  },
  enter: (ctx) => step(ctx, kioskApi.oldDocument, () => ctx.go("opening"))
}

export const opening: Screen = {
  view: (ctx) => ({ title: ctx.t.opening.title, body: [waiting(ctx.t.wait)], say: [], idle: false }),
  enter: (ctx) =>
    step(ctx, kioskApi.open, (opened) => {
      ctx.state.pickup.compartmentId = opened.compartmentId
      tone("success")
      ctx.go("open")
    })
}

export const open: Screen = {
  view: (ctx) => {
    const t = ctx.t.open
    const n = ctx.state.pickup.compartmentId ?? 0
    return {
      title: t.title(n),
      body: [
        h("p", { class: "compartment-number", "aria-hidden": "true" }, String(n)),
        lead(t.lead(kindName(ctx))),
        waiting(t.waiting)
      ],
      say: [t.lead(kindName(ctx))],
      idle: false
    }
  },
  enter: (ctx) =>
    step(ctx, kioskApi.complete, (done) => {
      if (done.collected && done.doorClosed) ctx.go("done")
      else if (done.collected) ctx.go("closeDoor")
      else ctx.go({ name: "message", message: "notTaken", actions: [{ kind: "go", label: "tryAgain", to: "number" }, { kind: "finish" }] })
    })
}

export const closeDoor: Screen = {
  view: (ctx) => {
    const t = ctx.t.closeDoor
    const n = ctx.state.pickup.compartmentId ?? 0
    return {
      title: t.title,
      body: [h("div", { class: "illustration" }, icon("door")), lead(t.lead(n)), actions(button("continue", ctx.t.next, () => ctx.go("done")))],
      say: [t.lead(n)]
    }
  },
  // The server watches the door until it is shut (GET /api/kiosk/status lists it meanwhile): once it
  // is no longer listed, the screen stops saying it is open and moves on by itself.
  enter: (ctx) => {
    tone("warning")
    const n = ctx.state.pickup.compartmentId
    const signal = ctx.signal
    const still = () => !signal.aborted && ctx.state.route.name === "closeDoor"
    const poll = () => {
      if (!still()) return
      void kioskApi.status(signal).then((r) => {
        if (!still()) return
        if (r.ok && !r.value.doors.some((d) => d.compartmentId === n)) {
          tone("success")
          return ctx.go("done")
        }
        setTimeout(poll, 1000)
      })
    }
    setTimeout(poll, 1000)
  }
}

export const done: Screen = {
  view: (ctx) => {
    const t = ctx.t.done
    return {
      title: t.title,
      body: [
        h("div", { class: "illustration success" }, icon("check")),
        lead(t.lead),
        actions(button("to-feedback", t.feedback, () => ctx.go("feedback")), button("finish", t.finish, () => ctx.finish(), "secondary"))
      ],
      say: [t.lead],
      cancel: false
    }
  }
}
