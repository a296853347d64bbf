/**
 * The same field rules as the server's catalogue (core/domain/catalogue.ts),
 * checked here first so the citizen hears about a problem next to the field.
 * The server stays the authority: what it refuses comes back as "server".
 */
import type { FieldT } from "./api.ts"
import type { FieldProblem } from "./state.ts"

const checks: Record<FieldT["type"], (v: string) => boolean> = {
  text: () => true,
  longtext: () => true,
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(Date.parse(`${v}T00:00:00Z`)),
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  phone: (v) => /^\+?[0-9 /-]{6,20}$/.test(v),
  number: (v) => /^-?\d+(\.\d+)?$/.test(v),
  postcode: (v) => /^\d{5}$/.test(v),
  select: () => true
}

export const checkField = (field: FieldT, raw: string | undefined): FieldProblem | null => {
  const value = (raw ?? "").trim()
  if (value === "") return field.required ? "required" : null
  const max = field.maxLength ?? (field.type === "longtext" ? 2000 : 200)
  if (value.length > max) return `tooLong:${max}`
  if (field.type === "select") return (field.options ?? []).some((o) => o.value === value) ? null : "select"
  return checks[field.type](value) ? null : field.type as FieldProblem
}

/** Only filled fields go to the server, trimmed. */
export const filledValues = (fields: ReadonlyArray<FieldT>, values: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const f of fields) {
    const v = (values[f.name] ?? "").trim()
    if (v !== "") out[f.name] = v
  }
  return out
}
