/**
 * The `amtomat` command for the test run (vitest globalSetup): the CLI bundled
 * once with esbuild, so that each of the hundred-odd commands the suites spawn
 * starts in a fraction of a second instead of ~5 s of tsx compiling the
 * sources again. `kiosk/harness/process.ts` runs it through `AMTOMAT_BIN`
 * (the child processes inherit it); `bin/amtomat.js` itself is still what the
 * browser suite and a user run.
 *
 * The packages are bundled too (a command then starts in ~1 s rather than
 * ~2.5 s of resolving node_modules), except the native ones, which load from
 * node_modules: the bundle sits in node_modules/.cache so they resolve. Every
 * source file keeps its own `import.meta.dirname` and `import.meta.url` (the
 * presets, the UI's dist folder and chart.js are found from them).
 */
import { build, type Plugin } from "esbuild"
import { mkdirSync, readFileSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { pathToFileURL } from "node:url"

const root = join(import.meta.dirname, "..", "..")

const keepFileLocation: Plugin = {
  name: "keep-file-location",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8")
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
      loader: "ts"
    }))
  }
}

/** Bundles `entry` (a CLI's main module) into `outfile`, which must lie under node_modules/.cache. */
export const bundleCli = (entry: string, outfile: string) =>
  build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    // native addons and optional drivers stay packages
    external: ["better-sqlite3", "@serialport/bindings-cpp", "pg-native"],
    // the CommonJS packages inside an ES module bundle call require() for Node's own modules
    banner: { js: "import { createRequire as amtomatCreateRequire } from 'node:module'; const require = amtomatCreateRequire(import.meta.url);" },
    outfile,
    logLevel: "warning",
    plugins: [keepFileLocation]
  })

export default async function setup() {
  if (process.env["AMTOMAT_BIN"] !== undefined) return
  const dir = join(root, "node_modules", ".cache", "amtomat-test")
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `amtomat-${process.pid}.mjs`)
  await bundleCli(join(root, "cli", "main.ts"), outfile)
  process.env["AMTOMAT_BIN"] = outfile
  return () => {
    rmSync(outfile, { force: true })
    delete process.env["AMTOMAT_BIN"]
  }
}
