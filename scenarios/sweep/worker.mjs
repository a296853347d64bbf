// Worker-thread entry for sweeps. On Node 20, `execArgv: ["--import", "tsx"]`
// does not reach a worker's module loader ("Unknown file extension .ts"), so
// the worker registers tsx itself, as bin/amtomat.js does, and loads the
// TypeScript worker.
import { register } from "tsx/esm/api"

register()
await import("./worker.ts")
