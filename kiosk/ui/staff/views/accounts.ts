/**
 * Staff accounts, for supervisors: every account with its role and state;
 * create one (its temporary password shown once), change a role, disable or
 * enable, reset a password — each change asked once more. The server refuses
 * one's own account and the last active supervisor with a sentence.
 */
import { usernamePattern } from "../../../../core/domain/rules.ts"
import { h } from "../../shared/dom.ts"
import type { AccountT } from "../api.ts"
import { emptyAccountDraft, type StaffCtx } from "../model.ts"
import { confirmPanel } from "./confirm.ts"

export const loadAccounts = (ctx: StaffCtx) => ctx.run(ctx.api.accounts(), (all) => (ctx.m.accounts = all, ctx.draw()))

const stateOf = (ctx: StaffCtx, a: AccountT) => {
  const w = ctx.t.accounts
  return a.disabled ? w.disabled : a.locked ? w.locked : w.active
}

const question = (ctx: StaffCtx, a: AccountT) => {
  const { m, t } = ctx
  const c = m.confirm!
  const w = t.accounts
  if (c.action === "disable") return a.disabled ? `${w.enable}: ${a.displayName}?` : w.disableAsk(a.displayName)
  if (c.action === "reset") return w.resetAsk(a.displayName)
  return w.roleAsk(a.displayName, t.roles[c.role ?? ""] ?? c.role ?? "")
}

const confirmStep = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const c = m.confirm
  if (c === null || !["disable", "reset", "role"].includes(c.action)) return null
  const a = m.accounts?.find((x) => x.id === c.id)
  if (a === undefined) return null
  const done = (text: string) => () => {
    m.confirm = null
    m.notice = { ok: true, text }
    loadAccounts(ctx)
    ctx.loadNames()
  }
  return confirmPanel(ctx, question(ctx, a), () => {
    if (c.action === "reset") {
      return ctx.run(api.resetPassword(a.id), (r) => {
        m.shownPassword = { name: a.displayName, password: r.temporaryPassword }
        done(t.accounts.changed(a.displayName))()
      })
    }
    const change = c.action === "disable" ? { disabled: !a.disabled } : { role: c.role ?? a.role }
    ctx.run(api.changeAccount(a.id, change), done(t.accounts.changed(a.displayName)))
  }, { note: false })
}

const ask = (ctx: StaffCtx, action: "disable" | "reset" | "role", a: AccountT, role?: string) => () => {
  ctx.m.confirm = { action, id: a.id, note: "", ...(role === undefined ? {} : { role }) }
  ctx.m.shownPassword = null
  ctx.draw()
  document.getElementById("confirm-yes")?.focus()
}

const createForm = (ctx: StaffCtx) => {
  const { m, t, api } = ctx
  const d = m.accountDraft
  const w = t.accounts
  const field = (id: string, key: "username" | "displayName", label: string) =>
    h(
      "div",
      { class: "pick" },
      h("label", { for: id }, label),
      h("input", {
        id,
        value: d[key],
        maxlength: key === "username" ? 32 : 80,
        autocomplete: "off",
        "aria-invalid": d.errors[key] === undefined ? undefined : "true",
        "aria-describedby": d.errors[key] === undefined ? undefined : `${id}-error`,
        oninput: (e: Event) => (d[key] = (e.target as HTMLInputElement).value)
      }),
      d.errors[key] !== undefined && h("span", { class: "field-error", id: `${id}-error` }, d.errors[key])
    )
  return h(
    "form",
    {
      class: "panel",
      id: "account-create",
      "aria-labelledby": "account-create-title",
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault()
        const errors: Record<string, string> = {}
        if (!usernamePattern.test(d.username.trim().toLowerCase())) errors["username"] = w.usernameProblem
        const name = d.displayName.trim()
        if (name.length < 2 || name.length > 80) errors["displayName"] = w.nameProblem
        d.errors = errors
        if (Object.keys(errors).length > 0) {
          ctx.draw()
          document.getElementById(errors["username"] !== undefined ? "account-username" : "account-name")?.focus()
          return
        }
        ctx.run(api.createAccount({ username: d.username.trim().toLowerCase(), displayName: name, role: d.role }), (r) => {
          m.accountDraft = emptyAccountDraft()
          m.shownPassword = { name: r.account.displayName, password: r.temporaryPassword }
          m.notice = { ok: true, text: w.created(r.account.displayName) }
          loadAccounts(ctx)
          ctx.loadNames()
        }, (why) => {
          // the server's sentence: a taken user name belongs to the field
          if (why.includes("taken")) d.errors = { username: why }
          else m.notice = { ok: false, text: t.failed, detail: why }
          ctx.draw()
        })
      }
    },
    h("h2", { id: "account-create-title" }, w.create),
    h(
      "div",
      { class: "row wide" },
      field("account-username", "username", w.username),
      field("account-name", "displayName", w.name),
      h(
        "div",
        { class: "pick" },
        h("label", { for: "account-role" }, w.role),
        h(
          "select",
          { id: "account-role", onchange: (e: Event) => (d.role = (e.target as HTMLSelectElement).value) },
          ["clerk", "supervisor", "technician"].map((r) => h("option", { value: r, selected: r === d.role }, t.roles[r] ?? r))
        )
      )
    ),
    h("button", { type: "submit", id: "account-submit", class: "btn primary" }, w.submit)
  )
}

export const accountsView = (ctx: StaffCtx) => {
  const { m, t } = ctx
  const w = t.accounts
  const c = w.columns
  const busy = m.confirm !== null
  return [
    m.shownPassword !== null &&
    h(
      "section",
      { class: "panel password", id: "temporary-password", role: "status" },
      h("p", null, w.password(m.shownPassword.name)),
      h("p", { class: "mono big", id: "temporary-password-value" }, m.shownPassword.password)
    ),
    confirmStep(ctx),
    m.accounts === null ?
      h("p", { role: "status" }, "…")
      : h(
        "table",
        { id: "accounts" },
        h("thead", null, h("tr", null, [c.username, c.name, c.role, c.state, c.actions].map((x) => h("th", { scope: "col" }, x)))),
        h(
          "tbody",
          null,
          m.accounts.map((a) => {
            const self = a.id === m.me.id
            return h(
              "tr",
              { id: `account-${a.username}` },
              h("td", { class: "mono" }, a.username),
              h("td", null, a.displayName, self && ` ${w.you}`),
              h(
                "td",
                null,
                self ? t.roles[a.role] ?? a.role : h(
                  "select",
                  {
                    id: `role-${a.username}`,
                    "aria-label": `${w.role}: ${a.displayName}`,
                    disabled: busy,
                    onchange: (e: Event) => ask(ctx, "role", a, (e.target as HTMLSelectElement).value)()
                  },
                  ["clerk", "supervisor", "technician"].map((r) => h("option", { value: r, selected: r === a.role }, t.roles[r] ?? r))
                )
              ),
              h("td", null, stateOf(ctx, a)),
              h(
                "td",
                null,
                h(
                  "div",
                  { class: "row" },
                  !self && h("button", {
                    type: "button",
                    id: `disable-${a.username}`,
                    class: a.disabled ? "btn secondary" : "btn danger",
                    disabled: busy,
                    onclick: ask(ctx, "disable", a)
                  }, a.disabled ? w.enable : w.disable),
                  !self &&
                    h("button", { type: "button", id: `reset-${a.username}`, class: "btn secondary", disabled: busy, onclick: ask(ctx, "reset", a) }, w.reset)
                )
              )
            )
          })
        )
      ),
    createForm(ctx)
  ]
}
