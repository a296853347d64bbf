/**
 * `audit verify --county URL --county-credential FILE`: the log checked against what the
 * county holds of it. The county verified each row's chain as it arrived and keeps the
 * head, so a file that now ends below that head lost its tail, a file whose row at that
 * seq has another hash was rewritten, and a file ending below the highest seq the terminal
 * ever reported lost a tail the county had not yet fetched. A county that cannot be asked
 * is a finding too: the check asked for was not made.
 */
import { Effect } from "effect"
import type { EventRow } from "../../core/persistence/EventLog.ts"
import { CountyGateway } from "../../core/ports/CountyGateway.ts"
import type { CountyHead } from "../../core/protocols/replication.ts"
import { countyUrl, httpCountyGateway, loadCountyCredential } from "../countyLink.ts"

/** One sentence per way the file disagrees with the county; the summary when it agrees. */
export const countyFindings = (
  rows: ReadonlyArray<EventRow>,
  county: CountyHead
): { readonly findings: ReadonlyArray<string>; readonly summary: string } => {
  const last = rows.length > 0 ? rows[rows.length - 1]!.seq : 0
  const findings: Array<string> = []
  const mine = rows.find((r) => r.terminal !== county.terminal)
  if (mine !== undefined) {
    findings.push(`this file holds events of terminal ${mine.terminal} (seq ${mine.seq}), the credential is terminal ${county.terminal}'s`)
  }
  const { head } = county
  if (head.seq > last) {
    findings.push(`the log was cut: the county holds its events up to seq ${head.seq}, this file ends at seq ${last}`)
  } else if (head.seq > 0) {
    const at = rows.find((r) => r.seq === head.seq)
    if (at === undefined) findings.push(`the log was cut: the county holds seq ${head.seq}, this file has no such row`)
    else if (at.hash !== head.hash) {
      findings.push(`the log was rewritten: at seq ${head.seq} the county holds hash ${head.hash}, this file has ${at.hash}`)
    }
  }
  if (findings.length === 0 && county.reported > last) {
    findings.push(`the log was cut: the terminal reported seq ${county.reported} to the county, this file ends at seq ${last}`)
  }
  const behind = last - head.seq
  return {
    findings,
    summary: `the county at ${county.site} holds ${county.events} events of terminal ${county.terminal} up to seq ${head.seq}, matching this file` +
      (behind > 0 ? ` (${behind} newer events not yet replicated)` : " (all of them)")
  }
}

/** The county's head for the credential's terminal, or why the county could not be asked; fails on a bad URL or credential file. */
export const askCounty = (options: { readonly county: string; readonly credentialFile: string }) =>
  Effect.gen(function*() {
    const url = yield* countyUrl(options.county)
    const credential = yield* loadCountyCredential(options.credentialFile)
    return yield* Effect.flatMap(CountyGateway, (g) => g.head).pipe(
      Effect.provide(httpCountyGateway({ url, credential: credential.credential, timeout: "15 seconds" })),
      Effect.either
    )
  })
