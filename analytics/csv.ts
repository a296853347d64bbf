/**
 * CSV in and out (RFC 4180: comma, double-quote quoting, CRLF or LF lines).
 */

/** Parses CSV text into rows of fields. */
export const parseCsv = (text: string): ReadonlyArray<ReadonlyArray<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === "\"" && text[i + 1] === "\"") {
        field += "\""
        i++
      } else if (ch === "\"") quoted = false
      else field += ch
    } else if (ch === "\"") quoted = true
    else if (ch === ",") {
      row.push(field)
      field = ""
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++
      row.push(field)
      field = ""
      if (row.length > 1 || row[0] !== "") rows.push(row)
      row = []
    } else field += ch
  }
  if (field !== "" || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** Header-keyed records of a CSV text (first row = header). */
export const csvRecords = (text: string): ReadonlyArray<Readonly<Record<string, string>>> => {
  const [header, ...rows] = parseCsv(text)
  if (header === undefined) return []
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ""])))
}

export type Cell = string | number | boolean | null

const cell = (v: Cell): string => {
  if (v === null) return ""
  if (typeof v === "number") return Number.isFinite(v) ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : ""
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s
}

/** A CSV document from a header and rows; numbers to six significant digits, null as empty. */
export const toCsv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<Cell>>): string =>
  [header.map(cell).join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n") + "\n"
