/** The pickup number (8 digits, Luhn-checked here first) and the masked code from the SMS. */
// the same check digit as the server's PickupNumber: a typo is caught before any SMS goes out
import { luhnValid } from "../../../../core/domain/rules.ts"
import { kioskApi } from "../api.ts"
import type { Screen } from "../app.ts"
import { keypad } from "../keypad.ts"
import { tone } from "../tone.ts"
import { actions, button, lead, note, notice, waiting } from "./common.ts"

const identify = (ctx: Parameters<Screen["view"]>[0]) => {
  const { state } = ctx
  if (!luhnValid(state.pickup.number)) {
    state.pickup.notice = "typo"
    tone("error")
    return ctx.render()
  }
  if (state.sessionId === null) return ctx.startOver()
  state.busy = true
  state.pickup.notice = null
  ctx.render()
  const signal = ctx.signal
  void kioskApi.identify(state.sessionId, state.pickup.number, signal).then((r) => {
    if (signal.aborted) return
    if (!r.ok && r.failure.tag === "HttpApiDecodeError") {
      state.busy = false
      state.pickup.notice = "typo"
      return ctx.render()
    }
    if (!r.ok) return ctx.fail(r.failure, "number")
    state.pickup.identified = r.value
    state.pickup.code = ""
    state.pickup.attemptsLeft = null
    ctx.go("code")
  })
}

export const number: Screen = {
  view: (ctx) => {
    const { state } = ctx
    const t = ctx.t.number
    const pad = keypad({
      t: ctx.t,
      id: "pickup-number",
      label: t.title,
      length: 8,
      masked: false,
      disabled: state.busy,
      value: () => state.pickup.number,
      set: (v) => {
        state.pickup.number = v
        state.pickup.notice = null
      },
      describe: t.digits,
      submitLabel: ctx.t.next,
      onSubmit: () => identify(ctx),
      group: 4
    })
    return {
      title: t.title,
      body: [
        lead(t.lead),
        pad.display,
        state.pickup.notice === "typo" && notice(t.typo),
        state.busy ? waiting(t.sending) : null,
        pad.pad,
        actions(button("number-back", ctx.t.back, () => ctx.go("services"), "secondary", state.busy), pad.submit)
      ],
      say: [t.lead, ...(state.pickup.notice === "typo" ? [t.typo] : [])],
      onKey: pad.onKey
    }
  }
}

export const code: Screen = {
  view: (ctx) => {
    const { state } = ctx
    const t = ctx.t.code
    const identified = state.pickup.identified
    const digits = identified?.codeDigits ?? 6
    const minutes = identified ? Math.max(1, Math.round((identified.codeExpiresAt - Date.now()) / 60_000)) : 10
    const verify = () => {
      if (state.sessionId === null) return ctx.startOver()
      state.busy = true
      ctx.render()
      const signal = ctx.signal
      const entered = state.pickup.code
      state.pickup.code = ""
      void kioskApi.verify(state.sessionId, entered, signal).then((r) => {
        if (signal.aborted) return
        if (r.ok) return ctx.go(r.value.requiresOldDocument ? "old" : "opening")
        if (r.failure.tag === "PickupFailed" && r.failure.body["reason"] === "WrongCode") {
          state.busy = false
          state.pickup.notice = "wrong"
          const left = r.failure.body["attemptsLeft"]
          state.pickup.attemptsLeft = typeof left === "number" ? left : null
          tone("error")
          return ctx.render()
        }
        ctx.fail(r.failure, "code")
      })
    }
    const resend = () => {
      if (state.sessionId === null) return ctx.startOver()
      state.busy = true
      ctx.render()
      const signal = ctx.signal
      void kioskApi.resend(state.sessionId, signal).then((r) => {
        if (signal.aborted) return
        if (!r.ok) return ctx.fail(r.failure, "code")
        state.pickup.identified = r.value
        state.pickup.code = ""
        state.pickup.notice = "resent"
        ctx.go("code")
      })
    }
    const pad = keypad({
      t: ctx.t,
      id: "code",
      label: t.title,
      length: digits,
      masked: true,
      disabled: state.busy,
      value: () => state.pickup.code,
      set: (v) => (state.pickup.code = v),
      describe: t.entered,
      submitLabel: t.confirm,
      onSubmit: verify,
      reveal: { show: t.show, hide: t.hide, get: () => state.pickup.revealed, set: (shown) => (state.pickup.revealed = shown) }
    })
    const shown = state.pickup.notice === "wrong" && state.pickup.attemptsLeft !== null
      ? t.wrong(state.pickup.attemptsLeft)
      : state.pickup.notice === "resent"
      ? t.resent
      : null
    return {
      title: t.title,
      body: [
        lead(t.lead(identified?.maskedPhone ?? "", minutes)),
        pad.display,
        note(t.hidden),
        pad.reveal,
        shown !== null && notice(shown),
        state.busy ? waiting(t.checking) : null,
        pad.pad,
        actions(pad.submit, button("resend", t.resend, resend, "secondary", state.busy)),
        actions(
          // another pickup number (a typo, the other document's): back to the number, kept for correcting
          button(
            "code-back",
            ctx.t.back,
            () => {
              state.pickup.code = ""
              state.pickup.notice = null
              ctx.go("number")
            },
            "secondary",
            state.busy
          ),
          // no text (phone dead, number changed): what to do, a new code, or the counter
          button(
            "no-sms",
            t.noSms,
            () =>
              ctx.go({
                name: "message",
                message: "noSms",
                back: { name: "code" },
                actions: [{ kind: "newCode" }, { kind: "callStaff" }, { kind: "finish" }]
              }),
            "secondary",
            state.busy
          )
        )
      ],
      // Only the count of digits is ever spoken, never the digits themselves.
      say: [t.lead(identified?.maskedPhone ?? "", minutes), t.spoken(state.pickup.code.length, digits), t.hidden, ...(shown !== null ? [shown] : [])],
      onKey: pad.onKey
    }
  }
}
