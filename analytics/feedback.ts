/**
 * What users said: ratings (1–5) and "would you recommend it?" answers from
 * `FeedbackGiven`, per site. One site's summary is a fold (`SiteFeedback`);
 * `feedbackBySite` folds a whole log.
 */
import type { TerminalEvent } from "../core/domain/events.ts"
import { type EventRecord, ratio } from "./records.ts"

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

/** The feedback of one site as a fold. */
export class SiteFeedback {
  private readonly ratings = [0, 0, 0, 0, 0]
  private readonly recommend = { yes: 0, no: 0, unsure: 0 }
  private readonly byContext = { pickup: 0, application: 0, other: 0 }
  private ratingSum = 0
  private responses = 0

  add(e: TerminalEvent): void {
    if (e._tag !== "FeedbackGiven") return
    this.ratings[e.rating - 1]! += 1
    this.recommend[e.recommend] += 1
    this.byContext[e.context] += 1
    this.ratingSum += e.rating
    this.responses += 1
  }

  summary(site: string): FeedbackSummary {
    return {
      site,
      responses: this.responses,
      meanRating: ratio(this.ratingSum, this.responses),
      ratings: [...this.ratings],
      recommend: { ...this.recommend },
      recommendShare: ratio(this.recommend.yes, this.responses),
      byContext: { ...this.byContext }
    }
  }
}

/** One summary per site, in the order given. */
export const feedbackBySite = (records: ReadonlyArray<EventRecord>, sites: ReadonlyArray<string>): ReadonlyArray<FeedbackSummary> => {
  const bySite = new Map(sites.map((s) => [s, new SiteFeedback()]))
  for (const r of records) bySite.get(r.site)?.add(r.event)
  return sites.map((site) => bySite.get(site)!.summary(site))
}
