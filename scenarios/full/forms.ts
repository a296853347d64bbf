/**
 * Plausible form values for any catalogue service, so a simulated citizen
 * can file whatever the terminal offers (the values pass the service's
 * validation; their content does not matter to the model).
 */
import type { Service } from "../../core/domain/catalogue.ts"

const sample: Record<string, string> = {
  text: "Muster",
  longtext: "Bitte prüfen.",
  date: "2024-05-01",
  email: "buerger@example.org",
  phone: "02651 12345",
  number: "1",
  postcode: "56727"
}

export const formValues = (service: Service): Record<string, string> =>
  Object.fromEntries(service.fields.filter((f) => f.required).map((f) => [f.name, f.type === "select" ? f.options?.[0]?.value ?? "" : sample[f.type] ?? "x"]))
