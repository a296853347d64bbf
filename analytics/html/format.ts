/**
 * HTML building blocks: escaping, number formats, tables, a safe way to put
 * JSON and scripts inside a page.
 */

export const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;")

/** 0.283 → "28.3 %"; null → "–". */
export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(x * 100).toFixed(digits)} %`

export const num = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** JSON that can sit inside a <script> element. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")

/** Script text that cannot close its <script> element early. */
export const scriptText = (code: string): string => code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")

export type Html = string

/** A table; header and cells are HTML already (escape text with `esc`). */
export const table = (header: ReadonlyArray<Html>, rows: ReadonlyArray<ReadonlyArray<Html>>, caption?: string): Html =>
  `<table>${caption === undefined ? "" : `<caption>${esc(caption)}</caption>`}<thead><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr></thead>` +
  `<tbody>${
    rows.length === 0
      ? `<tr><td colspan="${header.length}" class="empty">no data</td></tr>`
      : rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
  }</tbody></table>`

export const section = (id: string, title: string, body: Html, intro?: string): Html =>
  `<section id="${esc(id)}"><h2>${esc(title)}</h2>${intro === undefined ? "" : `<p class="intro">${esc(intro)}</p>`}${body}</section>`

export const styles = `
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
header{background:#17324d;color:#fff;padding:1.2rem 2rem}header h1{margin:0 0 .3rem;font-size:1.5rem}header p{margin:0;opacity:.85}
main{max-width:78rem;margin:0 auto;padding:1rem 2rem 3rem}section{margin:2rem 0}h2{font-size:1.2rem;border-bottom:2px solid #17324d;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-variant-numeric:tabular-nums;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #d7dde4;padding:.3rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}thead th{background:#eef2f6}
td.empty{text-align:center;color:#777}#comparison td:nth-child(2),#comparison th:nth-child(2){text-align:left}.pass{color:#0b6b2b;font-weight:600}.fail{color:#a4161a;font-weight:600}.na{color:#777}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(34rem,1fr));gap:1.5rem}
figure{margin:0;border:1px solid #d7dde4;border-radius:6px;padding:.8rem}figcaption{font-weight:600;margin-bottom:.4rem}
.chart{position:relative;height:320px}.chart.tall{height:360px}p.intro,.note{color:#444;max-width:60rem}.warn{color:#8a5a00}
nav a{margin-right:1rem;color:#0645ad}@media print{.charts{grid-template-columns:1fr}header{background:none;color:#000}}
`

export const verdict = (pass: boolean | null): Html =>
  pass === null ? `<span class="na">not evaluated</span>` : pass ? `<span class="pass">pass</span>` : `<span class="fail">fail</span>`
