/**
 * What users said: ratings (1–5) and "would you recommend it?" answers from
 * `FeedbackGiven`, per site.
 */
import type { EventRecord } from "./records.ts"
import { ratio } from "./records.ts"

export interface FeedbackSummary {
  readonly site: string
  readonly responses: number
  readonly meanRating: number | null
  /** Counts of ratings 1 … 5 (index 0 = rating 1). */
  readonly ratings: ReadonlyArray<number>
  readonly recommend: { readonly yes: number; readonly no: number; readonly unsure: number }
  /** Share answering "yes". */
  readonly recommendShare: number | null
  readonly byContext: Readonly<Record<"pickup" | "application" | "other", number>>
}

const summarise = (site: string, records: ReadonlyArray<EventRecord>): FeedbackSummary => {
  const ratings = [0, 0, 0, 0, 0]
  const recommend = { yes: 0, no: 0, unsure: 0 }
  const byContext = { pickup: 0, application: 0, other: 0 }
  let sum = 0
  let n = 0
  for (const r of records) {
    const e = r.event
    if (e._tag !== "FeedbackGiven") continue
    ratings[e.rating - 1]! += 1
    recommend[e.recommend] += 1
    byContext[e.context] += 1
    sum += e.rating
    n += 1
  }
  return {
    site,
    responses: n,
    meanRating: ratio(sum, n),
    ratings,
    recommend,
    recommendShare: ratio(recommend.yes, n),
    byContext
  }
}

/** One summary per site, in the order given. */
export const feedbackBySite = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<FeedbackSummary> =>
  sites.map((site) => summarise(site, records.filter((r) => r.site === site)))
