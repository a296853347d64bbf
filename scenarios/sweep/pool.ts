/**
 * Runs sweep jobs on worker threads (or in this thread when `workers` is 0),
 * each worker pulling the next job when done. Results arrive in completion
 * order through `onResult`; the caller makes them durable (resume).
 */
import { Data, Effect } from "effect"
import { Worker } from "node:worker_threads"
import type { Scenario } from "../schema/scenario.ts"
import { type Job, type JobResult, runJob } from "./jobs.ts"

export class SweepError extends Data.TaggedError("SweepError")<{ readonly message: string }> {}

/** A JavaScript entry that registers tsx in the worker (see worker.mjs), then runs worker.ts. */
const workerUrl = new URL("./worker.mjs", import.meta.url)

export const runPool = (scenario: Scenario, jobs: ReadonlyArray<Job>, workers: number, onResult: (r: JobResult) => void) =>
  workers <= 0
    ? Effect.forEach(jobs, (job) => Effect.map(runJob(scenario, job), onResult).pipe(Effect.zipLeft(Effect.yieldNow())), { discard: true }).pipe(
      Effect.mapError((e) => new SweepError({ message: e.message }))
    )
    : Effect.async<void, SweepError>((resume) => {
      let next = 0
      let done = 0
      let failed = false
      const pool: Array<Worker> = []
      const stop = () => pool.forEach((w) => void w.terminate())
      const feed = (w: Worker) => w.postMessage(next < jobs.length ? jobs[next++] : null)
      if (jobs.length === 0) return resume(Effect.void)
      for (let i = 0; i < Math.min(workers, jobs.length); i++) {
        const w = new Worker(workerUrl, { workerData: { scenario } })
        pool.push(w)
        w.on("message", (m: { ok: true; result: JobResult } | { ok: false; id: string; error: string }) => {
          if (failed) return
          if (!m.ok) {
            failed = true
            stop()
            return resume(Effect.fail(new SweepError({ message: `job ${m.id}: ${m.error}` })))
          }
          onResult(m.result)
          if (++done === jobs.length) {
            stop()
            return resume(Effect.void)
          }
          feed(w)
        })
        w.on("error", (e) => {
          if (failed) return
          failed = true
          stop()
          resume(Effect.fail(new SweepError({ message: `worker: ${e.message}` })))
        })
        feed(w)
      }
      return Effect.sync(stop)
    })
