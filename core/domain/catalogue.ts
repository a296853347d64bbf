/**
 * The catalogue of applications the terminal accepts: each service is a form
 * schema (fields, validation, attachments) and the office it goes to.
 *
 * The pilot's full list is not public. The defaults below are EXAMPLES, four of
 * them named publicly by the pilot, four plausible for a district office; a
 * municipality replaces them with its own catalogue file.
 */
import { Either, Schema } from "effect"
import { InvalidInput } from "./errors.ts"
import { fieldFormats, maxLengthOf, readDate } from "./rules.ts"

export const Text = Schema.Struct({ de: Schema.String, en: Schema.String, ls: Schema.String })
export type Text = typeof Text.Type

export const FieldType = Schema.Literal("text", "longtext", "date", "email", "phone", "number", "postcode", "select")
export type FieldType = typeof FieldType.Type

export const FormField = Schema.Struct({
  name: Schema.String.pipe(Schema.pattern(/^[a-z][a-zA-Z0-9]*$/)),
  label: Text,
  type: FieldType,
  required: Schema.Boolean,
  maxLength: Schema.optional(Schema.Int.pipe(Schema.positive())),
  options: Schema.optional(Schema.Array(Schema.Struct({ value: Schema.String, label: Text })))
})
export type FormField = typeof FormField.Type

export const AttachmentSpec = Schema.Struct({
  name: Schema.String,
  label: Text,
  required: Schema.Boolean
})

export const Service = Schema.Struct({
  id: Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9-]{1,39}$/)),
  title: Text,
  office: Schema.String,
  example: Schema.Boolean,
  fields: Schema.Array(FormField),
  attachments: Schema.Array(AttachmentSpec)
})
export type Service = typeof Service.Type

export const Catalogue = Schema.Array(Service).pipe(
  Schema.minItems(1),
  Schema.filter((services) => {
    const ids = new Set(services.map((s) => s.id))
    return ids.size === services.length || "service ids must be unique"
  })
)
export type Catalogue = typeof Catalogue.Type

const t = (de: string, en: string, ls: string = de): Text => ({ de, en, ls })
const f = (name: string, label: Text, type: FieldType, required = true, extra: Partial<FormField> = {}): FormField => ({
  name,
  label,
  type,
  required,
  ...extra
})
const name = f("fullName", t("Vor- und Nachname", "Full name", "Ihr Name"), "text", true, { maxLength: 120 })
const street = f("street", t("Straße und Hausnummer", "Street and number", "Ihre Straße"), "text", true, { maxLength: 120 })
const postcode = f("postcode", t("Postleitzahl", "Postcode", "Postleitzahl"), "postcode")
const email = f("email", t("E-Mail (freiwillig)", "E-mail (optional)", "E-Mail (wenn Sie wollen)"), "email", false)

