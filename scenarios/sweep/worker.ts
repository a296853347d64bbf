/**
 * Sweep worker (worker_threads): receives the scenario once, then jobs; runs
 * each and posts the result back. Started through worker.mjs, which
 * registers tsx first so it runs from the TypeScript source. Messages go
 * into a queue; the worker's one program takes them in order.
 */
import { Effect, Either, Queue } from "effect"
import { parentPort, workerData } from "node:worker_threads"
import type { Scenario } from "../schema/scenario.ts"
import { type Job, runJob } from "./jobs.ts"

const scenario = (workerData as { readonly scenario: Scenario }).scenario

const program = Effect.gen(function*() {
  const port = parentPort
  if (port === null) return
  const inbox = yield* Queue.unbounded<Job | null>()
  port.on("message", (job: Job | null) => Queue.unsafeOffer(inbox, job))
  for (;;) {
    const job = yield* Queue.take(inbox)
    if (job === null) break
    const result = yield* Effect.either(runJob(scenario, job))
    port.postMessage(Either.isRight(result) ? { ok: true, result: result.right } : { ok: false, id: job.id, error: result.left.message })
  }
  port.close()
})

Effect.runFork(program)
