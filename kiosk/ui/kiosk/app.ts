/**
 * The kiosk's frame: header (language, large text, contrast, read aloud) on
 * every screen, the current screen, the footer, the idle warning; navigation,
 * reset and the mapping of failures to messages.
 */
import { type Dict, dicts, htmlLang } from "../i18n/index.ts"
import { byId, type Child, h, replace } from "../shared/dom.ts"
import type { Failure } from "../shared/http.ts"
import { kioskApi } from "./api.ts"
import { routeForFailure } from "./errors.ts"
import { header } from "./header.ts"
import { idleDialog } from "./idleDialog.ts"
import { silence, speak } from "./speech.ts"
import { initialState, type KioskState, type Route, type RouteName } from "./state.ts"
import { unlockAudio } from "./tone.ts"

export interface View {
  readonly title: string
  readonly body: ReadonlyArray<Child>
  /** What read-aloud speaks: the screen's texts, never a code. */
  readonly say: ReadonlyArray<string>
  /** false on screens that wait for the citizen's hands (card, flap, door): no idle reset there. */
  readonly idle?: boolean
  /** "Cancel" in the footer; default: on every screen but the first. */
  readonly cancel?: boolean
  readonly onKey?: (e: KeyboardEvent) => void
}

export interface Screen {
  readonly view: (ctx: Ctx) => View
  /** Runs once when the screen is entered (not on a redraw after a language switch). */
  readonly enter?: (ctx: Ctx) => void
}

export interface Ctx {
  readonly state: KioskState
  readonly t: Dict
  /** Aborted on reset: everything still in flight for the previous citizen is dropped. */
  readonly signal: AbortSignal
  readonly go: (route: Route | RouteName) => void
  readonly render: () => void
  readonly fail: (failure: Failure, retryAt: RouteName) => void
  readonly startOver: () => void
  readonly finish: () => void
  readonly touch: () => void
}

/** While the citizen is busy on screen, the card session is kept alive at most this often (and at least twice per idle limit). */
const KEEP_ALIVE_MS = 60_000

export const createApp = (root: HTMLElement, screens: Record<RouteName, Screen>) => {
  const state = initialState()
  let controller = new AbortController()
  let view: View | undefined
  let lastContact = 0
  const frame = h("div", { class: "frame" })
  const live = h("div", { class: "visually-hidden", "aria-live": "polite", id: "live" })
  const dialog = idleDialog({
    t: () => dicts[state.lang],
    inertTarget: frame,
    onMore: () => ctx.touch(),
    onEnd: () => ctx.startOver(),
    onReset: () => reset("cancel"),
    speak: (text) => state.readAloud && speak([text], state.lang)
  })
  replace(root, frame, live, dialog.element)

  const reset = (how: "cancel" | "finish") => {
    const sessionId = state.sessionId
    controller.abort()
    controller = new AbortController()
    silence()
    dialog.stop()
    if (sessionId !== null) void (how === "finish" ? kioskApi.endSession(sessionId) : kioskApi.cancel(sessionId))
    Object.assign(state, initialState())
    try {
      sessionStorage.clear()
      localStorage.clear()
    } catch {
      // storage disabled: nothing to clear
    }
    go("attract")
  }

  const draw = (focusTitle: boolean) => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement.id : ""
    const t = dicts[state.lang]
    const current = screens[state.route.name].view(ctx)
    view = current
    document.documentElement.lang = htmlLang(state.lang)
    document.title = `${current.title} – ${t.appName}`
    document.documentElement.classList.toggle("large", state.large)
    document.documentElement.classList.toggle("contrast", state.contrast)
    const cancel = current.cancel ?? state.route.name !== "attract"
    replace(
      frame,
      header(ctx, (what) => {
        draw(false)
        if (state.readAloud && (what === "lang" || what === "read")) speak(viewSay(), state.lang)
        if (what === "read" && !state.readAloud) silence()
      }),
      h("main", { id: "main", "data-screen": state.route.name }, h("h1", { id: "title", tabindex: "-1" }, current.title), current.body),
      h(
        "footer",
        { class: "foot" },
        cancel && h("button", { id: "cancel", class: "button secondary", type: "button", onclick: () => ctx.startOver() }, t.cancel)
      )
    )
    const target = focusTitle ? byId("title") : byId(active) ?? byId("title")
    target?.focus({ preventScroll: false })
  }
  const viewSay = () => (view ? [view.title, ...view.say] : [])

  const go = (next: Route | RouteName) => {
    state.route = typeof next === "string" ? { name: next } : next
    state.busy = false
    draw(true)
    const current = view
    dialog.arm(current?.idle !== false && state.route.name !== "attract", state.idleSeconds)
    screens[state.route.name].enter?.(ctx)
    if (state.readAloud && view === current) speak(viewSay(), state.lang)
  }

  const ctx: Ctx = {
    state,
    get t() {
      return dicts[state.lang]
    },
    get signal() {
      return controller.signal
    },
    go,
    render: () => draw(false),
    fail: (failure, retryAt) => {
      if (failure.tag === "Aborted") return
      go(routeForFailure(failure, retryAt))
    },
    startOver: () => reset("cancel"),
    finish: () => reset("finish"),
    touch: () => {
      lastContact = Date.now()
      if (state.sessionId !== null) void kioskApi.keepAlive(state.sessionId)
    }
  }

  const activity = () => {
    unlockAudio()
    dialog.activity()
    if (state.sessionId !== null && Date.now() - lastContact > Math.min(KEEP_ALIVE_MS, state.idleSeconds * 500)) ctx.touch()
  }
  document.addEventListener("pointerdown", activity, true)
  document.addEventListener("keydown", (e) => {
    activity()
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement
    // Enter and space on a focused button press that button; they are not also a pad key.
    const pressing = e.target instanceof HTMLButtonElement && (e.key === "Enter" || e.key === " ")
    if (!dialog.open && view?.onKey && !typing && !pressing) {
      view.onKey(e)
    }
  }, true)
  document.addEventListener("input", activity, true)

  /**
   * A page that loads ends whatever session ran before it (the server settles it against the sensors)
   * and shows a door the server still watches, or the start screen.
   */
  const start = () => {
    void kioskApi.resume().then((r) => {
      // an answer that is not what the contract says (an old server, a proxy) leaves the page on the start screen
      const known = r.ok && Array.isArray(r.value?.doors)
      if (known) state.terminal = r.value
      go(known && r.value.doors.length > 0 ? "resume" : "attract")
    })
  }

  return { ctx, start }
}
