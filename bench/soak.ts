/**
 * `AMTOMAT_SOAK_MINUTES=60 npm run soak`: the night-alone soak (test/soak/harness.ts, where every
 * environment variable is described) for that long, printing ONE JSON object on stdout. Progress
 * goes to stderr. Exit status 1 when an invariant the short soak test asserts does not hold.
 */
import { optionsFromEnv, soak } from "../test/soak/harness.ts"
import { verdict } from "../test/soak/verdict.ts"

const options = optionsFromEnv({ seconds: 3600, faultEvery: 30, policy: "default" }, (line) => process.stderr.write(`${line}\n`))
process.stderr.write(`soak: ${options.seconds} s, seed ${options.seed} (replay with AMTOMAT_SOAK_SEED=${options.seed})\n`)
const report = await soak(options)
const problems = verdict(report, { minPickups: 1 })
console.log(JSON.stringify({ ...report, problems, node: process.version, at: new Date().toISOString() }))
process.exit(problems.length === 0 ? 0 : 1)
