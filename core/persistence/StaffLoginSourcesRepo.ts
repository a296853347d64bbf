/**
 * The `staff_login_sources` table: its only reader and writer. Per source
 * (client address) the sign-in attempts of the current window, and the
 * failures not yet logged. Admitting an attempt is one atomic upsert that
 * counts it and refuses it past the limit in the same statement, so parallel
 * attempts — on SQLite or on PostgreSQL — get exactly `maxAttempts` per
 * window; claiming the period's failure event is one conditional UPDATE, so
 * of parallel claimants one wins.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { LoginSource } from "../domain/staff.ts"
import { rowsOrDie } from "./rows.ts"

/** A row of `staff_login_sources` as both dialects return it, and the domain's LoginSource it decodes to. */
export const LoginSourceRow = Schema.Struct({
  source: Schema.String,
  window_start: Schema.Int,
  attempts: Schema.Int,
  pending: Schema.Int,
  logged_at: Schema.NullOr(Schema.Int)
})

export const LoginSourceFromRow = Schema.transform(LoginSourceRow, LoginSource, {
  strict: true,
  decode: (r) => ({ source: r.source, windowStart: r.window_start, attempts: r.attempts, pending: r.pending, loggedAt: r.logged_at }),
  encode: (s) => ({ source: s.source, window_start: s.windowStart, attempts: s.attempts, pending: s.pending, logged_at: s.loggedAt })
})

/** The per-source limit: `maxAttempts` per window of `windowMillis`. */
export interface SourceLimit {
  readonly maxAttempts: number
  readonly windowMillis: number
}

export class StaffLoginSourcesRepo extends Effect.Service<StaffLoginSourcesRepo>()("amtomat/StaffLoginSourcesRepo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const find = SqlSchema.findOne({
      Request: Schema.String,
      Result: LoginSourceFromRow,
      execute: (source) => sql`SELECT * FROM staff_login_sources WHERE source = ${source}`
    })

    /** A window that began at or before `fresh` is over: the attempt opens a new one at `now`. */
    const admit = SqlSchema.findOne({
      Request: Schema.Struct({ source: Schema.String, now: Schema.Int, fresh: Schema.Int, maxAttempts: Schema.Int }),
      Result: LoginSourceFromRow,
      execute: ({ fresh, maxAttempts, now, source }) =>
        sql`INSERT INTO staff_login_sources (source, window_start, attempts, pending, logged_at)
          VALUES (${source}, ${now}, 1, 0, NULL)
          ON CONFLICT (source) DO UPDATE SET
            attempts = CASE WHEN staff_login_sources.window_start <= ${fresh} THEN 1 ELSE staff_login_sources.attempts + 1 END,
            window_start = CASE WHEN staff_login_sources.window_start <= ${fresh} THEN CAST(${now} AS BIGINT) ELSE staff_login_sources.window_start END
          WHERE staff_login_sources.window_start <= ${fresh} OR staff_login_sources.attempts < ${maxAttempts}
          RETURNING *`
    })

    const refund = SqlSchema.void({
      Request: Schema.String,
      execute: (source) => sql`UPDATE staff_login_sources SET attempts = attempts - 1 WHERE source = ${source} AND attempts > 0`
    })

    const countFailure = SqlSchema.findOne({
      Request: Schema.String,
      Result: LoginSourceFromRow,
      execute: (source) => sql`UPDATE staff_login_sources SET pending = pending + 1 WHERE source = ${source} RETURNING *`
    })

    /** Takes `count` failures off `pending` and marks the event written at `now`, unless one was within `periodMillis`. */
    const claimFailureEvent = SqlSchema.findOne({
      Request: Schema.Struct({ source: Schema.String, count: Schema.Int, now: Schema.Int, since: Schema.Int }),
      Result: LoginSourceFromRow,
      execute: ({ count, now, since, source }) =>
        sql`UPDATE staff_login_sources SET pending = pending - ${count}, logged_at = ${now}
          WHERE source = ${source} AND (logged_at IS NULL OR logged_at <= ${since}) RETURNING *`
    })

    const forgetBefore = SqlSchema.void({
      Request: Schema.Int,
      execute: (before) => sql`DELETE FROM staff_login_sources WHERE window_start < ${before}`
    })

    return {
      find: (source: string) => rowsOrDie(find(source)),
      /**
       * Admits a sign-in attempt from `source` at `now` and counts it, in one statement: the
       * source as it is now, or none when it has used up its window's attempts (nothing counted).
       */
      admit: (source: string, now: number, limit: SourceLimit) =>
        rowsOrDie(admit({ source, now, fresh: now - limit.windowMillis, maxAttempts: limit.maxAttempts })),
      /** A sign-in that worked does not count against its source: one attempt given back. */
      refund: (source: string) => rowsOrDie(refund(source)),
      /** Counts a failure to be logged; the source as it is now, or none (no such source). */
      countFailure: (source: string) => rowsOrDie(countFailure(source)),
      /**
       * Claims the period's StaffSignInFailed event for `count` pending failures: true for the
       * one claimant that got it, false when an event was written within `periodMillis` of `now`.
       */
      claimFailureEvent: (source: string, count: number, now: number, periodMillis: number) =>
        rowsOrDie(Effect.map(claimFailureEvent({ source, count, now, since: now - periodMillis }), Option.isSome)),
      /** Drops the sources whose window began before `before` (epoch millis). */
      forgetBefore: (before: number) => rowsOrDie(forgetBefore(before))
    } as const
  })
}) {}
