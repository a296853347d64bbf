/**
 * `audit verify --county`'s judgement of a file against the head the county holds: the same
 * log agrees; a cut tail, a rewritten row at the county's head, a tail cut below what the
 * terminal had reported, and another terminal's file are each one sentence.
 */
import { describe, expect, it } from "vitest"
import { countyFindings } from "../../kiosk/cli/auditCounty.ts"
import { chain, headOf } from "./chain.ts"

const log = chain(10)
const county = (seq: number, extra: { reported?: number; terminal?: string } = {}) => ({
  terminal: extra.terminal ?? "T1",
  site: "Mayen",
  head: headOf(log.slice(0, seq)),
  events: seq,
  reported: extra.reported ?? seq
})

describe("a terminal's file against the county's head", () => {
  it("agrees when the county holds the file or a prefix of it, and says how far it is behind", () => {
    expect(countyFindings(log, county(10))).toEqual({
      findings: [],
      summary: "the county at Mayen holds 10 events of terminal T1 up to seq 10, matching this file (all of them)"
    })
    expect(countyFindings(log, county(7)).summary).toContain("(3 newer events not yet replicated)")
    expect(countyFindings(log, county(7)).findings).toEqual([])
  })

  it("a file that ends below the county's head was cut", () => {
    expect(countyFindings(log.slice(0, 6), county(10)).findings).toEqual([
      "the log was cut: the county holds its events up to seq 10, this file ends at seq 6"
    ])
    expect(countyFindings([], county(1)).findings).toEqual(["the log was cut: the county holds its events up to seq 1, this file ends at seq 0"])
  })

  it("a file whose row at the county's head has another hash was rewritten, even when it is as long", () => {
    const other = chain(10, "b")
    expect(countyFindings(other, county(8)).findings).toEqual([
      `the log was rewritten: at seq 8 the county holds hash ${log[7]!.hash}, this file has ${other[7]!.hash}`
    ])
  })

  it("a file that ends below the highest seq the terminal reported lost a tail the county never fetched", () => {
    expect(countyFindings(log.slice(0, 8), county(6, { reported: 10 })).findings).toEqual([
      "the log was cut: the terminal reported seq 10 to the county, this file ends at seq 8"
    ])
    expect(countyFindings(log, county(6, { reported: 10 })).findings).toEqual([])
  })

  it("a credential of another terminal is named", () => {
    expect(countyFindings(log, county(10, { terminal: "T2" })).findings).toEqual([
      "this file holds events of terminal T1 (seq 1), the credential is terminal T2's"
    ])
  })
})
