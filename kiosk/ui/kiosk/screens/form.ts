/** Step 1 of an application: the service's form fields, with errors next to each field. */
import { type Dict, pick } from "../../i18n/index.ts"
import { h } from "../../shared/dom.ts"
import type { FieldT, ServiceT } from "../api.ts"
import type { Ctx, Screen } from "../app.ts"
import type { FieldProblem, FormState } from "../state.ts"
import { checkField } from "../validate.ts"
import { actions, button, lead } from "./common.ts"

export const serviceOf = (ctx: Ctx): ServiceT | undefined => ctx.state.catalogue?.find((s) => s.id === ctx.state.form?.serviceId)

export const stepsOf = (service: ServiceT) => (service.attachments.length > 0 ? 3 : 2)

export const problemText = (t: Dict, problem: FieldProblem): string =>
  problem.startsWith("tooLong:") ? t.form.errors.tooLong(Number(problem.slice(8))) : t.form.errors[problem as Exclude<FieldProblem, `tooLong:${number}`>]

const input = (field: FieldT, form: FormState, ctx: Ctx, describedBy: string | undefined) => {
  const common = {
    id: `field-${field.name}`,
    name: field.name,
    autocomplete: "off",
    "aria-required": field.required ? "true" : "false",
    "aria-invalid": form.errors[field.name] ? "true" : "false",
    "aria-describedby": describedBy,
    oninput: (e: Event) => {
      form.values[field.name] = (e.target as HTMLInputElement).value
    },
    // A field marked wrong is checked again when the citizen leaves it: a fixed entry loses its error at
    // once, in place (redrawing the form now would disturb the field the citizen moves to).
    onchange: () => {
      if (form.errors[field.name] && checkField(field, form.values[field.name]) === null) {
        delete form.errors[field.name]
        clearError(field.name, ctx.t, Object.keys(form.errors).length)
      }
    }
  }
  const value = form.values[field.name] ?? ""
  switch (field.type) {
    case "longtext":
      return h("textarea", { ...common, rows: 3, maxlength: field.maxLength ?? 2000 }, value)
    case "select":
      return h(
        "select",
        { ...common, onchange: (e: Event) => (common.oninput(e), common.onchange()) },
        h("option", { value: "" }, ctx.t.form.choose),
        (field.options ?? []).map((o) => h("option", { value: o.value, selected: o.value === value }, pick(o.label, ctx.state.lang)))
      )
    default: {
      // a date as text in the screen's own order (TT.MM.JJJJ), not the browser's date picker (mm/dd/yyyy)
      const type = field.type === "email" ? "email" : field.type === "phone" ? "tel" : "text"
      const inputmode = field.type === "postcode" || field.type === "number"
        ? "numeric"
        : field.type === "phone"
        ? "tel"
        : field.type === "date"
        ? "decimal"
        : undefined
      const placeholder = field.type === "date" ? ctx.t.form.datePattern : undefined
      return h("input", {
        ...common,
        type,
        inputmode,
        placeholder,
        value,
        maxlength: field.type === "postcode" ? 5 : field.type === "date" ? 10 : field.maxLength ?? 200
      })
    }
  }
}

/**
 * A corrected field, marked in place: nothing is removed, so nothing below it moves. (Removing
 * the error and the summary line moved "Weiter" by the summary's height between the finger
 * going down — the field's change fires then — and coming up, and the tap was lost.)
 */
const clearError = (name: string, t: Dict, left: number) => {
  const input = document.getElementById(`field-${name}`)
  input?.setAttribute("aria-invalid", "false")
  input?.closest(".field")?.classList.remove("invalid")
  const error = document.getElementById(`error-${name}`)
  if (error) {
    error.textContent = t.form.fixed
    error.classList.add("fixed")
  }
  const line = document.querySelector(`#form-summary li[data-field="${name}"]`)
  line?.classList.add("fixed")
  const summary = document.getElementById("form-summary")
  if (summary?.firstElementChild) summary.firstElementChild.textContent = left === 0 ? t.form.allFixed : t.form.summary(left)
}

export const form: Screen = {
  view: (ctx) => {
    const t = ctx.t.form
    const service = serviceOf(ctx)
    const state = ctx.state.form
    if (!service || !state) return { title: ctx.t.wait, body: [], say: [] }
    const problems = service.fields.filter((f) => state.errors[f.name])
    const next = () => {
      state.errors = {}
      for (const f of service.fields) {
        const problem = checkField(f, state.values[f.name])
        if (problem !== null) state.errors[f.name] = problem
      }
      if (Object.keys(state.errors).length > 0) {
        ctx.render()
        document.getElementById("form-summary")?.focus()
        return
      }
      ctx.go(service.attachments.length > 0 ? "scan" : "review")
    }
    return {
      title: pick(service.title, ctx.state.lang),
      body: [
        h("p", { class: "step" }, t.step(1, stepsOf(service))),
        lead(t.intro),
        problems.length > 0 &&
        h(
          "div",
          { id: "form-summary", class: "notice", role: "alert", tabindex: "-1" },
          h("p", null, t.summary(problems.length)),
          h(
            "ul",
            null,
            problems.map((f) => h("li", { "data-field": f.name }, `${pick(f.label, ctx.state.lang)}: ${problemText(ctx.t, state.errors[f.name]!)}`))
          )
        ),
        h(
          "form",
          {
            id: "service-form",
            novalidate: true,
            onsubmit: (e: Event) => {
              e.preventDefault()
              next()
            }
          },
          service.fields.map((f) => {
            const problem = state.errors[f.name]
            const errorId = problem ? `error-${f.name}` : undefined
            return h(
              "div",
              { class: `field${problem ? " invalid" : ""}` },
              h(
                "label",
                { for: `field-${f.name}` },
                pick(f.label, ctx.state.lang),
                f.required && h("span", { "aria-hidden": "true" }, " *"),
                f.required && h("span", { class: "visually-hidden" }, ` (${t.required})`)
              ),
              input(f, state, ctx, errorId),
              problem && h("p", { class: "field-error", id: errorId }, problemText(ctx.t, problem))
            )
          })
        ),
        actions(button("form-back", ctx.t.back, () => ctx.go("services"), "secondary"), button("form-next", ctx.t.next, next))
      ],
      say: [t.step(1, stepsOf(service)), t.intro, ...service.fields.map((f) => pick(f.label, ctx.state.lang))]
    }
  }
}
