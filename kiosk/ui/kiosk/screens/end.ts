/** Feedback, goodbye, and the message screen every failure leads to. */
import { h } from "../../shared/dom.ts"
import { icon } from "../../shared/icons.ts"
import { kioskApi } from "../api.ts"
import type { Screen } from "../app.ts"
import type { Action } from "../state.ts"
import { actions, button, lead } from "./common.ts"

const THANKS_MS = 8_000

export const feedback: Screen = {
  view: (ctx) => {
    const t = ctx.t.feedback
    const fb = ctx.state.feedback
    const choose = <K extends "rating" | "recommend">(key: K, value: (typeof fb)[K]) => () => {
      fb[key] = value
      ctx.render()
    }
    const send = () => {
      const sessionId = ctx.state.sessionId
      if (sessionId !== null && fb.rating !== null && fb.recommend !== null) {
        void kioskApi.feedback(sessionId, ctx.state.feedbackContext, fb.rating, fb.recommend)
      }
      ctx.go("thanks")
    }
    const recommend = ["yes", "no", "unsure"] as const
    return {
      title: t.title,
      body: [
        h("h2", { id: "rating-label" }, t.rating),
        h(
          "div",
          { class: "choices rating", role: "group", "aria-labelledby": "rating-label" },
          t.ratings.map((label, i) =>
            h(
              "button",
              {
                id: `rating-${i + 1}`,
                type: "button",
                class: "choice",
                "aria-pressed": fb.rating === i + 1 ? "true" : "false",
                onclick: choose("rating", i + 1)
              },
              h("span", { class: "choice-number" }, String(i + 1)),
              h("span", null, label)
            )
          )
        ),
        h("h2", { id: "recommend-label" }, t.recommend),
        h(
          "div",
          { class: "choices", role: "group", "aria-labelledby": "recommend-label" },
          recommend.map((r) =>
            h("button", {
              id: `recommend-${r}`,
              type: "button",
              class: "choice",
              "aria-pressed": fb.recommend === r ? "true" : "false",
              onclick: choose("recommend", r)
            }, t[r])
          )
        ),
        actions(
          button("feedback-skip", t.skip, () => ctx.go("thanks"), "secondary"),
          button("feedback-send", t.send, send, "primary", fb.rating === null || fb.recommend === null)
        )
      ],
      say: [t.rating, t.ratings.map((l, i) => `${i + 1}: ${l}`).join(", "), t.recommend],
      cancel: false
    }
  }
}

export const thanks: Screen = {
  view: (ctx) => {
    const t = ctx.t.feedback
    return {
      title: ctx.state.feedback.rating !== null ? t.thanks : ctx.t.done.title,
      body: [h("div", { class: "illustration success" }, icon("check")), lead(t.bye), actions(button("finish", ctx.t.done.finish, () => ctx.finish()))],
      say: [t.bye],
      idle: false,
      cancel: false
    }
  },
  enter: (ctx) => {
    const signal = ctx.signal
    setTimeout(() => {
      if (!signal.aborted && ctx.state.route.name === "thanks") ctx.finish()
    }, THANKS_MS)
  }
}

export const message: Screen = {
  view: (ctx) => {
    const route = ctx.state.route
    const [title, raw] = ctx.t.messages[route.message ?? "failed"]
    const text = raw.replace("{s}", String(route.seconds ?? ""))
    const run = (a: Action) => () => {
      if (a.kind === "startOver") return ctx.startOver()
      if (a.kind === "finish") return ctx.finish()
      if (a.kind === "callStaff") return ctx.go({ name: "message", message: "callStaff", back: route })
      if (a.kind === "newCode") return resend(ctx)
      if (a.to === "number") ctx.state.pickup.code = ""
      ctx.go(a.to)
    }
    const label = (a: Action) =>
      a.kind === "go" ?
        (a.label === "back" ? ctx.t.back : ctx.t.actions[a.label])
        : a.kind === "startOver" ?
        ctx.t.actions.startOver
        : a.kind === "finish" ?
        ctx.t.actions.finish
        : a.kind === "callStaff" ?
        ctx.t.actions.callStaff
        : ctx.t.actions.newCode
    const list = route.actions ?? []
    return {
      title,
      body: [
        h("div", { class: "illustration calm" }, icon(route.message === "callStaff" ? "speaker" : "alert")),
        lead(text, "message-text"),
        actions(
          route.back && button("message-back", ctx.t.back, () => ctx.go(route.back!), "secondary"),
          list.map((a, i) => button(`action-${a.kind === "go" ? a.label : a.kind}`, label(a), run(a), i === 0 ? "primary" : "secondary"))
        )
      ],
      say: [text, ...list.map(label)],
      // Every message offers its own way out (start over, finish, back): no second "cancel".
      cancel: false
    }
  }
}

const resend = (ctx: Parameters<Screen["view"]>[0]) => {
  const sessionId = ctx.state.sessionId
  if (sessionId === null) return ctx.startOver()
  const signal = ctx.signal
  void kioskApi.resend(sessionId, signal).then((r) => {
    if (signal.aborted) return
    if (!r.ok) return ctx.fail(r.failure, "number")
    ctx.state.pickup.identified = r.value
    ctx.state.pickup.code = ""
    ctx.state.pickup.notice = "resent"
    ctx.go("code")
  })
}
