/**
 * The same field rules as the server's catalogue (core/domain/catalogue.ts),
 * checked here first so the citizen hears about a problem next to the field.
 * The server stays the authority: what it refuses comes back as "server".
 */
import { fieldFormats, maxLengthOf, readDate } from "../../../core/domain/rules.ts"
import type { FieldT } from "./api.ts"
import type { FieldProblem } from "./state.ts"

export const checkField = (field: FieldT, raw: string | undefined): FieldProblem | null => {
  const value = (raw ?? "").trim()
  if (value === "") return field.required ? "required" : null
  const max = maxLengthOf(field)
  if (value.length > max) return `tooLong:${max}`
  if (field.type === "select") return (field.options ?? []).some((o) => o.value === value) ? null : "select"
  return fieldFormats[field.type].valid(value) ? null : field.type as FieldProblem
}

/** Only filled fields go to the server, trimmed; a date as typed ("15.03.2019") goes as ISO. */
export const filledValues = (fields: ReadonlyArray<FieldT>, values: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = (values[f.name] ?? "").trim()
    if (v !== "") out[f.name] = f.type === "date" ? readDate(v) ?? v : v
  }
  return out
}
