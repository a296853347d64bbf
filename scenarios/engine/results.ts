/**
 * What a replicate yields: per-site figures, the daily tallies and the
 * synthetic survey, drawn at the end of the run from the agents' state.
 */
import { type BassFit, fitBass } from "../stats/bass.ts"
import { intention, recommendProbability } from "./adoption.ts"
import { meanOpenWait } from "./counter.ts"
import { degree } from "./network.ts"
import { logistic } from "./rng.ts"
import { Metric, METRICS, type State } from "./state.ts"

export interface SiteResult {
  readonly name: string
  readonly startDay: number | null
  /** Share of ID/passport handovers done by the terminal while it was in service. */
  readonly terminalShare: number
  readonly pickupsTerminal: number
  readonly pickupsCounter: number
  readonly users: number
  readonly applications: number
  readonly failures: number
  readonly staffPropensity: number
  /** Month by month from the month the terminal went into service (empty without one). */
  readonly months: ReadonlyArray<{ readonly month: string; readonly pickupsTerminal: number; readonly pickupsCounter: number }>
  /** Expected counter wait (minutes, mean over open hours): all pickups at the counter, and with this share at the terminal. */
  readonly counterWait: { readonly withoutTerminal: number; readonly withTerminal: number }
  readonly bass: BassFit | null
}

export interface SurveyRow {
  readonly respondent: number
  readonly site: string
  readonly ageBand: number
  readonly gender: "female" | "male"
  readonly techExperience: number
  readonly intention: number
  readonly usedTerminal: number
  readonly uses: number
  readonly trust: number
  readonly perceivedValue: number
  readonly ease: number
  readonly recommends: number
  readonly staffRecommended: number
  readonly peerExposure: number
}

export interface ReplicateResult {
  readonly sites: ReadonlyArray<SiteResult>
  readonly survey: ReadonlyArray<SurveyRow>
  /** P3's larger survey of the same population (`survey.equivalenceSize`); empty when none. */
  readonly equivalenceSurvey: ReadonlyArray<SurveyRow>
  readonly tally: State["tally"]
  readonly days: number
  /** The run's last simulated day (YYYY-MM-DD). */
  readonly lastDay: string
  readonly residentDays: number
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d

export const dailyValue = (st: State, day: number, site: number, metric: number) => st.daily[(day * st.scenario.sites.length + site) * METRICS + metric]!

const siteResult = (st: State, s: number, bass: boolean): SiteResult => {
  const from = st.startDay[s]!
  let terminal = 0
  let counter = 0
  let users = 0
  let applications = 0
  let failures = 0
  const months: Array<{ month: string; pickupsTerminal: number; pickupsCounter: number }> = []
  const times: Array<number> = []
  const cumulative: Array<number> = []
  for (let day = 0; day <= st.days; day++) {
    if (day < from) continue
    const t = dailyValue(st, day, s, Metric.pickupsTerminal)
    const c = dailyValue(st, day, s, Metric.pickupsCounter)
    terminal += t
    counter += c
    // the day index `days` holds what happened at the very end: the last day's month
    const month = st.calendar.dateOf(Math.min(day, st.days - 1)).slice(0, 7)
    if (months[months.length - 1]?.month !== month) months.push({ month, pickupsTerminal: 0, pickupsCounter: 0 })
    months[months.length - 1]!.pickupsTerminal += t
    months[months.length - 1]!.pickupsCounter += c
    users += dailyValue(st, day, s, Metric.newUsers)
    applications += dailyValue(st, day, s, Metric.applications)
    failures += dailyValue(st, day, s, Metric.failures)
    if ((day - from) % 7 === 0) {
      times.push((day - from) / 365.25)
      cumulative.push(users)
    }
  }
  const share = terminal + counter > 0 ? terminal / (terminal + counter) : 0
  const w = st.waits[s]!
  return {
    name: st.scenario.sites[s]!.name,
    startDay: isFinite(from) ? from : null,
    terminalShare: round(share, 4),
    pickupsTerminal: terminal,
    pickupsCounter: counter,
    users,
    applications,
    failures,
    staffPropensity: round(st.staffP[s]!),
    months,
    counterWait: { withoutTerminal: round(meanOpenWait(w.full), 2), withTerminal: round(meanOpenWait(w.relieved(share)), 2) },
    bass: bass ? fitBass(times, cumulative) ?? null : null
  }
}

const drawSurvey = (st: State, size: number): ReadonlyArray<SurveyRow> => {
  const { pop, scenario, rng } = st
  const b = scenario.behaviour
  const candidates: Array<number> = []
  for (let i = 0; i < pop.size; i++) {
    if (pop.age[i] === 0) continue
    if (scenario.survey.sample === "all" || pop.occasions[i]! > 0) candidates.push(i)
  }
  const n = Math.min(size, candidates.length)
  for (let k = 0; k < n; k++) {
    const j = k + rng.int(candidates.length - k)
    ;[candidates[k], candidates[j]] = [candidates[j]!, candidates[k]!]
  }
  return candidates.slice(0, n).map((i, k) => {
    const used = pop.uses[i]! > 0
    const deg = degree(st.graph, i)
    const peer = deg === 0 ? 0 : Math.min(1, pop.peerRecs[i]! / deg)
    const trust = pop.trust[i]!
    const recommends = used ? pop.recommends[i]! : rng.chance(recommendProbability(b.recommend, false, trust, pop.ease[i]!)) ? 1 : 0
    return {
      respondent: k + 1,
      site: scenario.sites[pop.site[i]!]!.name,
      ageBand: pop.age[i]!,
      gender: pop.female[i] === 1 ? "female" : "male",
      techExperience: pop.tech[i]!,
      intention: round(intention(b.intention, { value: pop.value[i]!, trust, peer, used, staff: pop.staffRecommended[i] === 1, aware: pop.aware[i] === 1 })),
      usedTerminal: used ? 1 : 0,
      uses: pop.uses[i]!,
      trust: round(trust),
      perceivedValue: round(logistic(pop.value[i]!)),
      ease: round(logistic(pop.ease[i]! + (used ? 0.5 : 0))),
      recommends,
      staffRecommended: pop.staffRecommended[i]!,
      peerExposure: round(peer)
    }
  })
}

export const collect = (st: State, options: { readonly survey: boolean; readonly bass: boolean }): ReplicateResult => ({
  sites: st.scenario.sites.map((_, s) => siteResult(st, s, options.bass)),
  survey: options.survey ? drawSurvey(st, st.scenario.survey.size) : [],
  // drawn after the study's survey, so that one is the same with or without it
  equivalenceSurvey: options.survey && st.scenario.survey.equivalenceSize > 0 ? drawSurvey(st, st.scenario.survey.equivalenceSize) : [],
  tally: st.tally,
  days: st.days,
  lastDay: st.calendar.dateOf(st.days - 1),
  residentDays: st.pop.size * st.days
})
