/** Sign-in with an individual account. */
import { h, replace } from "../shared/dom.ts"
import { login, type StaffInfo } from "./api.ts"
import { staffDicts, type StaffLang } from "./i18n.ts"

export const showLogin = (root: HTMLElement, lang: StaffLang, reason: "expired" | null, done: (token: string, me: StaffInfo) => void) => {
  const t = staffDicts[lang]
  document.documentElement.lang = lang
  document.title = `${t.signIn} – ${t.title}`
  const error = h("p", { class: "notice bad", role: "alert", id: "login-error", hidden: reason === null }, reason === "expired" ? t.expired : "")
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true })
  const pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true })
  const submit = h("button", { type: "submit", class: "btn primary", id: "sign-in" }, t.signIn)
  const form = h(
    "form",
    {
      class: "login",
      onsubmit: (e: Event) => {
        e.preventDefault()
        submit.disabled = true
        void login(user.value.trim(), pass.value).then((r) => {
          submit.disabled = false
          if (r.ok) return done(r.value.token, r.value.staff)
          pass.value = ""
          error.textContent = t.signInFailed
          error.hidden = false
          pass.focus()
        })
      }
    },
    h("div", { class: "pick" }, h("label", { for: "username" }, t.username), user),
    h("div", { class: "pick" }, h("label", { for: "password" }, t.password), pass),
    submit
  )
  replace(root, h("main", { class: "login-page" }, h("h1", null, t.title), h("h2", null, t.signIn), error, form))
  user.focus()
}
