/**
 * Runs sweep jobs on worker threads (or in this thread when `workers` is 0),
 * each worker taking the next job when done. `onResult` runs as each job
 * finishes, in completion order (the caller makes results durable, for
 * resume); the results come back in the jobs' order. The first failure fails
 * the sweep; failing or interrupted, every worker is terminated.
 */
import { Data, Deferred, Effect, Exit, Pool } from "effect"
import { Worker } from "node:worker_threads"
import type { Scenario } from "../schema/scenario.ts"
import { type Job, type JobResult, runJob } from "./jobs.ts"

export class SweepError extends Data.TaggedError("SweepError")<{ readonly message: string }> {}

/** A JavaScript entry that registers tsx in the worker (see worker.mjs), then runs worker.ts. */
const workerUrl = new URL("./worker.mjs", import.meta.url)

type Reply = { readonly ok: true; readonly result: JobResult } | { readonly ok: false; readonly id: string; readonly error: string }

/** One worker thread, and the failure that ended it (an error thrown in it, or its exit) once there is one. */
interface Lane {
  readonly worker: Worker
  readonly broken: Deferred.Deferred<never, SweepError>
}

const startLane = (scenario: Scenario) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const broken = yield* Deferred.make<never, SweepError>()
      const worker = yield* Effect.try({
        try: () => new Worker(workerUrl, { workerData: { scenario } }),
        catch: (e) => new SweepError({ message: `worker: ${e instanceof Error ? e.message : String(e)}` })
      })
      const breakWith = (message: string) => Deferred.unsafeDone(broken, Exit.fail(new SweepError({ message })))
      worker.on("error", (e) => breakWith(`worker: ${e.message}`))
      worker.on("exit", (code) => breakWith(`worker: stopped (exit code ${code})`))
      return { worker, broken }
    }),
    (lane) => Effect.promise(() => lane.worker.terminate())
  )

/** One job on one worker: its reply, or the worker's failure, whichever comes first. */
const runOn = (lane: Lane, job: Job) =>
  Effect.raceFirst(
    Effect.async<JobResult, SweepError>((resume) => {
      const onReply = (m: Reply) => resume(m.ok ? Effect.succeed(m.result) : Effect.fail(new SweepError({ message: `job ${m.id}: ${m.error}` })))
      lane.worker.once("message", onReply)
      lane.worker.postMessage(job)
      return Effect.sync(() => lane.worker.off("message", onReply))
    }),
    Deferred.await(lane.broken)
  )

export const runPool = <E>(
  scenario: Scenario,
  jobs: ReadonlyArray<Job>,
  workers: number,
  onResult: (r: JobResult) => Effect.Effect<void, E>
): Effect.Effect<ReadonlyArray<JobResult>, SweepError | E> =>
  workers <= 0
    ? Effect.forEach(jobs, (job) =>
      runJob(scenario, job).pipe(
        Effect.mapError((e) => new SweepError({ message: `job ${job.id}: ${e.message}` })),
        Effect.tap(onResult),
        Effect.zipLeft(Effect.yieldNow())
      ))
    : jobs.length === 0
    ? Effect.succeed([])
    : Effect.gen(function*() {
      const size = Math.min(workers, jobs.length)
      const lanes = yield* Pool.make({ acquire: startLane(scenario), size })
      return yield* Effect.forEach(
        jobs,
        (job) => Effect.scoped(Effect.flatMap(Pool.get(lanes), (lane) => runOn(lane, job))).pipe(Effect.tap(onResult)),
        { concurrency: size }
      )
    }).pipe(Effect.scoped)
