/**
 * The synthetic survey of a scenario run (`survey.csv`, docs/run-format.md):
 * intention against actual use, where recommendations came from (staff or
 * peers), the spiral indicators and the two regressions of the study (P3: no
 * demographic effect on use; P4: use drives recommending).
 *
 * Booleans may be written true/false, yes/no or 1/0; `recommends` may also be
 * a probability. Intention counts as "intends to use" above 0.5 (as P2).
 */
import { csvRecords } from "./csv.ts"
import { mean, ols, type OlsFit } from "./stats.ts"

export interface Respondent {
  readonly respondent: string
  readonly site: string
  readonly ageBand: string
  readonly gender: string
  readonly techExperience: string
  readonly intention: number
  readonly usedTerminal: boolean
  readonly uses: number
  readonly trust: number
  readonly perceivedValue: number
  readonly ease: number
  readonly recommends: number
  readonly staffRecommended: boolean
  readonly peerExposure: number
}

const num = (s: string | undefined): number => {
  const t = (s ?? "").trim().toLowerCase()
  if (t === "true" || t === "yes") return 1
  if (t === "false" || t === "no" || t === "") return 0
  const v = Number(t)
  return Number.isFinite(v) ? v : 0
}

/** Parses `survey.csv`; rows without a site are left out. */
export const parseSurvey = (text: string): ReadonlyArray<Respondent> =>
  csvRecords(text)
    .filter((r) => (r["site"] ?? "").length > 0)
    .map((r) => ({
      respondent: r["respondent"] ?? "",
      site: r["site"]!,
      ageBand: r["ageBand"] ?? "",
      gender: r["gender"] ?? "",
      techExperience: r["techExperience"] ?? "",
      intention: num(r["intention"]),
      usedTerminal: num(r["usedTerminal"]) > 0,
      uses: num(r["uses"]),
      trust: num(r["trust"]),
      perceivedValue: num(r["perceivedValue"]),
      ease: num(r["ease"]),
      recommends: num(r["recommends"]),
      staffRecommended: num(r["staffRecommended"]) > 0,
      peerExposure: num(r["peerExposure"])
    }))

const share = (rows: ReadonlyArray<Respondent>, pred: (r: Respondent) => boolean): number | null =>
  rows.length === 0 ? null : rows.filter(pred).length / rows.length

export interface SurveySite {
  readonly site: string
  readonly respondents: number
  /** Share with intention > 0.5. */
  readonly intentionShare: number | null
  /** Share who used the terminal. */
  readonly useShare: number | null
  /** Recommendation sources among users: staff only, peers only (peer exposure > 0), both, neither. */
  readonly sources: { readonly staffOnly: number | null; readonly peersOnly: number | null; readonly both: number | null; readonly neither: number | null }
  /** The spiral: staff recommendation → use → trust → recommending. */
  readonly spiral: {
    readonly useIfStaffRecommended: number | null
    readonly useIfNotStaffRecommended: number | null
    readonly meanTrustUsers: number | null
    readonly meanTrustNonUsers: number | null
    readonly recommendIfUsed: number | null
    readonly recommendIfNotUsed: number | null
    readonly meanPeerExposure: number | null
  }
}

const siteSummary = (site: string, rows: ReadonlyArray<Respondent>): SurveySite => {
  const users = rows.filter((r) => r.usedTerminal)
  const nonUsers = rows.filter((r) => !r.usedTerminal)
  const peer = (r: Respondent) => r.peerExposure > 0
  return {
    site,
    respondents: rows.length,
    intentionShare: share(rows, (r) => r.intention > 0.5),
    useShare: share(rows, (r) => r.usedTerminal),
    sources: {
      staffOnly: share(users, (r) => r.staffRecommended && !peer(r)),
      peersOnly: share(users, (r) => !r.staffRecommended && peer(r)),
      both: share(users, (r) => r.staffRecommended && peer(r)),
      neither: share(users, (r) => !r.staffRecommended && !peer(r))
    },
    spiral: {
      useIfStaffRecommended: share(rows.filter((r) => r.staffRecommended), (r) => r.usedTerminal),
      useIfNotStaffRecommended: share(rows.filter((r) => !r.staffRecommended), (r) => r.usedTerminal),
      meanTrustUsers: mean(users.map((r) => r.trust)),
      meanTrustNonUsers: mean(nonUsers.map((r) => r.trust)),
      recommendIfUsed: mean(users.map((r) => r.recommends)),
      recommendIfNotUsed: mean(nonUsers.map((r) => r.recommends)),
      meanPeerExposure: mean(rows.map((r) => r.peerExposure))
    }
  }
}

/** Per site (sorted), then all respondents together as site "all". */
export const surveyBySite = (rows: ReadonlyArray<Respondent>): ReadonlyArray<SurveySite> => {
  const sites = [...new Set(rows.map((r) => r.site))].sort()
  return [...sites.map((s) => siteSummary(s, rows.filter((r) => r.site === s))), siteSummary("all", rows)]
}

/** Dummy columns for a categorical variable (the most common level is the reference), or the value when numeric. */
const encode = (name: string, values: ReadonlyArray<string>) => {
  if (values.every((v) => v.trim() !== "" && Number.isFinite(Number(v)))) return [{ name, values: values.map(Number) }]
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  const levels = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([l]) => l)
  return levels.slice(1).sort().map((level) => ({ name: `${name}=${level}`, values: values.map((v) => (v === level ? 1 : 0)) }))
}

/** P3: use regressed on age band, gender and technology experience. */
export const demographicFit = (rows: ReadonlyArray<Respondent>): OlsFit | null =>
  ols(rows.map((r) => (r.usedTerminal ? 1 : 0)), [
    ...encode("ageBand", rows.map((r) => r.ageBand)),
    ...encode("gender", rows.map((r) => r.gender)),
    ...encode("techExperience", rows.map((r) => r.techExperience))
  ])

/** P4: recommending regressed on use, trust and ease. */
export const recommendationFit = (rows: ReadonlyArray<Respondent>): OlsFit | null =>
  ols(rows.map((r) => r.recommends), [
    { name: "use", values: rows.map((r) => (r.usedTerminal ? 1 : 0)) },
    { name: "trust", values: rows.map((r) => r.trust) },
    { name: "ease", values: rows.map((r) => r.ease) }
  ])