export const defaultCatalogue: Catalogue = [
  {
    id: "document-return",
    title: t("Rückgabe eines abgelaufenen Ausweises", "Return of an expired document", "Alten Ausweis abgeben"),
    office: "buergerbuero",
    example: true,
    fields: [name, f("documentNumber", t("Ausweisnummer", "Document number", "Nummer vom Ausweis"), "text", true, { maxLength: 12 })],
    attachments: []
  },
  {
    id: "dog-registration",
    title: t("Anmeldung eines Hundes", "Dog registration", "Hund anmelden"),
    office: "steueramt",
    example: true,
    fields: [
      name,
      street,
      postcode,
      f("dogName", t("Name des Hundes", "Dog's name", "Wie heißt der Hund?"), "text", true, { maxLength: 60 }),
      f("breed", t("Rasse", "Breed", "Welche Rasse?"), "text", true, { maxLength: 60 }),
      f("since", t("Gehalten seit", "Kept since", "Seit wann?"), "date"),
      email
    ],
    attachments: [{ name: "chipCertificate", label: t("Chip-Nachweis", "Microchip certificate", "Chip-Papier"), required: false }]
  },
  {
    id: "grave-monument",
    title: t("Genehmigung eines Grabmals", "Grave-monument permit", "Grabstein erlauben lassen"),
    office: "friedhofsverwaltung",
    example: true,
    fields: [
      name,
      street,
      postcode,
      f("cemetery", t("Friedhof", "Cemetery", "Welcher Friedhof?"), "text", true, { maxLength: 80 }),
      f("graveNumber", t("Grabnummer", "Grave number", "Nummer vom Grab"), "text", true, { maxLength: 20 }),
      f("material", t("Material", "Material", "Aus welchem Stein?"), "select", true, {
        options: [
          { value: "granite", label: t("Granit", "Granite") },
          { value: "sandstone", label: t("Sandstein", "Sandstone") },
          { value: "other", label: t("Anderes", "Other") }
        ]
      })
    ],
    attachments: [{ name: "drawing", label: t("Zeichnung des Grabmals", "Drawing of the monument", "Bild vom Grabstein"), required: true }]
  },
  {
    id: "water-pipe-burst",
    title: t("Wasserrohrbruch melden", "Report a burst water pipe", "Kaputtes Wasser-Rohr melden"),
    office: "werke",
    example: true,
    fields: [
      f("location", t("Ort des Schadens", "Where is the damage?", "Wo ist das Wasser?"), "longtext", true, { maxLength: 500 }),
      f("phone", t("Rückrufnummer", "Call-back number", "Ihre Telefon-Nummer"), "phone")
    ],
    attachments: [{ name: "photo", label: t("Foto (freiwillig)", "Photo (optional)", "Foto (wenn Sie haben)"), required: false }]
  },
  {
    id: "residence-certificate",
    title: t("Meldebescheinigung beantragen", "Request a certificate of residence", "Bescheinigung: Hier wohne ich"),
    office: "buergerbuero",
    example: true,
    fields: [name, f("birthDate", t("Geburtsdatum", "Date of birth", "Wann sind Sie geboren?"), "date"), email],
    attachments: []
  },
  {
    id: "bulky-waste",
    title: t("Sperrmüll anmelden", "Book a bulky-waste collection", "Großen Müll abholen lassen"),
    office: "abfallwirtschaft",
    example: true,
    fields: [name, street, postcode, f("items", t("Gegenstände", "Items", "Was soll weg?"), "longtext", true, { maxLength: 500 })],
    attachments: []
  },
  {
    id: "defect-report",
    title: t("Schaden im öffentlichen Raum melden", "Report a defect in a public place", "Etwas ist kaputt: melden"),
    office: "bauhof",
    example: true,
    fields: [
      f("location", t("Ort", "Location", "Wo?"), "text", true, { maxLength: 200 }),
      f("description", t("Beschreibung", "Description", "Was ist kaputt?"), "longtext", true, { maxLength: 1000 }),
      email
    ],
    attachments: [{ name: "photo", label: t("Foto (freiwillig)", "Photo (optional)", "Foto (wenn Sie haben)"), required: false }]
  },
  {
    id: "parking-permit",
    title: t("Bewohnerparkausweis beantragen", "Apply for a resident parking permit", "Park-Ausweis für Anwohner"),
    office: "ordnungsamt",
    example: true,
    fields: [name, street, postcode, f("plate", t("Kennzeichen", "Licence plate", "Auto-Nummer"), "text", true, { maxLength: 12 })],
    attachments: [{ name: "registration", label: t("Fahrzeugschein", "Vehicle registration", "Fahrzeug-Schein"), required: true }]
  }
]

/**
 * Checks submitted form values against a service's schema. The first problem
 * is reported with the field's name; unknown fields are refused too.
 */
export const validateForm = (
  service: Service,
  values: Readonly<Record<string, string>>
): Either.Either<Record<string, string>, InvalidInput> => {
  const bad = (field: string, problem: string) => Either.left(new InvalidInput({ field: `fields.${field}`, problem, message: `fields.${field}: ${problem}` }))
  const known = new Set(service.fields.map((x) => x.name))
  for (const key of Object.keys(values)) {
    if (!known.has(key)) return bad(key, `is not a field of service ${service.id}`)
  }
  const out: Record<string, string> = {}
  for (const field of service.fields) {
    const raw = values[field.name]
    const value = raw === undefined ? "" : raw.trim()
    if (value === "") {
      if (field.required) return bad(field.name, "is required")
      continue
    }
    const max = maxLengthOf(field)
    if (value.length > max) return bad(field.name, `is longer than ${max} characters`)
    if (field.type === "select" && !(field.options ?? []).some((o) => o.value === value)) {
      return bad(field.name, `must be one of ${(field.options ?? []).map((o) => o.value).join(", ")}`)
    }
    const format = fieldFormats[field.type]
    if (!format.valid(value)) return bad(field.name, format.problem)
    // a date as typed (15.03.2019) is kept as ISO, whoever sent it
    out[field.name] = field.type === "date" ? readDate(value) ?? value : value
  }
  return Either.right(out)
}
